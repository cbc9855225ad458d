"""The report as a tagged US Letter PDF: the outline's blocks translated to Typst and compiled.

Why Typst (the ``typst`` wheel): it writes a tagged PDF aiming at PDF/UA-1 (a structure tree in
reading order with headings, table header cells, figures with their alternative text, the document's
title and language), it needs no system library (the wheel bundles the compiler; the fonts are
matplotlib's DejaVu Sans, so the output does not depend on the fonts of the machine), and it embeds
the charts as SVG, so they stay vector (their text stays text, set by Typst in the same fonts).

Every piece of text reaches Typst as a string literal (:func:`_s`), never as markup, so a ``#``,
``*``, ``$`` or ``[`` in a profile or in the month's activity text prints as itself.
"""

from __future__ import annotations

import math
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ArgumentError
from . import charts
from .model import WRITERS, Report
from .outline import Block, Columns, Figure, Footnote, Heading, Note, Outline, Paragraph, Section, Table, Tiles, shared
from .svg import write_svg

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure as MplFigure

# Geometry in inches: US Letter, the body between the header band and the footer.
PAGE_W = 8.5
MARGIN_X = 0.6
BODY_W = PAGE_W - 2 * MARGIN_X
GUTTER = 0.25
HALF_W = (BODY_W - GUTTER) / 2
BAND_H = 0.72
# Chart heights: compact enough that the public edition keeps to four pages, tall enough for 8.5 pt labels.
HALF_H = 2.0
WIDE_H = 2.2
BAR_ROW_H = 0.16  # per category of a horizontal bar chart, so no bar label overlaps the next
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DEMO_BADGE = "SYNTHETIC DEMO DATA"
# Draws a chart, named, at a size in inches.
Drawer = Callable[[str, tuple[float, float]], "MplFigure"]


