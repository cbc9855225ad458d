"""``build_report``: every table, chart and text of one month's report."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Collection
from typing import Any

import numpy as np
import pandas as pd

from .. import metrics
from ..calendar import month_end, month_index, month_label
from ..config import Config
from ..io import EVENT_DATE, Dataset
from ..stats import newcombe_interval
from .chartfigure import LazyFigures, chart_figure
from .charts import charts_for
from .model import Report
from .public_edition import public_masks
from .words import words

TREND_MONTHS = 24
log = logging.getLogger(__name__)
# Each section of the report, the tables it needs, and the _Sections method that computes it. The
# program's own sections are always part of the report; a partner page (trc, cora, oep) is there when
# the profile shows it, and its absence is reported only when the profile says the page is required.
SECTIONS = (
    ("referrals", ("referrals",), "vip_referrals"),
    ("custom notifications", ("notifications",), "vip_notifications"),
    ("fiscal-year-to-date totals", ("referrals", "notifications", "services"), "vip_totals"),
    ("services", ("services",), "vip_services"),
    ("engagement rate", ("notifications", "services"), "vip_engagement"),
    ("active caseload", ("enrollments",), "vip_caseload"),
    ("success rate", ("notifications", "incidents"), "vip_success"),
    ("trc", ("trc_referrals",), "trc"),
    ("cora", ("cora_responses",), "cora"),
    ("oep", ("oep_referrals",), "oep"),
)
PAGES = ("trc", "cora", "oep")


def section_title(name: str, config: Config) -> str:
    """A section as the profile calls it: "VIP referrals", "Victim services", ..."""
    if name in PAGES:
        return str(getattr(config, f"{name}_title"))
    return f"{config.short_name} {name}".strip()


def missing_sections(tables: Collection[str], config: Config | None = None) -> list[str]:
    """The sections a report on ``tables`` (table names) should have but leaves out, each naming the
    tables it needs. A partner page the profile hides, or does not require, is not missing."""
    config = config or Config.default()
    missing = []
    for name, needs, _ in SECTIONS:
        if name in PAGES and not (getattr(config, f"{name}_show") and getattr(config, f"{name}_required")):
            continue
        absent = [t for t in needs if t not in tables]
        if absent:
            missing.append(f"{section_title(name, config)} (needs {', '.join(absent)})")
    return missing


def build_report(
    data: Dataset,
    month: str,
    *,
    config: Config | None = None,
    public: bool = False,
    data_as_of: str | dt.date | pd.Timestamp | None = None,
) -> Report:
    """Compute the Monthly Informational Report for ``month``.

    Parameters
    ----------
    data
        The loaded record tables. Sections whose table is absent are left out
        and listed in ``Report.missing_sections``.
    month
        The report month, ``"YYYY-MM"``. Rates are as of its last day.
    config
        Overrides ``data.config``.
    public
        Apply the small-number rules (``[publication]`` in the config) to
        what is drawn and printed. ``tables`` always keep every number;
        ``masks`` say which cells the public edition hides.
    data_as_of
        The date the exports were taken, when known. A month can be reported
        once it is complete: when the data hold a record dated after its last
        day, or when ``data_as_of`` is on or after it.

    Returns
    -------
    Report
        ``tables`` (DataFrames of counts and denominators; rates are
        proportions 0-1, their columns listed in ``Report.rates``),
        ``scalars`` (the headline numbers; rates as proportions), ``figures`` (charts that display in
        notebooks; ``.figure`` is the matplotlib Figure),
        ``text``, ``activities``, ``quality``; and ``to_pdf``, ``to_html``.

    Raises
    ------
    MonthOutOfRangeError
        ``month`` is in the future, before the first record, or after the
        last complete month of the data (the message says what they cover).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> report = vr.build_report(data, "2024-11")
    >>> report.scalars["vip.active_caseload"], report.scalars["trc.active_clients"]
    (98, 52)
    >>> report.tables["vip.referrals_by_area"].loc["Southeast"].tolist()
    [12, 16, 16, 69]
    >>> report.missing_sections
    []
    """
    config = config or data.config
    label = month_label(month_index(month))
    data.check_month(label, data_as_of=data_as_of)
    sections = _Sections(data, label, config)
    sections.build()
    for section in sections.missing:
        log.info("left out %s", section)
    masks, hidden_scalars = public_masks(sections.tables, sections.scalars, config, label) if public else ({}, set())
    charts = charts_for(sections.tables, config)
    figures = LazyFigures(
        {c.name: functools.partial(chart_figure, c, sections.tables[c.table], mask=masks.get(c.table)) for c in charts}
    )
    return Report(
        month=label,
        config=config,
        tables=sections.tables,
        scalars=sections.scalars,
        charts={c.name: c for c in charts},
        figures=figures,
        text=words(config),
        activities=data.activities_text,
        quality=pd.concat([data.quality, _after_month(data, label)], ignore_index=True),
        missing_sections=sections.missing,
        public=public,
        masks=masks,
        hidden_scalars=hidden_scalars,
        demo=data.synthetic,
    )


class _Sections:
    """Computes each section whose tables are present; records the rest as missing."""

    def __init__(self, data: Dataset, month: str, config: Config) -> None:
        self.data, self.month, self.config = data, month, config
        self.tables: dict[str, pd.DataFrame] = {}
        self.scalars: dict[str, float | int | None] = {}
        self.missing: list[str] = []

    def build(self) -> None:
        self.missing = missing_sections(self.data.tables, self.config)
        for name, needs, method in SECTIONS:
            if name in PAGES and not getattr(self.config, f"{name}_show"):
                continue
            if all(t in self.data for t in needs):
                log.debug("computing %s", name)
                getattr(self, method)()

    def args(self) -> tuple[Dataset, str]:
        return self.data, self.month

    def vip_referrals(self) -> None:
        t = self.tables
        kw: dict[str, Any] = {"config": self.config}
        t["vip.referrals_by_area"] = metrics.referrals_by_area(*self.args(), **kw).vip.wide()
        t["vip.referral_sources"] = metrics.referral_sources(*self.args(), **kw).vip.wide()
        if "program" in self.data.table("referrals"):
            t["vip.referrals_by_program"] = metrics.referrals_by_program(*self.args(), **kw).vip.wide()
        t["vip.area_trends"] = metrics.area_trends(*self.args(), **kw).set_index("area_command").drop(columns="as_of")

    def vip_notifications(self) -> None:
        # Months and FYTD as columns, as in every other table: a FYTD row among the months doubles a sum.
        notifications = metrics.custom_notifications(*self.args(), config=self.config).vip.wide()
        self.tables["vip.custom_notifications"] = notifications.rename_axis(index="measure", columns="month")

    def vip_totals(self) -> None:
        self.tables["vip.fytd_totals"] = metrics.fytd_totals(*self.args(), config=self.config).vip.wide()

    def vip_services(self) -> None:
        services = metrics.services_by_status(*self.args(), config=self.config)
        by_status = {
            status: services[services["status"] == status].drop(columns="status").vip.wide()
            for status in self.config.service_statuses
        }
        self.tables["vip.services"] = pd.concat(by_status, axis=1)
        connected = metrics.services_connected(*self.args(), config=self.config)
        self.tables["vip.services_connected"] = connected.vip.wide()

    def vip_engagement(self) -> None:
        table = _by_month(metrics.engagement_rate(*self.args(), config=self.config))
        row = table.iloc[0]
        self.tables["vip.engagement"] = table
        self.scalars["vip.engagement_rate"] = _proportion(row.engaged, row.notified)
        trend = _by_month(metrics.series(self.data, "engagement_rate", months=25, end=self.month, config=self.config))
        self.tables["vip.engagement_trend"] = trend.iloc[-12:]
        # The change against a year earlier compares final values only: the latest month whose persons'
        # windows have all closed (the report month is usually still provisional), against 12 months before.
        final = [m for m in trend.index[-13:] if not trend.loc[m, "provisional"] and not trend.loc[m, "empty"]]
        now = final[-1] if final else self.month
        then = month_label(month_index(now) - 12)
        if now not in trend.index or then not in trend.index:
            return  # the data do not reach a year back: no change to state
        a: Any = trend.loc[now]
        b: Any = trend.loc[then]
        difference, low, high = newcombe_interval(a.engaged, a.notified, b.engaged, b.notified)
        self.tables["vip.engagement_change"] = pd.DataFrame(
            {
                "engaged": [a.engaged, b.engaged],
                "notified": [a.notified, b.notified],
                "engagement_rate": [_proportion(a.engaged, a.notified), _proportion(b.engaged, b.notified)],
                "difference": [float(difference), np.nan],
                "difference_ci_low": [float(low), np.nan],
                "difference_ci_high": [float(high), np.nan],
                "provisional": [bool(a.provisional), bool(b.provisional)],
            },
            index=pd.Index([now, then], name="month"),
        )

    def vip_caseload(self) -> None:
        trend = metrics.series(self.data, "active_caseload", months=12, end=self.month, config=self.config)
        trend = _by_month(trend).drop(columns="as_of")
        self.tables["vip.caseload_trend"] = trend
        self.scalars["vip.active_caseload"] = int(trend["active_last_day"].iloc[-1])

    def vip_success(self) -> None:
        c = self.config
        trend = _by_month(
            metrics.series(self.data, "success_rate_running", months=TREND_MONTHS, end=self.month, config=c)
        )
        # "notified" (persons + deaths) is not printed: with persons it would give away a hidden death count.
        trend = trend.drop(columns="notified")
        self.tables["vip.success_trend"] = trend
        last = trend.iloc[-1]
        self.scalars["vip.success_rate"] = _proportion(last.successes, last.persons)
        by_age = metrics.success_rate(*self.args(), by="age_group", config=c).set_index("group")
        self.tables["vip.success_by_age"] = by_age.drop(columns="notified")
        running = by_age.loc["All"]
        fixed = metrics.success_rate(*self.args(), method="fixed", config=c).set_index("group").loc["All"]
        # Time 0 comes first: its at-risk count is everyone in the Kaplan-Meier estimate.
        fitted = metrics.SurvivalFitter().fit(*self.args(), config=c)  # fitted once: table, methods and curve
        survival = fitted.survival_at((0, 180, 365, c.success_window_days))
        everyone = survival.iloc[0]["at_risk"]
        survival = survival.iloc[1:]
        self.tables["vip.survival"] = survival.set_index("time")
        at_window = survival.iloc[-1]
        self.tables["vip.success_methods"] = pd.DataFrame(
            {
                "persons": [running.persons, fixed.persons, int(everyone)],
                "failures": [running.failures, fixed.failures, at_window.events],
                "deaths": [running.deaths, fixed.deaths, np.nan],  # Kaplan-Meier: deaths are censored
                "success_rate": [running.success_rate, fixed.success_rate, at_window.survival],
                "ci_low": [running.ci_low, fixed.ci_low, at_window.ci_low],
                "ci_high": [running.ci_high, fixed.ci_high, at_window.ci_high],
            },
            index=pd.Index(
                [
                    "Success rate (running)",
                    "Success rate (fixed window)",
                    f"Kaplan-Meier S({c.success_window_days})",
                ],
                name="method",
            ),
        )
        curve = fitted.curve_
        curve = curve[curve["time"] <= c.success_window_days]
        steps = pd.concat(
            [
                pd.DataFrame({"time": [0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]}),
                curve[["time", "survival", "ci_low", "ci_high"]],
            ]
        )
        self.tables["vip.survival_curve"] = steps.drop_duplicates("time", keep="last").set_index("time")

    def trc(self) -> None:
        trc = metrics.trc_referrals_by_source(*self.args(), config=self.config)
        if trc.empty:  # a month before the centre's first referral: no month columns, a zero FYTD
            sources = [str(s) for s in self.data.table("trc_referrals")["source"].cat.categories]
            self.tables["trc.referrals_by_source"] = pd.DataFrame({"FYTD": 0}, index=pd.Index(sources, name="source"))
        else:
            self.tables["trc.referrals_by_source"] = trc.vip.wide()
        self.scalars["trc.active_clients"] = metrics.trc_active_clients(*self.args(), config=self.config)

    def cora(self) -> None:
        t = self.tables
        t["cora.incidents_by_type"] = metrics.cora_incidents_by_type(*self.args(), config=self.config).vip.wide()
        t["cora.responses_by_area"] = metrics.cora_responses_by_area(*self.args(), config=self.config).vip.wide()
        t["cora.totals"] = totals = metrics.cora_totals(*self.args(), config=self.config).vip.wide()
        for measure in totals.index:
            self.scalars[f"cora.fytd.{measure}"] = int(totals.loc[measure, "FYTD"])

    def oep(self) -> None:
        self.tables["oep.summary"] = metrics.oep_summary(*self.args(), config=self.config).vip.wide()


def _by_month(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy per-month result indexed by its month as ``"YYYY-MM"``: the shape the report's tables keep."""
    table = frame.drop(columns="month")
    table.index = pd.Index(frame["month"].astype(str).tolist(), name="month")
    return table


def _proportion(numerator: int, denominator: int) -> float | None:
    """numerator / denominator, or None when there is no one to count (the report prints n/a)."""
    return int(numerator) / int(denominator) if denominator else None


def _after_month(data: Dataset, month: str) -> pd.DataFrame:
    """Rows dated after the report month: loaded, but not counted in this month's figures."""
    end = month_end(month_index(month))
    rows = []
    for name, frame in data.tables.items():
        later = int((frame[EVENT_DATE[name]] > end).sum())
        if later:
            rows.append((name, "not counted", "dated after the report month", later))
    return pd.DataFrame(rows, columns=["table", "action", "reason", "rows"])
