"""The report as one renderer-neutral outline: sections of blocks, built once from a :class:`Report`.

The PDF and HTML renderers only translate these blocks, so nothing can be in
one edition of the report and not in the other. This module imports no
renderer and no drawing library: a :class:`Figure` block carries a function
that draws its chart when a renderer asks for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from ..suppression import SUPPRESSED, UNSTABLE
from .charts import Chart, column_text
from .methodology import definitions, notes
from .numbers import percent_of_text
from .summary import engagement_caption, engagement_change_sentence, headline, methods_rows
from .trends_table import area_trends_display
from .words import caseload_caption

if TYPE_CHECKING:
    from matplotlib.figure import Figure as MplFigure

    from .model import Report

MARKS = (SUPPRESSED, UNSTABLE)
# A chart whose hidden share of points is above this becomes a sentence: a chart of stars informs no one.
MOSTLY_HIDDEN = 0.5


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2  # 1: the report's title (the renderer's header); 2: a section; 3: a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str
    lead: str = ""  # a bold phrase that opens the paragraph
    size: Literal["body", "small"] = "body"


@dataclass(frozen=True)
class Tile:
    value: str
    label: str


@dataclass(frozen=True)
class Tiles:
    """Headline numbers, each with what it counts."""

    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class Table:
    """A table as printed: every cell already text (``*`` hidden, ``†`` unstable)."""

    key: str  # the Report.tables key it shows, or "" for a table of words
    caption: str
    index_label: str
    frame: pd.DataFrame  # text cells; the index is the first column
    numeric: tuple[bool, ...] = ()  # per column of ``frame``: right-aligned numbers

    def rows(self) -> list[list[str]]:
        return [
            [str(i), *map(str, r)] for i, r in zip(self.frame.index, self.frame.itertuples(index=False), strict=True)
        ]

    def header(self) -> list[str]:
        return [self.index_label, *map(str, self.frame.columns)]


@dataclass(frozen=True)
class Figure:
    """A chart: its title, one sentence on what it shows, alternative text, and its numbers as a table."""

    name: str
    title: str
    caption: str  # what this shows, in plain words
    alt: str  # for a reader who cannot see the chart: what it draws and its main values
    data: Table
    draw: Callable[[], MplFigure] = field(compare=False, repr=False)
    wide: bool = False  # true: the full text width; false: may sit beside another figure


@dataclass(frozen=True)
class Note:
    """A sentence in place of something left out (a hidden chart, a missing section)."""

    text: str


@dataclass(frozen=True)
class Footnote:
    text: str


@dataclass(frozen=True)
class Columns:
    """Blocks side by side where the page is wide enough; one under the other where it is not."""

    blocks: tuple[Block, ...]


Block = Heading | Paragraph | Tiles | Table | Figure | Note | Footnote | Columns


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block]
    new_page: bool = False  # start on a new page in print
    appendix: bool = False  # the internal edition's methods appendix, or the public edition's note


@dataclass
class Outline:
    title: str  # the document title: city, report, month
    program: str
    byline: str  # MONTHLY INFORMATIONAL REPORT | NOVEMBER 2024 | department | edition
    department: str
    edition: Literal["public", "internal"]
    month_title: str
    colour: str
    logo: str | None
    demo: bool  # built from the synthetic demo data: every page says so
    footer: str
    sections: list[Section]
    lang: str = "en"

    def blocks(self) -> Iterator[Block]:
        """Every block in reading order, the contents of side-by-side groups in their order."""
        for section in self.sections:
            yield from _flatten(section.blocks)


def _flatten(blocks: list[Block] | tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        if isinstance(block, Columns):
            yield from _flatten(block.blocks)
        else:
            yield block


DEMO_MARK = "Synthetic demo data: not real people, not real figures."


def outline(report: Report) -> Outline:
    """The report's outline: what both renderers print, in order."""
    c = report.config
    edition: Literal["public", "internal"] = "public" if report.public else "internal"
    byline = " | ".join(
        p for p in ("MONTHLY INFORMATIONAL REPORT", report.title_month, c.department, f"{edition} edition") if p
    )
    month = report.title_month.title()
    footer = " | ".join(p for p in (c.department, f"{edition} edition", f"figures as of the last day of {month}") if p)
    builder = _Builder(report)
    sections = [
        builder.introduction(),
        builder.counts(),
        builder.success(),
        builder.areas(),
        builder.page("trc"),
        builder.page("cora"),
        builder.page("oep"),
    ]
    sections += builder.appendix()
    return Outline(
        title=f"{c.name}: Monthly Informational Report, {month}",
        program=c.program_name,
        byline=byline,
        department=c.department or c.name,
        edition=edition,
        month_title=report.title_month,
        colour=c.colour,
        logo=c.logo or None,
        demo=report.demo,
        footer=(f"{DEMO_MARK} | " if report.demo else "") + footer,
        sections=[s for s in sections if s is not None and s.blocks],
    )


