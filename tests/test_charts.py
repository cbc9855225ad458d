"""The report's charts: one colour per series, legends in drawing order, honest axes, one number format,
and images in notebooks (ChartFigure)."""

import dataclasses
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

import vipreport as vr
from vipreport.report import Report
from vipreport.report.chartfigure import ChartFigure, chart_figure
from vipreport.report.charts import Chart

MONTH = "2024-11"
YELLOW = "#f0e442"
# What each colour stands for in the demo report at 2024-11, written out by hand from the design: the three
# months keep their colours from chart to chart, single counts over the fiscal year share blue, every
# success measure is green, and the rest have one colour each.
EXPECTED_COLOURS = {
    "#56b4e9": {"Sep 2024"},
    "#e69f00": {"Oct 2024"},
    "#d55e00": {"Nov 2024"},
    "#0072b2": {"notifications", "FYTD", "Active caseload"},
    YELLOW: {"Requested"},
    "#cc79a7": {"Referred"},
    "#000000": {"Engagement rate"},
    "#009e73": {"Kaplan-Meier estimate", "Success rate"},
}
COUNT = r"\d{1,3}(,\d{3})*"
PERCENT = r"\d{1,3}\.\d%"
VALUE_LABEL = re.compile(rf"^({COUNT}|{PERCENT}|n/a|\*)( \(provisional\))?$")


@pytest.fixture(scope="module")
def report() -> Report:
    return vr.build_report(vr.datasets.demo(), MONTH)


def _series(ax: Axes) -> list[tuple[str, str]]:
    """(label, colour) of every drawn series: bar containers, or lines that are not decoration."""
    if ax.containers:
        return [(str(c.get_label()), to_hex(c.patches[0].get_facecolor())) for c in ax.containers]  # type: ignore[attr-defined]
    return [(str(line.get_label()), to_hex(line.get_color())) for line in ax.lines if line.get_gid() is None]


def test_each_colour_means_one_thing_in_every_chart(report: Report) -> None:
    meanings: dict[str, set[str]] = defaultdict(set)
    for name in report.charts:
        for label, colour in _series(report.figures[name].ax):
            meanings[colour].add(label)
    assert dict(meanings) == EXPECTED_COLOURS


def test_yellow_is_never_a_line_or_text(report: Report) -> None:
    for name in report.charts:
        ax = report.figures[name].ax
        assert all(to_hex(line.get_color()) != YELLOW for line in ax.lines), name
        assert all(to_hex(text.get_color()) != YELLOW for text in ax.texts), name
        for container in ax.containers:  # a yellow bar has a dark edge, so it stands out from the page
            for patch in container.patches:  # type: ignore[attr-defined]
                if to_hex(patch.get_facecolor()) == YELLOW:
                    assert patch.get_linewidth() > 0 and to_hex(patch.get_edgecolor()) != YELLOW, name


def test_a_single_month_beside_its_fytd_keeps_the_report_month_colour() -> None:
    table = pd.DataFrame({"2024-11": [3, 5], "FYTD": [10, 12]}, index=["A", "B"])
    chart = Chart("c", "Chart", "t", ("2024-11", "FYTD"), "hbar", "People")
    assert _series(chart_figure(chart, table).ax) == [("Nov 2024", "#d55e00"), ("FYTD", "#0072b2")]


def _legend(ax: Axes) -> list[str]:
    legend = ax.get_legend()
    return [text.get_text() for text in legend.get_texts()] if legend else []


def _bar_order(ax: Axes, horizontal: bool) -> list[str]:
    """Series labels in the order a reader meets their bars in the first group: top down, or left to right."""
    first = [(c.patches[0], str(c.get_label())) for c in ax.containers]  # type: ignore[attr-defined]
    if horizontal:  # the axis is inverted: the smallest y is drawn on top
        assert ax.yaxis_inverted()
        return [label for patch, label in sorted(first, key=lambda p: p[0].get_y())]
    return [label for patch, label in sorted(first, key=lambda p: p[0].get_x())]


def test_legends_list_the_bars_in_the_order_they_are_drawn(report: Report) -> None:
    checked = 0
    for name, chart in report.charts.items():
        ax = report.figures[name].ax
        if chart.kind in ("vbar", "hbar") and len(ax.containers) > 1:
            assert _legend(ax) == _bar_order(ax, chart.kind == "hbar"), name
            checked += 1
    assert checked >= 6  # the five month-by-category charts and requested/referred


