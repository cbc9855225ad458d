"""vipreport: Monthly Informational Reports for violence intervention programs.

Typical use::

    import vipreport as vr
    data = vr.load("exports/")            # or vr.datasets.demo()
    vr.referrals_by_area(data, "2024-11")
"""

import logging

from . import datasets, stats
from .config import Config, ConfigError
from .errors import (
    ArgumentError,
    DatabaseError,
    MissingDependencyError,
    MissingSectionsError,
    MissingTableError,
    MonthOutOfRangeError,
    NoDataError,
    Problem,
    UnmatchedFilesError,
    ValidationError,
    VipReportError,
)
from .io import Dataset, load
from .metrics import (
    SurvivalFitter,
    active_caseload,
    area_series,
    area_trends,
    cora_incidents_by_type,
    cora_responses_by_area,
    cora_totals,
    custom_notifications,
    engagement_rate,
    fytd_totals,
    oep_summary,
    referral_sources,
    referrals_by_area,
    referrals_by_area_series,
    referrals_by_program,
    series,
    services_by_status,
    services_connected,
    success_rate,
    survival_at,
    survival_curve,
    trc_active_clients,
    trc_referrals_by_source,
)
from .published import audit, diff, reconcile
from .report import Report, build_report

__version__ = "0.1.0"

# The library logs under "vipreport" and leaves output to the application (the CLI adds a handler).
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    "ArgumentError",
    "Config",
    "ConfigError",
    "DatabaseError",
    "Dataset",
    "MissingDependencyError",
    "MissingSectionsError",
    "MissingTableError",
    "MonthOutOfRangeError",
    "NoDataError",
    "Problem",
    "Report",
    "SurvivalFitter",
    "UnmatchedFilesError",
    "ValidationError",
    "VipReportError",
    "active_caseload",
    "area_series",
    "area_trends",
    "audit",
    "build_report",
    "cora_incidents_by_type",
    "cora_responses_by_area",
    "cora_totals",
    "custom_notifications",
    "datasets",
    "diff",
    "engagement_rate",
    "fytd_totals",
    "load",
    "oep_summary",
    "reconcile",
    "referral_sources",
    "referrals_by_area",
    "referrals_by_area_series",
    "referrals_by_program",
    "series",
    "services_by_status",
    "services_connected",
    "stats",
    "success_rate",
    "survival_at",
    "survival_curve",
    "trc_active_clients",
    "trc_referrals_by_source",
]
