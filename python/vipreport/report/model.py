"""The :class:`Report` of one month: tables, numbers, charts and text, with PDF and HTML export."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..calendar import month_end, month_index, month_text
from ..config import Config
from ..files import write_atomically
from ..suppression import SUPPRESSED, UNSTABLE
from .cells import cell_text
from .charts import Chart
from .numbers import percent_of_text
from .public_edition import unstable_rows
from .rates import RATE_COLUMNS, RATE_SCALARS, SIGNED_COLUMNS

if TYPE_CHECKING:
    from .chartfigure import ChartFigure


# The renderers and the data package register here when they are imported, so this model imports none of
# them. "pdf" and "html" write one file; "package" writes a folder. Each is imported on its first use
# (:func:`_writer`), so `import vipreport` loads no renderer, and no drawing library.
WRITERS: dict[str, Callable[[Report, Path], None]] = {}
NOTEBOOK_VIEW: list[Callable[[Report], str]] = []
_MODULES = {"pdf": ("pdf", "write_pdf"), "html": ("html", "_write_html"), "package": ("package", "_write")}


def _writer(kind: str) -> Callable[[Report, Path], None]:
    if kind not in WRITERS:
        module, name = _MODULES[kind]
        WRITERS[kind] = getattr(importlib.import_module(f"{__package__}.{module}"), name)
    return WRITERS[kind]


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
        Months and ``FYTD`` (fiscal year to date) are columns, never rows, so
        summing a row over its months never counts the year twice. Rates are
        proportions from 0 to 1 (``success_rate`` 0.976), as the metric
        functions return them; they become percents only when printed.
    scalars
        The headline numbers (``"vip.success_rate"``: 0.976, ``"vip.active_caseload"``: 98, ...), rates as
        proportions 0-1. :meth:`scalar_text` gives each as printed ("97.6%").
    rates
        Per table, its columns that hold proportions (a rate, its interval, a share) and that every
        renderer prints as percents (:data:`vipreport.report.rates.RATE_COLUMNS`).
    charts, figures
        Each chart's declaration (which table and columns it draws), and the chart drawn: a
        :class:`~vipreport.report.chartfigure.ChartFigure`, which shows as an image in a notebook
        (``.figure`` and ``.ax`` are its matplotlib objects).
    text, activities
        The fixed text, and the month's free text (``activities.md`` beside the data).
    quality
        The data-quality summary of the load.
    missing_sections
        Sections left out because their table was not in the data.
    public, masks, hidden_scalars
        Whether this is the public edition, and which cells and numbers it hides.

    Examples
    --------
    >>> import vipreport as vr
    >>> report = vr.build_report(vr.datasets.demo(), "2024-11")
    >>> report.month, len(report.figures)
    ('2024-11', 14)
    >>> report.tables["cora.totals"].loc["adults_assisted"].tolist()
    [143, 747]
    >>> report.as_of
    datetime.date(2024, 11, 30)
    >>> round(report.scalars["vip.success_rate"], 3), report.scalar_text("vip.success_rate")
    (0.976, '97.6%')

    ``report.to_pdf(path)`` and ``report.to_html(path)`` write the report; in a
    notebook the report displays itself.
    """

    month: str
    config: Config
    tables: dict[str, pd.DataFrame]
    scalars: dict[str, float | int | None]
    charts: dict[str, Chart]
    figures: Mapping[str, ChartFigure]
    text: dict[str, Any]
    activities: str | None
    quality: pd.DataFrame
    missing_sections: list[str] = field(default_factory=list)
    public: bool = False
    masks: dict[str, pd.DataFrame] = field(default_factory=dict)
    hidden_scalars: set[str] = field(default_factory=set)
    demo: bool = False  # built from the synthetic demo data
    rates: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: RATE_COLUMNS)

    @property
    def as_of(self) -> dt.date:
        """The date the report's numbers are counted through: the last day of :attr:`month`.

        A rate whose follow-up window is still open on this date is provisional
        (the tables' ``provisional`` columns and the headline tiles say so).
        """
        return month_end(month_index(self.month)).date()

    def rate_columns(self, key: str) -> list[str]:
        """The columns of table ``key`` that are proportions, printed as percents, in the table's order."""
        declared = self.rates.get(key, ())
        return [c for c in self.tables[key].columns if isinstance(c, str) and c in declared]

    def display(self, key: str, columns: list[str] | None = None) -> pd.DataFrame:
        """Table ``key`` as printed: text cells, rates (:attr:`rates`) as percents with one decimal and no
        % sign (the header carries it), ``*`` where the public edition hides a value, and a dagger on the
        rates of rows whose denominator is below ``publication.unstable_below``."""
        table = self.tables[key] if columns is None else self.tables[key][columns]
        shown: pd.DataFrame = table.apply(lambda column: column.map(cell_text)).astype(object)
        rates = [c for c in self.rate_columns(key) if c in table.columns]
        for column in rates:  # always one decimal, so 94.0 does not print as 94 beside 93.5
            shown[column] = table[column].map(lambda v: percent_of_text(None if pd.isna(v) else v)).astype(object)
        mask = self.masks.get(key)
        if mask is not None:
            shown = shown.mask(mask[table.columns].to_numpy(), SUPPRESSED)
        flags = unstable_rows({key: self.tables[key]}, self.config).get(key)
        if flags is not None and flags.any():  # a rate over few people; not a difference between two rows
            for column in (c for c in rates if c not in SIGNED_COLUMNS.get(key, ())):
                shown.loc[flags, column] = shown.loc[flags, column].map(
                    lambda v: v if v == SUPPRESSED else f"{v}{UNSTABLE}"
                )
        return shown

    def scalar_text(self, key: str) -> str:
        """A headline number as printed: a rate as a percent ("97.6%"), ``*`` when the public edition hides it."""
        if key in self.hidden_scalars:
            return SUPPRESSED
        value = self.scalars.get(key)
        if value is None or value != value:
            return "n/a"
        return f"{percent_of_text(value)}%" if key in RATE_SCALARS else cell_text(value)

    @property
    def title_month(self) -> str:
        return month_text(self.month, "%B %Y").upper()

    @property
    def month_short(self) -> str:
        return month_text(self.month, "%b").upper()

    def to_pdf(self, path: str | Path) -> Path:
        """Write the report as a tagged US Letter PDF, atomically (a failure leaves any old file as it was)."""
        return write_atomically(path, lambda tmp: _writer("pdf")(self, tmp))

    def to_html(self, path: str | Path) -> Path:
        """Write one self-contained HTML file (charts inline as SVG), atomically."""
        return write_atomically(path, lambda tmp: _writer("html")(self, tmp))

    def to_package(self, directory: str | Path) -> Path:
        """Write the report's numbers as a Frictionless data package into ``directory``.

        ``datapackage.json`` describes one tidy CSV per table and per chart in
        ``directory/data/``, and the headline numbers. The public edition holds
        what its pages show and hides what they hide. ``datapackage.json`` is
        written last, so a failed run never leaves a package that looks complete.

        Returns
        -------
        Path
            The path of ``datapackage.json``.
        """
        _writer("package")(self, Path(directory))
        return Path(directory) / "datapackage.json"

    def _repr_html_(self) -> str:
        if not NOTEBOOK_VIEW:
            view = importlib.import_module(f"{__package__}.notebook").notebook_view  # registers itself on import
            if not NOTEBOOK_VIEW:
                NOTEBOOK_VIEW.append(view)
        return NOTEBOOK_VIEW[0](self)

    def __repr__(self) -> str:
        return (
            f"<vipreport.Report {self.month}: {len(self.tables)} tables, {len(self.figures)} charts"
            + (f", missing {len(self.missing_sections)} sections" if self.missing_sections else "")
            + ">"
        )