def test_three_month_bars_read_oldest_to_newest_from_the_top(report: Report) -> None:
    ax = report.figures["trc_referrals"].ax
    assert _bar_order(ax, horizontal=True) == ["Sep 2024", "Oct 2024", "Nov 2024"]


def test_line_legends_list_the_lines_by_where_they_end_top_to_bottom() -> None:
    # Declared first, "Low" ends below "High": the legend must still list "High" first, as the lines end.
    table = pd.DataFrame({"low": [0.5, 0.6, 0.2], "high": [0.4, 0.3, 0.8]}, index=["2024-09", "2024-10", "2024-11"])
    chart = Chart("c", "Chart", "t", ("low", "high"), "line", "%", percent=True, series_labels=("Low", "High"))
    assert _legend(chart_figure(chart, table).ax) == ["High", "Low"]


def test_the_provisional_marker_comes_after_the_lines_in_the_legend(report: Report) -> None:
    assert _legend(report.figures["engagement"].ax) == ["Engagement rate", "provisional: windows still open"]


def _value_limits(ax: Axes, chart: Chart) -> tuple[float, float]:
    return ax.get_xlim() if chart.kind == "hbar" else ax.get_ylim()


def test_every_value_axis_starts_at_zero_and_a_rate_axis_runs_to_100(report: Report) -> None:
    for name, chart in report.charts.items():
        low, high = _value_limits(report.figures[name].ax, chart)
        drawn = chart.data(report.tables[chart.table]).to_numpy(dtype=float)
        assert low == 0, name
        assert high >= np.nanmax(drawn), name
        if chart.percent:
            assert high >= 100, name


def test_the_success_trend_axis_is_not_cut_at_90(report: Report) -> None:
    # The issue: a 90-98% axis made a one-point change look like a cliff.
    assert report.figures["success_trend"].ax.get_ylim() == (0, 100)


def _zoomable() -> tuple[Chart, pd.DataFrame]:
    table = pd.DataFrame({"rate": [0.951, 0.964, 0.976]}, index=["2024-09", "2024-10", "2024-11"])  # proportions
    return Chart("c", "Chart", "t", ("rate",), "line", "%", percent=True, series=("success",)), table


def test_a_zoomed_chart_says_its_axis_does_not_start_at_zero() -> None:
    chart, table = _zoomable()
    plain = chart_figure(chart, table).ax
    assert plain.get_ylim() == (0, 100)
    assert not [t for t in plain.texts if t.get_gid() == "axis-break"]
    zoomed = chart_figure(dataclasses.replace(chart, zoomed=True), table).ax
    low, high = zoomed.get_ylim()
    assert 90 <= low < 95.1 and 97.6 < high <= 100
    assert [t.get_text() for t in zoomed.texts if t.get_gid() == "axis-break"] == ["Axis does not start at 0"]
    assert len([line for line in zoomed.lines if line.get_gid() == "axis-break"]) == 2  # the break mark


def test_bars_cannot_be_zoomed() -> None:
    with pytest.raises(ValueError, match="only line and step charts"):
        Chart("c", "Chart", "t", ("x",), "hbar", "People", zoomed=True)


def test_every_drawn_value_uses_the_reports_number_format(report: Report) -> None:
    for name, chart in report.charts.items():
        ax = report.figures[name].ax
        for text in ax.texts:
            label = text.get_text()
            assert VALUE_LABEL.match(label), (name, label)
            if label not in ("n/a", "*"):
                assert label.split(" ")[0].endswith("%") == chart.percent, (name, label)


def test_large_counts_have_separators_and_rates_one_decimal() -> None:
    counts = pd.DataFrame({"FYTD": [12345.0, 7.0]}, index=["A", "B"])
    ax = chart_figure(Chart("c", "Chart", "t", ("FYTD",), "hbar", "People", series=("count",)), counts).ax
    assert [t.get_text() for t in ax.texts] == ["12,345", "7"]
    ticks = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "6,000" in ticks and all(re.fullmatch(COUNT, t) for t in ticks)
    rates = pd.DataFrame({"rate": [0.94, 1.0, np.nan]}, index=["A", "B", "C"])  # proportions, printed as percents
    chart = Chart("c", "Chart", "t", ("rate",), "hbar", "%", percent=True, series=("success",))
    assert [t.get_text() for t in chart_figure(chart, rates).ax.texts] == ["94.0%", "100.0%", "n/a"]