class _Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.config = report.config

    # -- blocks ------------------------------------------------------------
    def table(self, key: str, index_label: str, caption: str, columns: list[str] | None = None) -> Table:
        return printed(self.report, key, index_label=index_label, caption=caption, columns=columns)

    def figure(self, name: str, *, wide: bool = False) -> Figure | Note | None:
        return figure_block(self.report, name, wide=wide)

    def footnotes(self, blocks: list[Block]) -> list[Block]:
        """The section's footnotes: a mark is explained only where something in the section carries it."""
        cells: list[str] = []  # every printed value, one by one (a cell, a tile, a number in a sentence)
        for b in _flatten(blocks):
            if isinstance(b, Table | Figure):
                cells += [c for r in (b if isinstance(b, Table) else b.data).rows() for c in r[1:]]
            elif isinstance(b, Tiles):
                cells += [t.value for t in b.tiles]
            elif isinstance(b, Paragraph):  # a number in a sentence ("59.1%†", "*"), not a mark explained "(*)"
                cells += [w.rstrip(",.;:") for w in b.text.split() if any(ch.isdigit() for ch in w) or w[0] in MARKS]
        c = self.config
        out: list[Block] = []
        if any(v.strip() == SUPPRESSED or v.startswith(SUPPRESSED) for v in cells):
            out.append(
                Footnote(
                    f"{SUPPRESSED} Not shown: a count from {c.suppress_min} to {c.suppress_max}, "
                    "or a number from which such a count could be worked out."
                )
            )
        if any(UNSTABLE in v for v in cells):
            out.append(Footnote(f"{UNSTABLE} Based on fewer than {c.unstable_below} people: read with care."))
        return out

    @staticmethod
    def pair(*blocks: Block | None) -> list[Block]:
        present = [b for b in blocks if b is not None]
        if len(present) == 2 and all(isinstance(b, Figure) and not b.wide for b in present):
            return [Columns(tuple(present))]
        return present

    # -- sections ----------------------------------------------------------
    def introduction(self) -> Section:
        r, t = self.report, self.report.tables
        blocks: list[Block] = [Heading(r.text["introduction_heading"])]
        blocks += [Paragraph(body, lead=lead) for lead, body in r.text["introduction"]]
        tiles: list[Tile] = []
        if "vip.fytd_totals" in t:
            totals = r.display("vip.fytd_totals")
            tiles += [
                Tile(str(totals.loc["Referrals", "FYTD"]), "referrals, fiscal year to date"),
                Tile(str(totals.loc["Custom notifications", "FYTD"]), "custom notifications, fiscal year to date"),
            ]
        if "vip.active_caseload" in r.scalars:
            tiles.append(Tile(r.scalar_text("vip.active_caseload"), caseload_caption(self.config)))
        if "vip.engagement" in t:
            tiles.append(Tile(r.scalar_text("vip.engagement_rate"), engagement_caption(r)))
        if tiles:
            blocks.append(Tiles(tuple(tiles)))
        if "vip.fytd_totals" in t:
            blocks.append(self.table("vip.fytd_totals", "Measure", "Fiscal year-to-date totals, by month"))
        return Section("introduction", r.text["introduction_heading"], blocks + self.footnotes(blocks))

    def counts(self) -> Section:
        r = self.report
        title = f"{self.config.short_name} activity".strip()
        blocks: list[Block] = [Heading(title[:1].upper() + title[1:])]
        blocks += self.pair(self.figure("custom_notifications"), self.figure("referral_sources"))
        blocks += self.pair(self.figure("caseload_trend"), self.figure("engagement"))
        if "vip.engagement_change" in r.tables:
            blocks.append(Paragraph(engagement_change_sentence(r), size="small"))
        blocks += self.pair(self.figure("services_requested_referred"), self.figure("services_connected"))
        if len(blocks) == 1:
            return Section("activity", "", [])
        return Section("activity", blocks[0].text, blocks + self.footnotes(blocks))  # type: ignore[union-attr]

    def success(self) -> Section | None:
        r = self.report
        if "vip.success_trend" not in r.tables:
            return None
        title = f"{self.config.short_name} success rate".strip()
        number, caption, sentence = headline(r)
        blocks: list[Block] = [Heading(title), Tiles((Tile(number, caption),)), Paragraph(sentence)]
        blocks += self.pair(self.figure("success_trend"), self.figure("success_by_age"))
        blocks.append(
            self.table(
                "vip.success_by_age",
                "Age group",
                "Success rate by age group at notification",
                ["persons", "failures", "successes", "success_rate"],
            )
        )
        return Section("success", title, blocks + self.footnotes(blocks), new_page=True)

    def areas(self) -> Section | None:
        r, c = self.report, self.config
        if "vip.referrals_by_area" not in r.tables:
            return None
        title = f"Referrals by {c.area_label.lower()}"
        blocks: list[Block] = [Heading(title)]
        blocks.append(self.table("vip.referrals_by_area", c.area_label, title))
        chart = self.figure("referrals_by_area", wide=True)
        if chart is not None:
            blocks.append(chart)
        return Section("areas", title, blocks + self.footnotes(blocks))

    def page(self, name: str) -> Section | None:
        r, c = self.report, self.config
        key = {"trc": "trc.referrals_by_source", "cora": "cora.totals", "oep": "oep.summary"}[name]
        if key not in r.tables:
            return None
        title = str(getattr(c, f"{name}_title"))
        blocks: list[Block] = [Heading(title if name != "cora" else f"{title}: fiscal year to date")]
        blocks += [Paragraph(p) for p in r.text[f"{name}_description"]]
        if name == "trc":
            if r.text["trc_services"]:
                blocks.append(Paragraph(f"{title} provides: " + ", ".join(r.text["trc_services"]) + "."))
            blocks.append(
                Tiles((Tile(r.scalar_text("trc.active_clients"), "active clients on the last day of the month"),))
            )
            blocks.append(self.table("trc.referrals_by_source", "Referred from", f"{title} referrals by source"))
            blocks += self.pair(self.figure("trc_referrals"))
        elif name == "cora":
            totals = r.tables["cora.totals"]
            blocks.append(
                Tiles(tuple(Tile(r.scalar_text(f"cora.fytd.{m}"), m.replace("_", " ")) for m in totals.index))
            )
            blocks.append(self.table("cora.incidents_by_type", "Incident type", f"{title} responses by incident type"))
            blocks.append(
                self.table("cora.responses_by_area", c.area_label, f"{title} responses by {c.area_label.lower()}")
            )
            blocks += self.pair(self.figure("cora_incidents"), self.figure("cora_areas"))
            blocks.append(Heading("Significant response activities", level=3))
            blocks += [Paragraph(p) for p in _paragraphs(r.activities or r.text["no_activities"])]
        else:
            blocks.append(self.table("oep.summary", "Measure", title))
            blocks += self.pair(self.figure("oep"))
        return Section(name, title, blocks + self.footnotes(blocks), new_page=name == "trc")

    def appendix(self) -> list[Section]:
        r, c = self.report, self.config
        sections = [self.reading_guide()]
        if r.public:
            return sections
        blocks: list[Block] = [Heading("Methods appendix")]
        if "vip.success_methods" in r.tables:
            blocks.append(Heading("Three ways to measure success", level=3))
            blocks.append(
                Paragraph(
                    "The running rate counts people notified last month, who have had little time to fail. The "
                    "fixed-window rate counts only people whose full follow-up has ended; the Kaplan-Meier "
                    "estimate uses everyone's own follow-up.",
                    size="small",
                )
            )
            methods = methods_rows(r)
            blocks.append(
                Table(
                    "vip.success_methods",
                    "Success rate by method",
                    "Method",
                    methods,
                    tuple(True for _ in methods.columns),
                )
            )
            survival = self.figure("survival_curve", wide=True)
            if survival is not None:
                blocks.append(survival)
        if "vip.area_trends" in r.tables:
            blocks.append(Heading(f"{c.area_label} trends", level=3))
            blocks.append(
                Paragraph(
                    f"Last three months against the same months a year earlier (n/o: not observed, before the "
                    f"first referral), and the trend of each area's monthly counts over up to {c.trend_months} "
                    f"observed months: a quasi-Poisson model (with a yearly seasonal term from 24 months), as the "
                    f"rate ratio per year with a {c.trend_confidence:.0%} interval. The areas are tested together "
                    f"(Benjamini-Hochberg); 'no clear change' means the data do not show a change after allowing "
                    f"for that.",
                    size="small",
                )
            )
            trends = area_trends_display(r.tables["vip.area_trends"], c.trend_confidence)
            blocks.append(
                Table("vip.area_trends", f"{c.area_label} trends", c.area_label, trends, (True,) * 6 + (False,))
            )
        blocks.append(Heading("Methodology", level=3))
        for measure, parts in definitions(c):
            blocks.append(Paragraph(" ".join(f"{k}: {v}" for k, v in parts.items()), lead=measure, size="small"))
        blocks += [Paragraph(n, size="small") for n in notes(c)]
        blocks.append(Heading("Data quality", level=3))
        quality = r.quality.set_index("table").astype(str)
        blocks.append(
            Table(
                "",
                "Rows read, dropped and recoded while loading the exports",
                "Table",
                quality,
                tuple(col == "rows" for col in quality.columns),
            )
        )
        if r.missing_sections:
            blocks.append(Note("Sections left out for lack of data: " + "; ".join(r.missing_sections) + "."))
        sections.append(
            Section("methods", "Methods appendix", blocks + self.footnotes(blocks), new_page=True, appendix=True)
        )
        return sections

    def reading_guide(self) -> Section:
        r, c = self.report, self.config
        blocks: list[Block] = [Heading("How to read this report")]
        blocks += [Paragraph(body, lead=term, size="small") for term, body in glossary(r)]
        if r.public:
            blocks.append(
                Paragraph(
                    f"Counts from {c.suppress_min} to {c.suppress_max} are not shown ({SUPPRESSED}), nor any "
                    "number from which such a count could be worked out, so that no one can be recognised. A rate "
                    "is not shown when the people it counts, or the others in its group, are that few.",
                    lead="Small numbers.",
                    size="small",
                )
            )
        if r.missing_sections:
            blocks.append(Note("Left out for lack of data: " + "; ".join(r.missing_sections) + "."))
        if r.text["contact"]:
            blocks.append(Paragraph(r.text["contact"], size="small"))
        if r.demo:
            blocks.append(Note(DEMO_MARK))
        return Section("reading-guide", "How to read this report", blocks, new_page=True, appendix=True)