def write_pdf(report: Report, path: Path) -> None:
    """Write ``report`` to ``path`` as a tagged PDF (PDF/UA-1) of US Letter pages."""
    import typst

    doc = shared(report)
    with tempfile.TemporaryDirectory(prefix="vipreport-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / "report.typ"
        kinds = {name: chart.kind for name, chart in report.charts.items()}
        source.write_text(TypstSource(doc, folder, kinds, printer(report)).text(), encoding="utf-8")
        typst.compile(
            str(source),
            output=str(path),
            root=str(folder),
            font_paths=[str(font_folder())],
            ignore_system_fonts=True,  # the same fonts on every machine: the same pages
            pdf_standards=["ua-1"],
        )


def printer(report: Report) -> Drawer:
    """Draws one of ``report``'s charts from its declaration, at the size it is printed: one drawing and one
    layout per chart (the report's own figures, drawn for notebooks and the HTML page, are not needed here)."""

    def draw(name: str, size: tuple[float, float]) -> MplFigure:
        chart = report.charts[name]
        return charts.figure(chart, report.tables[chart.table], mask=report.masks.get(chart.table), size=size)

    return draw


def font_folder() -> Path:
    """matplotlib's bundled fonts (DejaVu Sans): the charts' font, so page and charts match."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _s(text: str) -> str:
    """``text`` as a Typst string literal: only the backslash, the quote and control characters need escapes."""
    out = []
    for ch in str(text):
        if ch in '\\"':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{{{ord(ch):x}}}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


class TypstSource:
    """The Typst document of one outline; chart SVGs (and the logo) are written beside it in ``folder``."""

    def __init__(self, doc: Outline, folder: Path, kinds: dict[str, str], draw: Drawer | None = None) -> None:
        self.doc = doc
        self.kinds = kinds  # chart name: "vbar", "hbar", "line" or "step"
        self.draw = draw  # a chart, by name, drawn at the size it is printed (needed only if ``doc`` has charts)
        self.folder = folder
        self.charts = 0

    def text(self) -> str:
        parts = [self.preamble(), f"#heading(level: 1, {_s(self.doc.title)})"]
        appendix = next((i for i, s in enumerate(self.doc.sections) if s.appendix and i > 0), -1)
        for i, section in enumerate(self.doc.sections):
            parts.append(self.section(section, first_appendix=i == appendix))
        return "\n".join(parts) + "\n"

    # -- page --------------------------------------------------------------------------------------------
    def preamble(self) -> str:
        d = self.doc
        logo = self.logo()
        badge = (
            f'box(fill: white, inset: (x: 6pt, y: 4pt), radius: 2pt, text(size: 8pt, weight: "bold", '
            f'fill: rgb("#B00020"), {_s(DEMO_BADGE)}))'
            if d.demo
            else "none"
        )
        return f"""
#set document(title: {_s(d.title)}, author: {_s(d.department)}, date: none)
#set text(font: "DejaVu Sans", size: 9pt, lang: {_s(d.lang)}, fill: rgb("#222222"))
#set par(leading: 0.5em, spacing: 0.75em, justify: false)
#let brand = rgb({_s(d.colour)})
#let light = brand.lighten(90%)
#set page(
  paper: "us-letter",
  margin: (top: {BAND_H + 0.3}in, bottom: 0.6in, x: {MARGIN_X}in),
  background: place(top + left, block(width: 100%, height: {BAND_H}in, fill: brand,
    inset: (x: {MARGIN_X}in, y: 0.12in), grid(columns: (1fr, auto, auto), column-gutter: 10pt, align: horizon,
      {{ text(size: 13pt, weight: "bold", fill: white, {_s(d.program)}); linebreak();
         text(size: 7pt, fill: white, {_s(d.byline)}) }},
      {badge}, {logo}))),
  footer: context grid(columns: (1fr, auto), column-gutter: 12pt,
    text(size: 7pt, fill: rgb("#555555"), {_s(d.footer)}),
    text(size: 7pt, fill: rgb("#555555"),
      "Page " + str(counter(page).get().first()) + " of " + str(counter(page).final().first()))),
)
#show heading.where(level: 1): set text(size: 14pt, fill: brand, weight: "bold")
#show heading.where(level: 1): set block(above: 0pt, below: 0.8em)
#show heading.where(level: 2): set text(size: 12pt, fill: brand, weight: "bold")
#show heading.where(level: 2): set block(above: 1.1em, below: 0.6em)
#show heading.where(level: 3): set text(size: 10pt, fill: brand, weight: "bold")
#show heading.where(level: 3): set block(above: 0.9em, below: 0.5em)
#set table(stroke: 0.4pt + rgb("#BBBBBB"), inset: (x: 4pt, y: 3pt))
"""

    def logo(self) -> str:
        """The profile's logo for the header band, a decoration (an artifact, like the whole band)."""
        if not self.doc.logo:
            return "none"
        source = Path(self.doc.logo)
        try:
            with source.open("rb") as f:
                ok = f.read(len(PNG_SIGNATURE)) == PNG_SIGNATURE
        except OSError as exc:
            raise ArgumentError(f"the profile's branding.logo {source} cannot be read ({exc.strerror})") from None
        if not ok:
            raise ArgumentError(f"the profile's branding.logo {source} is not a PNG image")
        shutil.copyfile(source, self.folder / "logo.png")
        return f'image("logo.png", height: {BAND_H - 0.24}in, alt: "")'

    # -- sections and blocks ------------------------------------------------------------------------------
    def section(self, section: Section, *, first_appendix: bool) -> str:
        # Only the appendix is forced onto a new page (the public edition's one-page note): elsewhere a page
        # break left half pages empty, and headings stick to what follows them, so none ends a page.
        out = ["#pagebreak(weak: true)"] if first_appendix else []
        previous = ""
        for group in _groups(section.blocks):
            out.append(self.group(group, previous))
            if isinstance(group[0], Heading):
                previous = group[0].text
        return "\n".join(out)

    def group(self, group: list[Block], heading: str) -> str:
        if len(group) > 1:  # small tables in a row: side by side, still in reading order
            cells = ", ".join(self.table(t, heading) for t in group if isinstance(t, Table))
            return f"#grid(columns: (1fr, 1fr), column-gutter: {GUTTER}in, {cells})"
        return "#" + self.block(group[0], heading=heading)

    def block(self, block: Block, *, heading: str = "", width: float = BODY_W) -> str:
        if isinstance(block, Heading):
            return f"heading(level: {block.level}, {_s(block.text)})"
        if isinstance(block, Paragraph):
            size = "9pt" if block.size == "body" else "8pt"
            # A lead without its own stop gets a colon, so it does not run into the sentence after it.
            lead = block.lead if not block.lead or block.lead[-1] in ".:?!" else block.lead + ":"
            lead = f"strong({_s(lead)}); [ ]; " if lead else ""
            return f"par(text(size: {size}, {{ {lead}{_s(block.text)} }}))"
        if isinstance(block, Note):
            return f"par(emph({_s(block.text)}))"
        if isinstance(block, Footnote):
            return f'par(text(size: 7.5pt, fill: rgb("#444444"), {_s(block.text)}))'
        if isinstance(block, Tiles):
            return self.tiles(block)
        if isinstance(block, Table):
            return self.table(block, heading)
        if isinstance(block, Figure):
            return self.figure(block, width)
        return self.columns(block)

    def tiles(self, block: Tiles) -> str:
        cells = ", ".join(
            f'{{ text(size: 17pt, weight: "bold", fill: brand, {_s(t.value)}); linebreak(); '
            f"text(size: 7.5pt, {_s(t.label)}) }}"
            for t in block.tiles
        )
        n = max(len(block.tiles), 2)  # a single number does not stretch across the page
        fill = f"(x, _) => if x < {len(block.tiles)} {{ light }}"  # no empty box beside a single number
        return (
            f"block(above: 0.4em, below: 0.9em, grid(columns: ({'1fr, ' * n}), column-gutter: 8pt, fill: {fill}, "
            f"inset: (x: 6pt, y: 7pt), align: center + horizon, {cells}))"
        )

    def table(self, block: Table, heading: str) -> str:
        header = block.header()
        numeric = (False, *(block.numeric or (False,) * (len(header) - 1)))
        align = ", ".join("right" if n else "left" for n in numeric)
        head = ", ".join(f'text(fill: white, weight: "bold", {_s(h)})' for h in header)
        rows = ", ".join(_s(cell) for row in block.rows() for cell in row)
        caption = (
            f'text(size: 8.5pt, weight: "bold", {_s(block.caption)}),'
            if block.caption and block.caption != heading
            else ""
        )
        return (
            f"block(breakable: false, below: 1em, stack(spacing: 4pt, {caption} text(size: 8pt, table("
            f"columns: {len(header)}, align: ({align},), "
            'fill: (_, y) => if y == 0 { brand } else if calc.even(y) { rgb("#F4F6F8") }, '
            f"table.header({head}), {rows}))))"
        )

    def figure(self, block: Figure, width: float) -> str:
        height = self.chart_height(block, width)
        name = f"chart-{self.charts}.svg"
        self.charts += 1
        if self.draw is None:
            raise ValueError(f"the outline has the chart {block.name!r} but nothing to draw it with")
        save_svg(self.draw(block.name, (width, height)), self.folder / name)
        # The title is set as text above the image, where it wraps to the column instead of being cut off.
        return (
            f"block(breakable: false, below: 1em, stack(spacing: 3pt, "
            f'text(size: 9pt, weight: "bold", {_s(block.title)}), '
            f"image({_s(name)}, width: {width}in, alt: {_s(block.alt)}), "
            f'text(size: 7.5pt, style: "italic", {_s(block.caption)})))'
        )

    def chart_height(self, block: Figure, width: float) -> float:
        rows = len(block.data.frame)
        base = WIDE_H if width > HALF_W + 0.01 else HALF_H
        series = max(1, block.data.frame.shape[1])
        if self.kinds.get(block.name) == "hbar":  # room for every bar and its label
            return max(HALF_H, BAR_ROW_H * rows * math.sqrt(series) + 0.8)
        return base

    def columns(self, block: Columns) -> str:
        if len(block.blocks) == 1:
            return self.block(block.blocks[0])
        cells = ", ".join(self.block(b, width=HALF_W) for b in block.blocks)
        return f"grid(columns: (1fr, 1fr), column-gutter: {GUTTER}in, {cells})"


