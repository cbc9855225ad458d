"""The :class:`Report` of one month: tables, numbers, charts and text, with PDF and HTML export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from ..config import Config
from ..files import write_atomically
from .charts import Chart


@dataclass
class Report:
    """One month's Monthly Informational Report.

    Attributes
    ----------
    month
        ``"YYYY-MM"``.
    tables
        Every table, keyed like the published-figures format
        (``"vip.referrals_by_area"``, ``"cora.incidents_by_type"``, ...).
    scalars
        The headline numbers as printed (``"vip.success_rate_pct"``: 94.4, ...).
    charts, figures
        Each chart's declaration (which table and columns it draws) and its Figure.
    text, activities
        The fixed text, and the month's free text (``activities.md`` beside the data).
    quality
        The data-quality summary of the load.
    missing_sections
        Sections left out because their table was not in the data.
    """

    month: str
    config: Config
    tables: dict[str, pd.DataFrame]
    scalars: dict[str, float | int | None]
    charts: dict[str, Chart]
    figures: dict[str, Figure]
    text: dict[str, object]
    activities: str | None
    quality: pd.DataFrame
    missing_sections: list[str] = field(default_factory=list)

    @property
    def title_month(self) -> str:
        return pd.Period(self.month, "M").strftime("%B %Y").upper()

    @property
    def month_short(self) -> str:
        return pd.Period(self.month, "M").strftime("%b").upper()

    def to_pdf(self, path: str | Path) -> Path:
        """Write the report as a US Letter PDF, atomically (a failure leaves any old file as it was)."""
        from .pdf import write_pdf

        return write_atomically(path, lambda tmp: write_pdf(self, tmp))

    def to_html(self, path: str | Path) -> Path:
        """Write one self-contained HTML file (charts inline as SVG), atomically."""
        from .html import render_html

        html = render_html(self)
        return write_atomically(path, lambda tmp: tmp.write_text(html, encoding="utf-8"))

    def _repr_html_(self) -> str:
        from .html import render_html

        return render_html(self, standalone=False)

    def __repr__(self) -> str:
        return (f"<vipreport.Report {self.month}: {len(self.tables)} tables, {len(self.figures)} charts"
                + (f", missing {len(self.missing_sections)} sections" if self.missing_sections else "") + ">")