def glossary(report: Report) -> list[tuple[str, str]]:
    """Plain-language meanings of the report's terms, in the profile's words."""
    c = report.config
    w, e = c.success_window_days, c.engagement_window_days
    return [
        (
            "Custom notification.",
            "A visit or letter that tells one person, face to face, that they are at risk of "
            "violence and that help is on offer.",
        ),
        ("Referral.", "A person passed to the program by a partner, such as the police or a hospital."),
        (
            "Engagement rate.",
            f"Of the people given a custom notification, the share who took up a service within {e} days.",
        ),
        (
            "Success rate.",
            f"Of the people first notified in the past {c.success_cohort_months} months, "
            "the share with no new violent incident since.",
        ),
        (
            "Fiscal year to date (FYTD).",
            f"From the first day of the fiscal year (month {c.fiscal_year_start_month}) "
            "to the end of the report month.",
        ),
        (
            "Provisional.",
            f"A rate whose follow-up window ({e} days for engagement, {w} for success) is still open "
            "for some people: it can still change.",
        ),
    ]


# -- the printed form of tables and charts -----------------------------------------------------------
def printed(report: Report, key: str, *, index_label: str, caption: str, columns: list[str] | None = None) -> Table:
    """A report table as printed, with readable headers and the numeric columns marked."""
    raw = report.tables[key] if columns is None else report.tables[key][columns]
    shown = report.display(key, columns)
    rates = report.rate_columns(key)
    shown.columns = [header_text(col, percent=col in rates) for col in raw.columns]
    numeric = tuple(pd.api.types.is_numeric_dtype(raw[col]) for col in raw.columns)
    shown.index = [column_text(i) for i in shown.index]
    return Table(key, caption, index_label, shown, numeric)


