"""vipreport: Monthly Informational Reports for violence intervention programs.

Typical use::

    import vipreport as vr
    data = vr.load("exports/")            # or vr.datasets.demo()
    vr.referrals_by_area(data, "2024-11")
"""

from . import datasets
from .config import Config, ConfigError
from .errors import ArgumentError, MissingTableError, Problem, ValidationError, VipReportError
from .io import Dataset, load
from .metrics import referrals_by_area

__version__ = "0.1.0"

__all__ = [
    "ArgumentError", "Config", "ConfigError", "Dataset", "MissingTableError", "Problem",
    "ValidationError", "VipReportError", "datasets", "load", "referrals_by_area",
]
