"""The Monthly Informational Report: tables, charts, text; PDF and HTML."""

from .build import build_report
from .charts import CHARTS, Chart
from .model import Report

__all__ = ["CHARTS", "Chart", "Report", "build_report"]
