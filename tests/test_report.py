"""The Monthly Informational Report: sections, drawn numbers, PDF, HTML and atomic writes."""

import re
from pathlib import Path
from typing import cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from matplotlib.container import BarContainer
from pypdf import PdfReader

import vipreport as vr
from vipreport.cli import main
from vipreport.report.chartfigure import ChartFigure
from vipreport.report.model import WRITERS

MONTH = "2024-11"


@pytest.fixture(scope="module")
def report() -> vr.Report:
    return vr.build_report(vr.datasets.demo(), MONTH)


def test_every_section_of_the_seeds_is_present(report: vr.Report) -> None:
    expected_tables = {
        "vip.custom_notifications",
        "vip.referral_sources",
        "vip.fytd_totals",
        "vip.engagement",
        "vip.services",
        "vip.services_connected",
        "vip.success_trend",
        "vip.success_by_age",
        "vip.referrals_by_area",
        "vip.caseload_trend",
        "trc.referrals_by_source",
        "cora.totals",
        "cora.incidents_by_type",
        "cora.responses_by_area",
        "oep.summary",
    }
    assert expected_tables <= set(report.tables)
    assert {
        "vip.active_caseload",
        "vip.engagement_rate",
        "vip.success_rate",
        "trc.active_clients",
        "cora.fytd.adults_assisted",
        "cora.fytd.children_assisted",
        "cora.fytd.referrals_made",
        "cora.fytd.outreach_operations",
    } <= set(report.scalars)
    assert {
        "custom_notifications",
        "referral_sources",
        "services_requested_referred",
        "services_connected",
        "success_trend",
        "success_by_age",
        "referrals_by_area",
        "trc_referrals",
        "cora_incidents",
        "cora_areas",
        "oep",
        "caseload_trend",
        "engagement",
    } <= set(report.figures)
    assert report.activities and "Housing and Food Assistance" in report.activities
    assert report.missing_sections == []


def test_tables_equal_the_metrics_api(report: vr.Report) -> None:
    data = vr.datasets.demo()
    # The report prints the wide view of the tidy results.
    pd.testing.assert_frame_equal(report.tables["vip.referrals_by_area"], vr.referrals_by_area(data, MONTH).vip.wide())
    incidents = vr.cora_incidents_by_type(data, MONTH).vip.wide()
    pd.testing.assert_frame_equal(report.tables["cora.incidents_by_type"], incidents)
    running = vr.success_rate(data, MONTH).set_index("group").loc["All"]
    assert report.scalars["vip.success_rate"] == running.successes / running.persons  # a proportion, not rounded
    assert report.scalars["vip.active_caseload"] == vr.active_caseload(data, MONTH).iloc[0].active_last_day
    totals = vr.cora_totals(data, MONTH).set_index("measure")
    assert report.scalars["cora.fytd.adults_assisted"] == totals.loc["adults_assisted", "fytd"]


def _drawn(fig: ChartFigure) -> tuple[str, list[npt.NDArray[np.float64]], list[str]]:
    """The numbers a figure shows: bar lengths, bar labels and line points, per series."""
    ax = fig.ax
    if ax.containers:
        bars = [np.array(cast(BarContainer, c).datavalues, dtype=np.float64) for c in ax.containers]
        labels = [t.get_text() for t in ax.texts]
        return "bar", bars, labels
    # A provisional value is drawn as a hollow marker (gid "provisional") in place of the solid line's point;
    # the dashed segment into it (gid "provisional-segment") repeats two points and is not a series.
    lines = [np.asarray(line.get_ydata(), dtype=np.float64) for line in ax.lines if line.get_gid() is None]
    hollow = [np.asarray(line.get_ydata(), dtype=np.float64) for line in ax.lines if line.get_gid() == "provisional"]
    for k, points in enumerate(hollow):
        assert np.isnan(lines[k][~np.isnan(points)]).all()  # never drawn both ways
        lines[k] = np.where(np.isnan(points), lines[k], points)
    return "line", lines, [t.get_text() for t in ax.texts]


def test_every_number_drawn_equals_its_table(report: vr.Report) -> None:
    for name, chart in report.charts.items():
        # A rate is a proportion in its table and drawn on a 0-100 percent axis.
        expected = chart.data(report.tables[chart.table]).to_numpy(dtype=float) * (100 if chart.percent else 1)
        kind, series, labels = _drawn(report.figures[name])
        assert len(series) == expected.shape[1], name
        for i, values in enumerate(series):
            if kind == "bar":
                np.testing.assert_array_equal(values, np.nan_to_num(expected[:, i]), err_msg=name)
            else:
                np.testing.assert_array_equal(values, expected[:, i], err_msg=name)
        if kind == "bar":
            flat = expected.T.ravel()
            printed = [np.nan if t == "n/a" else float(t.rstrip("%").replace(",", "")) for t in labels]
            if chart.percent:  # one decimal
                np.testing.assert_allclose(printed, flat, rtol=0, atol=0.05 + 1e-9, err_msg=name)
            else:
                np.testing.assert_array_equal(printed, flat, err_msg=name)


def test_small_and_missing_values_stay_visible(report: vr.Report) -> None:
    by_age = report.figures["success_by_age"]
    labels = [t.get_text() for t in by_age.ax.texts]
    assert "n/a" in labels  # the "Unknown" group has no participants: said, not drawn as 0%
    areas = report.figures["referrals_by_area"].ax
    assert "0" in [t.get_text() for t in areas.texts]  # a zero is labelled, not left blank


