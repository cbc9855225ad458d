"""The public edition as a reader sees it: no small count anywhere in its text, and footnotes only where due."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

import vipreport as vr
from vipreport.report.outline import (
    Figure,
    Footnote,
    Heading,
    Note,
    Outline,
    Paragraph,
    Section,
    Table,
    Tiles,
    _flatten,
    outline,
)
from vipreport.suppression import SUPPRESSED, UNSTABLE

CASES = [("demo", "2024-11"), ("demo", "2024-07"), ("demo", "2024-09"), (7, "2024-10"), (11, "2024-03")]


@pytest.fixture(scope="module", params=CASES, ids=[f"{s}-{m}" for s, m in CASES])
def public(request: pytest.FixtureRequest) -> tuple[vr.Report, Outline]:
    seed, month = request.param
    data = vr.datasets.demo() if seed == "demo" else vr.load(vr.datasets.generate(seed=seed, scale=0.6))
    report = vr.build_report(data, month, public=True, data_as_of="2024-12-31")
    return report, outline(report)


def texts(o: Outline) -> Iterator[tuple[str, str]]:
    """Every piece of text the outline prints, with where it is; table and chart cells one by one."""
    yield "title", o.title
    yield "byline", o.byline
    yield "footer", o.footer
    for section in o.sections:
        for block in _flatten(section.blocks):
            where = f"{section.id}/{type(block).__name__}"
            if isinstance(block, Table | Figure):
                table = block if isinstance(block, Table) else block.data
                if isinstance(block, Figure):
                    yield where, block.title
                    yield where, block.caption
                    yield where, block.alt
                yield where, table.caption
                for row in table.frame.itertuples(index=False):
                    for cell in row:
                        yield f"{where} cell", str(cell)
            elif isinstance(block, Tiles):
                for tile in block.tiles:
                    yield f"{where} value", tile.value
                    yield where, tile.label
            elif isinstance(block, Paragraph):
                yield where, f"{block.lead} {block.text}"
            elif isinstance(block, Heading | Note | Footnote):
                yield where, block.text


def labels(o: Outline) -> list[str]:
    """Row and column labels of every table and chart ("18-24", "Nov 2024"): names, not counts."""
    out: set[str] = set()
    for block in o.blocks():
        table = block if isinstance(block, Table) else block.data if isinstance(block, Figure) else None
        if table is not None:
            out |= {str(i) for i in table.frame.index} | {str(c) for c in table.frame.columns}
    return sorted(out, key=len, reverse=True)


def constants(config: vr.Config) -> list[str]:
    """Phrases that print a setting of the profile, not a count: each written out, so nothing else is excused."""
    years = config.success_cohort_months / 12
    return [
        rf"\b{config.suppress_min} to {config.suppress_max}\b",  # "Counts from 1 to 9 are not shown"
        rf"\(month {config.fiscal_year_start_month}\)",  # the fiscal year's first month, in the glossary
        rf"\b{years:g} years\b",  # the success rate's cohort span, in the headline sentence
        rf"\b{config.engagement_window_days} days\b",
        rf"\b{config.success_window_days} for success\b",
        rf"\b{config.success_cohort_months} months\b",
        rf"fewer than {config.unstable_below} people",
        r"\b(19|20)\d\d\b",  # years
    ]


def small_counts(text: str, config: vr.Config, names: list[str]) -> list[int]:
    for name in names:
        text = text.replace(name, " ")
    for pattern in constants(config):
        text = re.sub(pattern, " ", text)
    found = []
    for match in re.finditer(r"[-+]?\d[\d,]*(?:\.\d+)?\s*%?", text):
        token = match.group().strip()
        if "." in token or token.endswith("%") or token[0] in "+-":
            continue  # a rate, a share or a difference in points: not a count
        value = int(token.replace(",", ""))
        if config.suppress_min <= value <= config.suppress_max:
            found.append(value)
    return found


def test_no_small_count_anywhere_in_the_public_outline(public: tuple[vr.Report, Outline]) -> None:
    report, o = public
    names = labels(o)
    leaks = [(where, text) for where, text in texts(o) if small_counts(text, report.config, names)]
    assert not leaks


def test_the_scan_finds_a_small_count() -> None:
    """The scan above can fail: a small count in a sentence, a cell or a caption is found."""
    config = vr.Config.default()
    assert small_counts("NOV engagement rate: 3 of 30 notified", config, []) == [3]
    assert small_counts("1,083 and 7", config, []) == [7]
    assert small_counts("Counts from 1 to 9 are not shown; 61.3% vs 59.1%, +2.2 points, Nov 2024", config, []) == []
    assert small_counts("highest 18-24 12 (18-24)", config, ["18-24"]) == []


def marks(section: Section) -> tuple[bool, bool]:
    """Whether anything printed in the section (a cell, a tile, a sentence) carries ``*`` or the dagger."""
    cells: list[str] = []
    for block in _flatten(section.blocks):
        if isinstance(block, Table | Figure):
            table = block if isinstance(block, Table) else block.data
            cells += [str(c) for row in table.frame.itertuples(index=False) for c in row]
        elif isinstance(block, Tiles):
            cells += [t.value for t in block.tiles]
        elif isinstance(block, Paragraph):
            cells += re.findall(r"\S*[\d*]\S*", block.text)
    starred = any(c.strip() == SUPPRESSED or c.startswith(SUPPRESSED) for c in cells)
    return starred, any(UNSTABLE in c for c in cells)


def footnotes(section: Section) -> tuple[bool, bool]:
    notes = [b.text for b in _flatten(section.blocks) if isinstance(b, Footnote)]
    return any(n.startswith(SUPPRESSED) for n in notes), any(n.startswith(UNSTABLE) for n in notes)


def test_footnotes_follow_the_marks(public: tuple[vr.Report, Outline]) -> None:
    """Each section explains ``*`` and the dagger exactly when something in it carries them."""
    _, o = public
    for section in o.sections:
        if section.appendix:
            continue  # the reading guide explains the marks in words
        assert footnotes(section) == marks(section), section.id
    assert any(marks(s)[0] for s in o.sections)  # the cases do hide something


def test_a_section_without_marks_has_no_footnote() -> None:
    data = vr.datasets.demo()
    o = outline(vr.build_report(data, "2024-11", data_as_of="2024-12-31"))  # internal: nothing hidden
    for section in o.sections:
        starred, dagger = marks(section)
        assert not starred
        assert footnotes(section) == (False, dagger), section.id