def _groups(blocks: list[Block]) -> Iterator[list[Block]]:
    """The section's blocks; two small tables in a row (three columns or fewer) go together."""
    i = 0
    while i < len(blocks):
        a = blocks[i]
        b = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(a, Table) and isinstance(b, Table) and len(a.header()) <= 3 and len(b.header()) <= 3:
            yield [a, b]
            i += 2
        else:
            yield [a]
            i += 1


def save_svg(figure: MplFigure, path: Path) -> None:
    """Save ``figure``, drawn at the size it is printed (so 8.5 pt labels print at 8.5 pt), as the page's SVG.

    The page's drawing loses its title (the page prints it as text), its legend moves above the plot (placed
    "best" inside a half-width chart, it covered the lines) and, where the column is narrow, a crowded month
    axis keeps every other label. It is the PDF's own drawing: notebooks and the HTML page draw theirs.

    The chart's text stays text in the SVG, and Typst sets it in the same DejaVu files matplotlib measured it
    with (:func:`font_folder`), so labels land where matplotlib placed them (within a quarter point) and the
    PDF embeds one subset of each font. Outlines (``svg.fonttype: path``) looked the same but made matplotlib
    trace every glyph, the slowest part of saving a chart (and the demo report's PDF took 342 KB, not 224 KB).
    """
    width = float(figure.get_size_inches()[0])
    for ax in figure.axes:
        ax.set_title("", loc="left")
        ax.set_title("")
        _thin_month_labels(ax, most=int(width * 2.3))
        _legend_above(ax, width=width)
    write_svg(figure, path, fonttype="none", hashsalt="vipreport", metadata={"Date": None})


