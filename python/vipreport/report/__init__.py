"""The Monthly Informational Report: one outline, rendered as PDF and HTML."""

from .build import build_report
from .chartfigure import ChartFigure
from .charts import CHARTS, Chart
from .model import Report
from .outline import Outline, outline

__all__ = ["CHARTS", "Chart", "ChartFigure", "Outline", "Report", "build_report", "outline"]