def header_text(column: object, *, percent: bool = False) -> str:
    """A column header as printed: a rate column ``success_rate`` as "success rate %", months as "Nov 2024"."""
    text = column_text(column)
    return f"{text} %" if percent else text


def figure_block(report: Report, name: str, *, wide: bool = False) -> Figure | Note | None:
    """The chart's block, or a sentence in its place when the public edition would hide most of it."""
    chart = report.charts.get(name)
    if chart is None:
        return None
    table = report.tables[chart.table]
    data = chart.data(table)
    mask = report.masks.get(chart.table)
    hidden = chart.data(mask).to_numpy(dtype=bool) if mask is not None else np.zeros(data.shape, bool)
    if hidden.size and hidden.mean() > MOSTLY_HIDDEN:
        return Note(f"{chart.title}: not drawn, because most of its numbers are too small to publish.")
    shown = data.astype(object).map(lambda v: _value_text(v, chart.percent)).mask(hidden, SUPPRESSED)
    shown.index = [column_text(i) for i in shown.index]
    numbers = Table(chart.table, f"Data for: {chart.title}", chart.category_axis or "", shown, (True,) * shown.shape[1])
    return Figure(
        name=name,
        title=chart.title,
        caption=chart.caption,
        alt=alt_text(chart, data.mask(hidden)),
        data=numbers,
        draw=lambda: report.figures[name].figure,
        wide=wide,
    )


