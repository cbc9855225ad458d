"""The report's figures, each as a long, tidy DataFrame of counts and denominators."""

from .accessor import VipAccessor  # importing it registers DataFrame.vip
from .caseload import active_caseload
from .counts import (
    custom_notifications,
    fytd_totals,
    referral_sources,
    referrals_by_area,
    referrals_by_area_series,
    referrals_by_program,
    services_by_status,
    services_connected,
)
from .engagement import engagement_rate, notification_ages
from .partners import (
    cora_incidents_by_type,
    cora_responses_by_area,
    cora_totals,
    oep_summary,
    trc_active_clients,
    trc_referrals_by_source,
)
from .series import METRICS as _SERIES_METRICS
from .series import series
from .success import success_rate
from .survival import SurvivalFitter, follow_up, survival_at, survival_curve
from .trends import area_series, area_trends


def series_metrics() -> tuple[str, ...]:
    """The metric names :func:`series` accepts."""
    return _SERIES_METRICS


__all__ = [
    "SurvivalFitter",
    "VipAccessor",
    "active_caseload",
    "area_series",
    "area_trends",
    "cora_incidents_by_type",
    "cora_responses_by_area",
    "cora_totals",
    "custom_notifications",
    "engagement_rate",
    "follow_up",
    "fytd_totals",
    "notification_ages",
    "oep_summary",
    "referral_sources",
    "referrals_by_area",
    "referrals_by_area_series",
    "referrals_by_program",
    "series",
    "services_by_status",
    "services_connected",
    "success_rate",
    "survival_at",
    "survival_curve",
    "trc_active_clients",
    "trc_referrals_by_source",
]