def test_pdf_has_every_section_and_its_numbers(report: vr.Report, tmp_path: Path) -> None:
    path = report.to_pdf(tmp_path / "report.pdf")
    reader = PdfReader(path)
    assert reader.pages[0].mediabox.width == 612 and reader.pages[0].mediabox.height == 792  # US Letter
    text = "\n".join(page.extract_text() for page in reader.pages)
    for heading in (
        "Introduction to VIP",
        "Fiscal year-to-date totals",
        "VIP success rate",
        "Referrals by area command",
        "Trauma Recovery Center",
        "CORA: fiscal year to date",
        "Significant response activities",
        "Opioid Education and Prevention",
        "Data quality",
    ):
        assert heading in text, heading
    assert (
        f"{100 * cast(float, report.scalars['vip.success_rate']):.1f}% of VIP participants have had no new violent"
        in text
    )
    for area, values in report.tables["vip.referrals_by_area"].iterrows():
        assert f"{area} {' '.join(str(v) for v in values)}" in text, area


def test_html_is_self_contained(report: vr.Report, tmp_path: Path) -> None:
    path = report.to_html(tmp_path / "report.html")
    html = path.read_text("utf-8")
    assert html.count("<svg") == len(report.figures)
    assert not re.search(r'(src|href)="(https?:)?//', html)  # nothing fetched from elsewhere
    assert "REFERRALS BY AREA COMMAND".lower() in html.lower()
    assert "<table" in report._repr_html_()


def test_a_failed_write_leaves_the_previous_report(
    report: vr.Report, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "report.pdf"
    report.to_pdf(path)
    before = path.read_bytes()

    def half_write_then_fail(rep: vr.Report, temporary: Path) -> None:
        temporary.write_bytes(b"%PDF-1.4 half")
        raise RuntimeError("disk full")

    monkeypatch.setitem(WRITERS, "pdf", half_write_then_fail)  # to_pdf calls the registered writer
    with pytest.raises(RuntimeError, match="disk full"):
        report.to_pdf(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no partial file left


def test_sections_without_data_are_listed() -> None:
    data = vr.datasets.demo()
    partial = vr.load({"referrals": vr.datasets.generate(seed=1)["referrals"]})
    report = vr.build_report(partial, MONTH)
    assert "vip.referrals_by_area" in report.tables
    assert any(s.startswith("CORA") for s in report.missing_sections)
    assert len(report.missing_sections) >= 6
    del data


@pytest.mark.parametrize("suffix", ["pdf", "html"])
def test_cli_build(tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str) -> None:
    out = tmp_path / f"report.{suffix}"
    assert main(["build", "--month", MONTH, "--demo", "--out", str(out)]) == 0
    assert out.stat().st_size > 10_000
    assert "wrote" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["build", "--month", "2024-13", "--demo", "--out", "r.pdf"], "YYYY-MM"),
        (["build", "--month", MONTH, "--demo", "--out", "r.docx"], ".pdf or .html"),
        (["build", "--month", MONTH, "--data", "/nonexistent", "--out", "r.pdf"], "not found"),
    ],
)
def test_cli_build_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_success_page_states_rate_interval_persons_and_methods(report: vr.Report, tmp_path: Path) -> None:
    pages = PdfReader(report.to_pdf(tmp_path / "r.pdf")).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())  # tiles wrap their captions
    last = report.tables["vip.success_trend"].iloc[-1]
    assert f"of {last.persons:,} participants notified in the past 24 months" in text
    assert f"95% interval {100 * float(last.ci_low):.1f}% to {100 * float(last.ci_high):.1f}%" in text
    methods = report.tables["vip.success_methods"]
    assert list(methods.index) == ["Success rate (running)", "Success rate (fixed window)", "Kaplan-Meier S(730)"]
    survival = report.tables["vip.survival"]
    assert methods.loc["Kaplan-Meier S(730)", "success_rate"] == pytest.approx(survival.loc[730, "survival"])
    assert "survival_curve" in report.figures
    for heading in ("Methodology", "Start event:", "Failure event:", "Follow-up:", "Wilson", "Newcombe"):
        assert heading in text, heading
    assert "Newcombe interval" in text  # the engagement change against a year earlier


def test_provisional_engagement_is_drawn_hollow_and_labelled(report: vr.Report) -> None:
    # At 2024-11 the November engagement value is provisional (windows still open on 30 Nov).
    trend = report.tables["vip.engagement_trend"]
    assert trend.loc["2024-11", "provisional"] and not trend.loc["2024-10", "provisional"]
    ax = report.figures["engagement"].ax
    hollow = [line for line in ax.lines if line.get_gid() == "provisional"]
    assert len(hollow) == 1 and hollow[0].get_markerfacecolor() == "white"
    drawn = np.asarray(hollow[0].get_ydata(), dtype=float)
    assert np.isfinite(drawn).tolist() == trend["provisional"].tolist()  # only November, drawn hollow
    assert any(t.get_text().endswith("(provisional)") for t in ax.texts)
    legend = ax.get_legend()
    assert legend is not None
    assert "provisional: windows still open" in [t.get_text() for t in legend.get_texts()]
    solid = next(line for line in ax.lines if line.get_gid() is None)
    assert np.isnan(np.asarray(solid.get_ydata(), dtype=float)[-1])  # not drawn as a final value