def _legend_above(ax: Axes, *, width: float) -> None:
    """The legend in a row (or a column, if a row is too long) just above the plot, in its own order."""
    legend = ax.get_legend()
    if legend is None:
        return
    pairs = [(h, t.get_text()) for h, t in zip(legend.legend_handles, legend.get_texts(), strict=True) if h is not None]
    handles, labels = [h for h, _ in pairs], [label for _, label in pairs]
    size = float(legend.get_texts()[0].get_fontsize()) if labels else 8.0
    legend.remove()
    in_a_row = sum(len(label) + 6 for label in labels) * 0.075 < width  # about 0.075 in per character at 8 pt
    ax.legend(
        handles,
        labels,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.02),
        ncol=len(labels) if in_a_row else 1,
        frameon=False,
        fontsize=size,
        borderaxespad=0.0,
        handlelength=1.6,
        columnspacing=1.2,
    )


def _thin_month_labels(ax: Axes, *, most: int) -> None:
    """Keep every k-th label of a category axis with more labels than fit, rotated as before.

    A value axis (a horizontal bar chart's) gets fewer ticks instead, still counted from 0: keeping every
    other label counted back from the last had left a count axis starting at "2".
    """
    from matplotlib.ticker import MaxNLocator

    locator = ax.xaxis.get_major_locator()
    if isinstance(locator, MaxNLocator):
        locator.set_params(nbins=max(most - 1, 2))
        return
    ticks = ax.get_xticks()
    labels = [t.get_text() for t in ax.get_xticklabels()]
    if len(labels) <= most or not all(labels):
        return
    rotation = ax.get_xticklabels()[0].get_rotation()
    step = -(-len(labels) // most)
    keep = slice(len(labels) - 1 - (len(labels) - 1) // step * step, None, step)  # the latest month keeps its label
    ax.set_xticks(ticks[keep], labels[keep])
    for label in ax.get_xticklabels():
        label.set_rotation(rotation)
        label.set_horizontalalignment("right" if rotation else "center")


WRITERS["pdf"] = write_pdf