def test_every_chart_has_a_short_plain_caption(report: Report) -> None:
    for chart in report.charts.values():
        caption = chart.caption
        assert caption.endswith(".") and caption[0].isupper(), chart.name
        assert "{" not in caption and "  " not in caption, chart.name
        assert len(caption.split()) <= 30, chart.name


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_a_chart_shows_as_svg_and_png_with_a_text_summary(report: Report) -> None:
    chart = report.figures["engagement"]
    assert isinstance(chart, ChartFigure)
    bundle = chart._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "image/png", "text/plain"}
    assert bundle["image/png"].startswith(PNG_SIGNATURE)
    svg = ET.fromstring(bundle["image/svg+xml"])
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Engagement with services" in bundle["image/svg+xml"]  # text stays text
    assert chart._repr_png_().startswith(PNG_SIGNATURE)
    ET.fromstring(chart._repr_svg_())
    assert "Engagement with services after a custom notification" in bundle["text/plain"]
    assert "36.7% (Nov 2024)" in bundle["text/plain"]  # the latest value, as the alt text says it
    assert set(chart._repr_mimebundle_(include={"image/png"})) == {"text/plain", "image/png"}
    assert set(chart._repr_mimebundle_(exclude={"image/png"})) == {"text/plain", "image/svg+xml"}


def test_a_chart_hands_over_its_matplotlib_figure_and_axes(report: Report, tmp_path: Path) -> None:
    chart = report.figures["caseload_trend"]
    assert isinstance(chart.figure, Figure)
    assert chart.ax is chart.figure.axes[0]
    chart.ax.set_title("Restyled")
    chart.savefig(tmp_path / "caseload.png", dpi=50)
    assert (tmp_path / "caseload.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "Restyled" in chart.to_svg()


DRAW_EVERYTHING = """
import json, sys
import vipreport as vr
report = vr.build_report(vr.datasets.demo(), "2024-11")
for chart in report.figures.values():
    chart._repr_mimebundle_()
print(json.dumps(sorted(m for m in sys.modules if m.startswith("matplotlib.pyplot"))))
"""


def test_drawing_and_showing_charts_never_imports_pyplot(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", DRAW_EVERYTHING], capture_output=True, text=True, cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert json.loads(run.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize("name", ["success_trend", "engagement"])
def test_a_half_column_charts_axis_label_is_not_cut_off(report: Report, name: str) -> None:
    """At the PDF's half-column size, the vertical axis label lies wholly inside the figure."""
    from vipreport.report import charts
    from vipreport.report.pdf import HALF_H, HALF_W

    chart = report.charts[name]
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = charts.figure(chart, report.tables[chart.table], size=(HALF_W, HALF_H))
    renderer = FigureCanvasAgg(fig).get_renderer()  # type: ignore[no-untyped-call]
    fig.draw(renderer)
    label = fig.axes[0].yaxis.label.get_window_extent(renderer)
    page = fig.bbox
    assert label.y0 >= page.y0 and label.y1 <= page.y1, (label, page)
    assert label.x0 >= page.x0


def test_a_half_column_bar_charts_value_axis_starts_at_0(report: Report, tmp_path: Path) -> None:
    """The PDF's narrow horizontal bar chart labels its count axis from 0, not from the second tick."""
    from vipreport.report import charts
    from vipreport.report.pdf import HALF_H, HALF_W, save_svg

    chart = report.charts["services_connected"]
    fig = charts.figure(chart, report.tables[chart.table], size=(HALF_W, HALF_H))
    save_svg(fig, tmp_path / "chart.svg")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    lo, hi = fig.axes[0].get_xlim()
    shown = [t for t, x in zip(labels, fig.axes[0].get_xticks(), strict=True) if lo <= x <= hi]
    assert shown[0] == "0" and len(shown) <= int(HALF_W * 2.3), shown
