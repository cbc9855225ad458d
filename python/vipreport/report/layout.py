"""Laying out US Letter pages with matplotlib: a cursor that flows blocks down pages.

Everything is measured in inches from the top-left corner of the page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.transforms import Bbox, BboxTransformTo, Transform, TransformedBbox

from .cells import cell_text
from .charts import INK, Chart, column_text, draw

PAGE_W, PAGE_H = 8.5, 11.0
MARGIN = 0.6
BODY_W = PAGE_W - 2 * MARGIN
BAND = "#0B3C5D"  # header band; white text on it has a contrast ratio above 10


class Document:
    """A PDF of flowing blocks; a block that does not fit starts a new page."""

    def __init__(
        self,
        path: str | Path,
        *,
        header: str,
        month_title: str,
        footer: str,
        colour: str = BAND,
        logo: str | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        info = {"Title": f"{header} {month_title}", **(metadata or {}), "Creator": "vipreport"}
        self.pdf = PdfPages(path, metadata=info)
        self.header, self.month_title, self.footer = header, month_title, footer
        self.colour = colour
        self.logo = _read_logo(logo) if logo else None
        self.page_number = 0
        self.fig: Figure | None = None
        self.y = 0.0

    # -- pages -----------------------------------------------------------
    def new_page(self) -> None:
        self._finish_page()
        self.page_number += 1
        self.fig = Figure(figsize=(PAGE_W, PAGE_H))
        band = _panel(self.fig, (0, 1 - 0.75 / PAGE_H, 1, 0.75 / PAGE_H), self.colour)
        if self.logo is not None:  # at the band's right end, as tall as the band allows
            height = 0.55 / PAGE_H
            width = height * PAGE_H / PAGE_W * self.logo.shape[1] / self.logo.shape[0]
            logo = self.fig.add_axes((1 - MARGIN / PAGE_W - width, 1 - 0.65 / PAGE_H, width, height))
            logo.imshow(self.logo)
            logo.set_axis_off()
        self.fig.text(
            MARGIN / PAGE_W,
            0.62,
            self.header,
            color="white",
            fontsize=13,
            fontweight="bold",
            va="center",
            transform=band,
        )
        self.fig.text(
            MARGIN / PAGE_W,
            0.25,
            f"MONTHLY INFORMATIONAL REPORT  |  {self.month_title}",
            color="white",
            fontsize=9,
            va="center",
            transform=band,
        )
        self.fig.text(MARGIN / PAGE_W, 0.35 / PAGE_H, self.footer, fontsize=7, color="#555555")
        self.fig.text(
            1 - MARGIN / PAGE_W, 0.35 / PAGE_H, f"Page {self.page_number}", fontsize=7, color="#555555", ha="right"
        )
        self.y = 1.0

    @property
    def page(self) -> Figure:
        """The current page; every block calls ensure() first, which opens one."""
        assert self.fig is not None
        return self.fig

    def _finish_page(self) -> None:
        if self.fig is not None:
            self.pdf.savefig(self.fig)
            self.fig = None

    def close(self) -> None:
        self._finish_page()
        self.pdf.close()

    def ensure(self, height: float) -> None:
        if self.fig is None or self.y + height > PAGE_H - 0.6:
            self.new_page()

    # -- blocks ----------------------------------------------------------
    def heading(self, text: str) -> None:
        self.ensure(0.55)
        self.y += 0.12
        self.page.text(
            MARGIN / PAGE_W,
            1 - self.y / PAGE_H,
            text.upper(),
            fontsize=11.5,
            fontweight="bold",
            color=self.colour,
            va="top",
        )
        self.y += 0.32

    def subheading(self, text: str) -> None:
        self.ensure(0.4)
        self._line(text, 9.5, bold=True)

    def paragraph(self, text: str, *, size: float = 9, bold_lead: str | None = None, width: int = 105) -> None:
        lines = textwrap.wrap(text, width=int(width * 9 / size)) or [""]
        line_h = size * 1.45 / 72
        if bold_lead:
            self.ensure(line_h * (len(lines) + 1) + 0.08)
            self._line(bold_lead, size, bold=True)
        else:
            self.ensure(line_h * len(lines) + 0.08)
        for line in lines:
            self._line(line, size)
        self.y += 0.08

    def _line(self, text: str, size: float, *, bold: bool = False) -> None:
        self.page.text(
            MARGIN / PAGE_W,
            1 - self.y / PAGE_H,
            text,
            fontsize=size,
            color=INK,
            va="top",
            fontweight="bold" if bold else "normal",
        )
        self.y += size * 1.45 / 72

    def tiles(self, items: list[tuple[str, str]]) -> None:
        """A row of headline numbers with captions."""
        height = 0.95
        self.ensure(height + 0.15)
        gap = 0.15
        width = (BODY_W - gap * (len(items) - 1)) / len(items)
        for i, (number, caption) in enumerate(items):
            left = MARGIN + i * (width + gap)
            tile = _panel(self.page, self._rect(left, self.y, width, height), "#EAF2F8")
            self.page.text(
                0.5,
                0.62,
                number,
                ha="center",
                va="center",
                fontsize=18,
                fontweight="bold",
                color=self.colour,
                transform=tile,
            )
            self.page.text(
                0.5,
                0.2,
                "\n".join(textwrap.wrap(caption, int(width * 14))),
                ha="center",
                va="center",
                fontsize=7.5,
                color=INK,
                transform=tile,
            )
        self.y += height + 0.2

    def table(self, frame: pd.DataFrame, *, index_label: str | None = None, font: float = 8) -> None:
        frame = frame.copy()
        columns = [column_text(c) for c in frame.columns]
        rows = [[cell_text(v) for v in row] for row in frame.itertuples(index=False)]
        labels = [str(i) for i in frame.index]
        row_h = 0.21
        height = row_h * (len(rows) + 1)
        self.ensure(height + 0.15)
        header = [index_label or str(frame.index.name or "").replace("_", " ").capitalize(), *columns]
        # Widths follow the longest text of each column, shrunk together if the page is too narrow.
        texts = [[header[0], *labels]] + [[h, *(r[i] for r in rows)] for i, h in enumerate(columns)]
        widths = np.array([max(0.75, 0.068 * font / 8 * max(len(t) for t in col) + 0.2) for col in texts])
        widths *= min(1.0, BODY_W / widths.sum())
        width = float(widths.sum())
        ax = self.page.add_axes(self._rect(MARGIN, self.y, width, height))
        ax.set_axis_off()
        cells = [[label, *row] for label, row in zip(labels, rows, strict=True)]
        t = ax.table(
            cellText=cells,
            colLabels=header,
            loc="upper left",
            cellLoc="right",
            colWidths=list(widths / width),
            bbox=Bbox.from_bounds(0, 0, 1, 1),
        )
        t.auto_set_font_size(False)
        t.set_fontsize(font)
        for (r, c), cell in t.get_celld().items():
            cell.set_edgecolor("#BBBBBB")
            cell.set_linewidth(0.4)
            if r == 0:
                cell.set_facecolor(self.colour)
                cell.get_text().set_color("white")
                cell.get_text().set_fontweight("bold")
            elif r % 2 == 0:
                cell.set_facecolor("#F4F6F8")
            if c == 0:
                cell.get_text().set_horizontalalignment("left")
        self.y += height + 0.2

    def chart(
        self, chart: Chart, table: pd.DataFrame, *, mask: pd.DataFrame | None = None, height: float = 2.6
    ) -> None:
        self.ensure(height + 0.2)
        n_rows = len(chart.data(table))
        left_pad = 1.9 if chart.kind == "hbar" else 0.6
        bottom_pad = 0.55 if chart.kind != "hbar" else 0.45
        if chart.kind == "hbar":  # room for every bar label, however many categories
            height = max(height, 0.2 * n_rows * max(1, len(chart.columns)) ** 0.5 + 0.9)
        self.ensure(height + 0.2)
        ax = self.page.add_axes(
            self._rect(MARGIN + left_pad, self.y + 0.3, BODY_W - left_pad - 0.2, height - 0.3 - bottom_pad)
        )
        draw(ax, chart, table, mask)
        self.y += height + 0.15

    @staticmethod
    def _rect(left: float, top: float, width: float, height: float) -> tuple[float, float, float, float]:
        return (left / PAGE_W, 1 - (top + height) / PAGE_H, width / PAGE_W, height / PAGE_H)


def _panel(fig: Figure, rect: tuple[float, float, float, float], color: str) -> Transform:
    """A filled rectangle of the page (figure fractions) and the transform placing text in it (0-1 inside).

    Headers and tiles are a filled box with text: drawn on the figure itself, they cost no Axes (an Axes
    builds two axes with their ticks, which took a tenth of the PDF's drawing time), and they look the same.
    """
    box = BboxTransformTo(TransformedBbox(Bbox.from_bounds(*rect), fig.transSubfigure))
    fig.add_artist(Rectangle((0, 0), 1, 1, transform=box, facecolor=color, edgecolor="none", zorder=-1))
    return box


def _read_logo(path: str) -> np.ndarray:
    """The profile's PNG logo as an image array; a missing or unreadable file is a clear error."""
    from matplotlib.image import imread

    from ..errors import ArgumentError

    try:
        return np.asarray(imread(path))
    except (OSError, ValueError, SyntaxError) as exc:
        raise ArgumentError(f"the profile's branding.logo {path} cannot be read as a PNG image ({exc})") from None
