"""The report's tables by CLI name: each takes (data, month) and returns a DataFrame."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from . import metrics
from .io import Dataset


def _success(method: str, by: str | None) -> Callable[[Dataset, str], pd.DataFrame]:
    return lambda data, month: metrics.success_rate(data, month, method=method, by=by)


def _series(metric: str) -> Callable[[Dataset, str], pd.DataFrame]:
    return lambda data, month: metrics.series(data, metric, months=36, end=month)


TABLE_FUNCTIONS: dict[str, Callable[[Dataset, str], pd.DataFrame]] = {
    "referrals-by-area": metrics.referrals_by_area,
    "referral-sources": metrics.referral_sources,
    "referrals-by-program": metrics.referrals_by_program,
    "custom-notifications": metrics.custom_notifications,
    "fytd-totals": metrics.fytd_totals,
    "services": metrics.services_by_status,
    "services-connected": metrics.services_connected,
    "active-caseload": metrics.active_caseload,
    "engagement-rate": metrics.engagement_rate,
    "notification-ages": metrics.notification_ages,
    "success-rate": _success("running", None),
    "success-rate-fixed": _success("fixed", None),
    "success-by-age": _success("running", "age_group"),
    "area-trends": metrics.area_trends,
    "trc-referrals": metrics.trc_referrals_by_source,
    "cora-incidents": metrics.cora_incidents_by_type,
    "cora-areas": metrics.cora_responses_by_area,
    "cora-totals": metrics.cora_totals,
    "oep": metrics.oep_summary,
    **{f"series-{name.replace('_', '-')}": _series(name) for name in metrics.series_metrics()},
}
# Table names before the success series were renamed (docs/architecture.md, "Renames"): still accepted, with a
# warning naming the new one.
RENAMED_TABLES: dict[str, str] = {
    "series-success-rate": "series-success-rate-running",
    "series-fixed-success-rate": "series-success-rate-fixed",
}
