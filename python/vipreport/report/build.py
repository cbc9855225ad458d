"""``build_report``: every table, chart and text of one month's report."""

from __future__ import annotations

import pandas as pd

from .. import metrics
from ..config import Config
from ..io import Dataset
from ..metrics._months import month_index, month_label
from . import text
from .charts import charts_for, figure
from .model import Report
from .numbers import percent

TREND_MONTHS = 24


def build_report(data: Dataset, month: str, *, config: Config | None = None) -> Report:
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

    Returns
    -------
    Report
        ``tables`` (DataFrames of counts and denominators), ``scalars`` (the
        headline numbers as printed), ``figures`` (matplotlib Figures),
        ``text``, ``activities``, ``quality``; and ``to_pdf``, ``to_html``.
    """
    config = config or data.config
    label = month_label(month_index(month))
    tables: dict[str, pd.DataFrame] = {}
    scalars: dict[str, float | int | None] = {}
    missing: list[str] = []

    def section(name: str, needs: tuple[str, ...], compute) -> None:
        if all(t in data for t in needs):
            compute()
        else:
            missing.append(f"{name} (needs {', '.join(t for t in needs if t not in data)})")

    def vip_counts():
        tables["vip.referrals_by_area"] = metrics.referrals_by_area(data, label, config=config)
        tables["vip.referral_sources"] = metrics.referral_sources(data, label, config=config)
        if "program" in data.table("referrals"):
            tables["vip.referrals_by_program"] = metrics.referrals_by_program(data, label, config=config)
        tables["vip.area_trends"] = metrics.area_trends(data, label, config=config)

    def vip_notifications():
        tables["vip.custom_notifications"] = metrics.custom_notifications(data, label, config=config)

    def vip_totals():
        tables["vip.fytd_totals"] = metrics.fytd_totals(data, label, config=config)

    def vip_services():
        tables["vip.services"] = metrics.services_by_status(data, label, config=config)
        tables["vip.services_connected"] = metrics.services_connected(data, label, config=config)

    def vip_engagement():
        table = metrics.engagement_rate(data, label, config=config)
        row = table.iloc[0]
        tables["vip.engagement"] = table
        scalars["vip.engagement_rate_pct"] = percent(row.engaged, row.notified)
        trend = metrics.series(data, "engagement_rate", months=12, end=label, config=config)
        trend["engagement_rate_pct"] = [percent(e, n) for e, n in zip(trend.engaged, trend.notified)]
        tables["vip.engagement_trend"] = trend

    def vip_caseload():
        trend = metrics.series(data, "active_caseload", months=12, end=label, config=config)
        tables["vip.caseload_trend"] = trend
        scalars["vip.active_caseload"] = int(trend["active_last_day"].iloc[-1])

    def vip_success():
        trend = metrics.series(data, "success_rate", months=TREND_MONTHS, end=label, config=config)
        trend["success_rate_pct"] = [percent(s, n) for s, n in zip(trend.successes, trend.persons)]
        tables["vip.success_trend"] = trend
        scalars["vip.success_rate_pct"] = trend["success_rate_pct"].iloc[-1]
        fixed = metrics.success_rate(data, label, method="fixed", config=config)
        tables["vip.success_fixed"] = fixed
        by_age = metrics.success_rate(data, label, by="age_group", config=config)
        by_age["success_rate_pct"] = [percent(s, n) for s, n in zip(by_age.successes, by_age.persons)]
        tables["vip.success_by_age"] = by_age

    def trc():
        tables["trc.referrals_by_source"] = metrics.trc_referrals_by_source(data, label, config=config)
        scalars["trc.active_clients"] = metrics.trc_active_clients(data, label, config=config)

    def cora():
        tables["cora.incidents_by_type"] = metrics.cora_incidents_by_type(data, label, config=config)
        tables["cora.responses_by_area"] = metrics.cora_responses_by_area(data, label, config=config)
        totals = metrics.cora_totals(data, label, config=config)
        tables["cora.totals"] = totals
        for measure in totals.index:
            scalars[f"cora.fytd.{measure}"] = int(totals.loc[measure, "FYTD"])

    def oep():
        tables["oep.summary"] = metrics.oep_summary(data, label, config=config)

    section("VIP referrals", ("referrals",), vip_counts)
    section("VIP custom notifications", ("notifications",), vip_notifications)
    section("VIP fiscal-year-to-date totals", ("referrals", "notifications", "services"), vip_totals)
    section("VIP services", ("services",), vip_services)
    section("VIP engagement rate", ("notifications", "services"), vip_engagement)
    section("VIP active caseload", ("enrollments",), vip_caseload)
    section("VIP success rate", ("notifications", "incidents"), vip_success)
    section("Trauma Recovery Center", ("trc_referrals",), trc)
    section("CORA", ("cora_responses",), cora)
    section("OEP", ("oep_referrals",), oep)

    charts = charts_for(tables)
    figures = {chart.name: figure(chart, tables[chart.table]) for chart in charts}
    return Report(
        month=label,
        config=config,
        tables=tables,
        scalars=scalars,
        charts={chart.name: chart for chart in charts},
        figures=figures,
        text={
            "vip_introduction": text.VIP_INTRODUCTION,
            "trc_description": text.TRC_DESCRIPTION,
            "oep_description": text.OEP_DESCRIPTION,
        },
        activities=data.activities_text,
        quality=data.quality,
        missing_sections=missing,
    )