def _value_text(value: object, percent: bool) -> str:
    """A drawn value as printed: a proportion as a percent ("36.7%"), a count whole."""
    if value is None or (isinstance(value, float) and value != value):
        return "n/a"
    number = float(value)  # type: ignore[arg-type]
    return f"{percent_of_text(number)}%" if percent else f"{number:,.0f}"


def alt_text(chart: Chart, data: pd.DataFrame) -> str:
    """What a chart draws, for a reader who cannot see it: its kind, its series and its range of values."""
    kind = {"vbar": "Bar chart", "hbar": "Bar chart", "line": "Line chart", "step": "Step chart"}[chart.kind]
    categories = [column_text(i) for i in data.index]
    parts = [f"{kind}: {chart.title}."]
    if chart.kind in ("line", "step") and len(categories) > 1:
        parts.append(f"From {categories[0]} to {categories[-1]}.")
    for column in data.columns:
        values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
        if not np.isfinite(values).any():
            parts.append(f"{column}: no values shown.")
            continue
        hi, lo = int(np.nanargmax(values)), int(np.nanargmin(values))

        def point(i: int, values: np.ndarray = values) -> str:
            return f"{_value_text(values[i], chart.percent)} ({categories[i]})"

        if chart.kind in ("line", "step"):
            last = int(np.flatnonzero(np.isfinite(values))[-1])
            parts.append(f"{column}: latest {point(last)}; highest {point(hi)}, lowest {point(lo)}.")
        else:
            parts.append(f"{column}: highest {point(hi)}, lowest {point(lo)}.")
    return " ".join(parts)


def _paragraphs(markdown: str) -> list[str]:
    blocks = [
        " ".join(line.strip().lstrip("#").strip() for line in block.splitlines())
        for block in markdown.strip().split("\n\n")
    ]
    return [b.replace("**", "") for b in blocks if b]


# Outlines built inside ``one_outline`` blocks, by the id of their report (its object, kept alive here).
_SHARED: dict[int, tuple[Report, Outline | None]] = {}


@contextmanager
def one_outline(report: Report) -> Iterator[None]:
    """Within the block, every renderer of ``report`` shares one outline (:func:`shared`).

    A build that writes the PDF, the HTML page and the data package builds the outline once. Outside
    such a block each renderer builds its own, so a report changed between two renders prints its change.
    """
    _SHARED[id(report)] = (report, None)
    try:
        yield
    finally:
        del _SHARED[id(report)]


def shared(report: Report) -> Outline:
    """``report``'s outline: the one of the enclosing :func:`one_outline` block if there is one, else a new one."""
    held = _SHARED.get(id(report))
    if held is None:
        return outline(report)
    doc = held[1]
    if doc is None:
        doc = outline(report)
        _SHARED[id(report)] = (report, doc)
    return doc
