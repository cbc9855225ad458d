"""The report's tables and headline numbers hold rates as proportions (0-1), FYTD as a column, and its
as-of date; the renderers print the same percents as before.

The printed strings below were read from the November 2024 demo report as
built before rates became proportions (its PDF and HTML text); they are not
computed by the code under test.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vipreport as vr
from vipreport.published import parse_document, reconcile
from vipreport.published.ledger import record_document
from vipreport.published.printed import PRINTED_RATES, printed_scalars
from vipreport.report import Report
from vipreport.report.numbers import percent_of, percent_of_text
from vipreport.report.outline import Table, outline
from vipreport.report.rates import RATE_COLUMNS, RATE_SCALARS, SIGNED_COLUMNS

MONTH = "2024-11"


@pytest.fixture(scope="module")
def demo() -> vr.Dataset:
    return vr.datasets.demo()


@pytest.fixture(scope="module", params=["internal", "public"])
def report(request: pytest.FixtureRequest, demo: vr.Dataset) -> Report:
    return vr.build_report(demo, MONTH, public=request.param == "public")


# -- proportions ---------------------------------------------------------------------------------------
def test_percent_of_rounds_half_up_on_the_decimal_value() -> None:
    # Worked by hand: 1/16 = 6.25% rounds up to 6.3 (a float format rounds 6.25 to even: 6.2);
    # 23/80 = 28.75% rounds up to 28.8 (100 * (23 / 80) is 28.749999999999996 in floating point).
    assert f"{6.25:.1f}" == "6.2" and 100 * (23 / 80) < 28.75
    assert percent_of(1 / 16) == 6.3
    assert percent_of(23 / 80) == 28.8
    assert percent_of(-1 / 16) == -6.3  # a difference: half away from zero
    assert percent_of(11 / 30) == 36.7
    assert percent_of(0.0) == 0.0 and percent_of(1.0) == 100.0
    assert percent_of(None) is None and percent_of(float("nan")) is None
    assert percent_of_text(1 / 16) == "6.3" and percent_of_text(None) == "n/a"
    assert percent_of_text(0.022, sign=True) == "+2.2" and percent_of_text(-0.226, sign=True) == "-22.6"


def test_every_rate_in_the_tables_and_scalars_is_a_proportion(report: Report) -> None:
    checked = 0
    for key, table in report.tables.items():
        assert not [c for c in map(str, table.columns) if c.endswith("pct")], key  # no percents left
        for column in report.rate_columns(key):
            values = pd.to_numeric(table[column], errors="coerce").dropna().to_numpy(dtype=float)
            if column in SIGNED_COLUMNS.get(key, ()):
                low = -1.0  # a difference of two proportions, or a relative change (at most all gone)
                high = 1.0 if key == "vip.engagement_change" else np.inf
            else:
                low, high = 0.0, 1.0
            assert ((values >= low) & (values <= high)).all(), (key, column)
            checked += len(values)
    assert checked > 500  # the trends, the survival curve and their intervals
    for key, value in report.scalars.items():
        assert not key.endswith("_pct"), key
        if key in RATE_SCALARS:
            assert value is not None and 0 <= float(value) <= 1, key


def test_every_proportion_column_is_declared(report: Report) -> None:
    """A float column named like a rate or an interval must be in Report.rates, or no renderer would print it
    as a percent."""
    for key, table in report.tables.items():
        for column in table.columns:
            named = isinstance(column, str) and column.endswith(("_rate", "ci_low", "ci_high", "survival", "_share"))
            named = named and not str(column).startswith("rr_")  # a rate ratio's interval: not a proportion
            if named and pd.api.types.is_float_dtype(table[column]):
                assert column in RATE_COLUMNS.get(key, ()), (key, column)


def test_headline_rates_are_their_counts_divided(report: Report) -> None:
    row = report.tables["vip.engagement"].iloc[0]
    assert report.scalars["vip.engagement_rate"] == pytest.approx(row.engaged / row.notified, abs=1e-15)
    last = report.tables["vip.success_trend"].iloc[-1]
    assert report.scalars["vip.success_rate"] == pytest.approx(last.successes / last.persons, abs=1e-15)
    change = report.tables["vip.engagement_change"]
    np.testing.assert_allclose(change["engagement_rate"], change["engaged"] / change["notified"], rtol=1e-15)


# -- FYTD and as-of -------------------------------------------------------------------------------------
def test_fytd_is_a_column_never_a_row(report: Report) -> None:
    with_fytd = []
    for key, table in report.tables.items():
        assert "FYTD" not in [str(i) for i in table.index], key
        columns: list[object] = list(table.columns)
        last = [c[-1] if isinstance(c, tuple) else c for c in columns]  # the period of (status, period) pairs
        if "FYTD" in last:
            with_fytd.append(key)
    assert "vip.custom_notifications" in with_fytd and "vip.fytd_totals" in with_fytd
    # The fiscal year starts in July: the notifications of July to November add up to the FYTD column.
    notes = report.tables["vip.custom_notifications"]
    assert list(notes.columns) == ["2024-07", "2024-08", "2024-09", "2024-10", "2024-11", "FYTD"]
    given = notes.loc["notifications"].to_numpy(dtype=int)  # July to November, then FYTD
    assert given[:-1].sum() == given[-1]
    totals = report.tables["vip.fytd_totals"]  # the report month, then FYTD
    assert given[-2:].tolist() == totals.loc["Custom notifications"].to_numpy(dtype=int).tolist()


def test_as_of_is_the_last_day_of_the_month(demo: vr.Dataset) -> None:
    assert vr.build_report(demo, MONTH).as_of == dt.date(2024, 11, 30)
    assert vr.build_report(demo, "2024-02").as_of == dt.date(2024, 2, 29)  # a leap year


# -- printed as before ----------------------------------------------------------------------------------
class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.parts.append(data.strip())


# Read from the November 2024 demo report's HTML before the change (internal edition).
PRINTED = (
    "36.7%",
    "NOV engagement rate: 11 of 30 notified (provisional: 93% of windows still open, the rate can only rise)",
    "Engagement in Oct 2024 against Oct 2023: 61.3% vs 59.1%\u2020, a difference of +2.2 points "
    "(95% Newcombe interval -22.6 to +27.5).",
    "97.6% of VIP participants have had no new violent incident in the past 2 years.",
    "of 583 participants notified in the past 24 months (95% interval 96.0% to 98.6%), not counting 1 who died "
    "before any new violent incident",
    "Line chart: Engagement with services after a custom notification. From Dec 2023 to Nov 2024. Engagement "
    "rate: latest 36.7% (Nov 2024); highest 73.1% (Mar 2024), lowest 19.0% (Apr 2024).",
    "Bar chart: Success rate by age group at notification. Success rate: highest 100.0% (35 and over), lowest "
    "96.7% (18-24).",
    "Step chart: No new violent incident, by days since first notification. From 0 to 729. Kaplan-Meier "
    "estimate: latest 94.0% (729); highest 100.0% (0), lowest 94.0% (724).",
    "36.7% (provisional)",
    "success rate %",
)


def test_the_html_prints_the_same_percents(demo: vr.Dataset, tmp_path: Path) -> None:
    report = vr.build_report(demo, MONTH)
    parser = _Text()
    parser.feed(report.to_html(tmp_path / "r.html").read_text("utf-8"))
    for line in PRINTED:
        assert line in parser.parts, line
    # The methods appendix, row by row, as printed before.
    methods = next(b for b in outline(report).blocks() if isinstance(b, Table) and b.key == "vip.success_methods")
    assert methods.header() == ["Method", "persons", "failures", "deaths", "success %", "95% interval"]
    assert methods.rows() == [
        ["Success rate (running)", "583", "14", "1", "97.6", "96.0 to 98.6"],
        ["Success rate (fixed window)", "385", "29", "2", "92.5", "89.4 to 94.7"],
        ["Kaplan-Meier S(730)", "970", "42", "n/a", "94.0", "91.9 to 95.6"],
    ]


def test_every_printed_rate_is_its_counts_rounded_half_up(report: Report) -> None:
    """Each rate cell of the success-by-age table, worked out from its counts with exact fractions."""
    printed = next(b for b in outline(report).blocks() if isinstance(b, Table) and b.key == "vip.success_by_age")
    assert printed.header()[-1] == "success rate %"
    by_age = report.tables["vip.success_by_age"]
    for row, (group, values) in zip(printed.rows(), by_age.iterrows(), strict=True):
        text = row[-1].rstrip("\u2020")
        if text == "*" or values.persons == 0:
            continue
        exact = Fraction(1000 * int(values.successes), int(values.persons))  # tenths of a percent
        tenths = int(exact) + (1 if exact - int(exact) >= Fraction(1, 2) else 0)
        assert text == f"{tenths // 10}.{tenths % 10}", group


def test_display_prints_rates_as_percents() -> None:
    report = vr.build_report(vr.datasets.demo(), MONTH)
    shown = report.display("vip.success_methods")
    assert shown.loc["Success rate (running)", "success_rate"] == "97.6"
    assert shown.loc["Success rate (running)", "ci_low"] == "96.0"
    assert report.scalar_text("vip.success_rate") == "97.6%"
    assert report.scalar_text("vip.engagement_rate") == "36.7%"
    assert report.scalar_text("vip.active_caseload") == "98"


# -- the published-figures format keeps its percents ------------------------------------------------------
def test_the_published_format_keeps_printed_percents(demo: vr.Dataset) -> None:
    report = vr.build_report(demo, MONTH)
    assert set(PRINTED_RATES.values()) == RATE_SCALARS
    printed = printed_scalars(report)
    assert printed["vip.success_rate_pct"] == 97.6 and printed["vip.engagement_rate_pct"] == 36.7
    assert "vip.success_rate" not in printed
    record = record_document(report, demo)
    assert record["scalars"]["vip.success_rate_pct"] == 97.6
    assert record["scalars"]["vip.engagement_rate_pct"] == 36.7
    assert "vip.custom_notifications" not in record["tables"]  # drawn, not printed as a table
    # As the November 2024 report printed them: both agree to the digit.
    doc = parse_document(
        {"report_month": MONTH, "scalars": {"vip.success_rate_pct": 97.6, "vip.engagement_rate_pct": 36.7}}
    )
    rows = reconcile(report, doc)
    assert rows["difference"].tolist() == [0.0, 0.0] and (rows["note"] == "").all()


def test_a_hidden_headline_rate_is_recorded_as_suppressed_under_its_printed_key() -> None:
    raw = vr.datasets.generate(seed=3, start="2024-01-01", end="2024-03-31", scale=0.2)
    data = vr.load(raw)
    report = vr.build_report(data, "2024-03", public=True, data_as_of="2024-03-31")
    hidden = report.hidden_scalars & RATE_SCALARS
    if not hidden:
        pytest.fail("the small data set no longer hides a headline rate: pick another seed")
    suppressed = record_document(report, data)["provenance"]["suppressed"]
    for key in hidden:
        assert f"{key}_pct" in suppressed and key not in suppressed
