"""The HTML report: every outline block on the page, accessible markup, axe-core in a real Chromium, the notebook view.

The browser tests drive the operating system's Chromium (Debian's ``chromium``
package, or the program named by ``VIPREPORT_CHROMIUM``) with Playwright,
never a browser Playwright downloads. Without Chromium or Playwright they are
skipped with the reason on a developer's machine, and fail when ``CI`` is set:
``.ci/run`` installs the browser, so CI always runs them.
"""

from __future__ import annotations

import importlib
import os
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import vipreport as vr
from htmltree import Element, css_selectors, parse
from vipreport.report.html import DARK, brand_colour, contrast, render_html
from vipreport.report.outline import Columns, Figure, Footnote, Heading, Note, Outline, Paragraph, Table, Tiles, outline

MONTH = "2024-11"
IN_CI = bool(os.environ.get("CI"))
PHONE = 390
DESKTOP = 1280
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SHOTS = Path("/tmp/html-shots")  # a copy of each screenshot, to look at (only when the folder exists)


@pytest.fixture(scope="module")
def data() -> vr.Dataset:
    return vr.datasets.demo()


@pytest.fixture(scope="module", params=["public", "internal"])
def edition(request: pytest.FixtureRequest, data: vr.Dataset) -> tuple[str, vr.Report, Outline, str]:
    report = vr.build_report(data, MONTH, public=request.param == "public", data_as_of="2024-12-31")
    return request.param, report, outline(report), render_html(report)


# -- every block of the outline is on the page, in order --------------------------------------------------------
def _words(text: str) -> str:
    return " ".join(text.split())


def _table_matches(element: Element, table: Table) -> bool:
    if element.tag != "table":
        return False
    caption = element.elements()[0]
    if caption.tag != "caption" or caption.text() != _words(table.caption):
        return False
    head = [th for th in next(element.iter("thead")).iter("th")]
    if [th.text() for th in head] != [_words(h) for h in table.header()]:
        return False
    assert all(th.attrs.get("scope") == "col" for th in head), f"{table.caption}: a column header without scope"
    rows = []
    for tr in next(element.iter("tbody")).iter("tr"):
        cells = tr.elements()
        assert cells[0].tag == "th" and cells[0].attrs.get("scope") == "row", f"{table.caption}: no row header"
        assert all(c.tag == "td" for c in cells[1:])
        rows.append([c.text() for c in cells])
    return rows == [[_words(v) for v in row] for row in table.rows()]


def _figure_matches(element: Element, figure: Figure) -> bool:
    if element.tag != "figure":
        return False
    (svg,) = element.iter("svg")
    first = svg.elements()[:2]
    if [e.tag for e in first] != ["title", "desc"] or first[0].text() != _words(figure.title):
        return False
    assert first[1].text() == _words(figure.alt), f"{figure.title}: the <desc> is not the alt text"
    assert svg.attrs.get("role") == "img"
    assert svg.attrs["aria-labelledby"].split() == [first[0].attrs["id"], first[1].attrs["id"]]
    (caption,) = element.iter("figcaption")
    assert caption.text() == _words(figure.caption), figure.title
    (details,) = element.iter("details")
    assert details.elements()[0].tag == "summary" and details.elements()[0].text() == "Data table"
    (data,) = details.iter("table")
    assert _table_matches(data, figure.data), f"{figure.title}: its data table differs from the outline's"
    return True


def _matches(element: Element, block: Any) -> bool:
    if isinstance(block, Heading):
        return bool(element.tag == f"h{block.level}" and element.text() == _words(block.text))
    if isinstance(block, Paragraph):
        return bool(element.tag == "p" and element.text() == _words(f"{block.lead} {block.text}"))
    if isinstance(block, Note | Footnote):
        return bool(element.tag == "p" and element.text() == _words(block.text))
    if isinstance(block, Tiles):
        return element.tag == "ul" and [li.text() for li in element.iter("li")] == [
            _words(f"{t.value} {t.label}") for t in block.tiles
        ]
    if isinstance(block, Table):
        return _table_matches(element, block)
    if isinstance(block, Figure):
        return _figure_matches(element, block)
    raise AssertionError(f"a block the test does not know: {type(block).__name__}")


def _candidates(main: Element) -> list[Element]:
    """The elements a block can become, in document order (a figure's own caption and table belong to it)."""
    tags = {"h2", "h3", "p", "ul", "table", "figure"}
    return [e for e in main.iter() if e.tag in tags and not any(a.tag == "figure" for a in e.ancestors())]


def test_every_outline_block_is_on_the_page_in_order(edition: tuple[str, vr.Report, Outline, str]) -> None:
    name, _, doc, markup = edition
    (main,) = parse(markup).iter("main")
    candidates = _candidates(main)
    blocks = list(doc.blocks())
    assert any(isinstance(b, Figure) for b in blocks) and any(isinstance(b, Table) for b in blocks)
    cursor = 0
    for block in blocks:
        found = next((i for i in range(cursor, len(candidates)) if _matches(candidates[i], block)), None)
        assert found is not None, f"{name}: not on the page (after element {cursor}): {block!r}"[:600]
        cursor = found + 1
    assert not any(isinstance(b, Columns) for b in blocks)  # blocks() flattens side-by-side groups


def test_sections_contents_header_and_demo_mark(edition: tuple[str, vr.Report, Outline, str]) -> None:
    _, _, doc, markup = edition
    page = parse(markup)
    (html,) = page.iter("html")
    assert html.attrs["lang"] == doc.lang == "en"
    metas = {m.attrs.get("name"): m.attrs.get("content") for m in page.iter("meta")}
    assert metas["viewport"] == "width=device-width, initial-scale=1"
    (head,) = page.iter("head")
    (title,) = head.iter("title")
    assert title.text() == doc.title
    (h1,) = page.iter("h1")
    assert h1.text() == f"{doc.program} {doc.month_title.title()}"
    assert any(a.tag == "header" for a in h1.ancestors())
    (nav,) = page.iter("nav")
    links = list(nav.iter("a"))
    assert [a.text() for a in links] == [s.title for s in doc.sections]
    sections = {s.attrs["id"]: s for s in page.iter("section")}
    assert [a.attrs["href"] for a in links] == [f"#{s.id}" for s in doc.sections]
    assert list(sections) == [s.id for s in doc.sections]
    for section in sections.values():  # each section is named by its own h2
        h2 = section.elements()[0]
        assert h2.tag == "h2" and section.attrs["aria-labelledby"] == h2.attrs["id"]
    banner = [p for p in page.iter("p") if "vr-demo" in p.attrs.get("class", "")]
    assert doc.demo and [p.text() for p in banner] == ["Synthetic demo data: not real people, not real figures."]
    (footer,) = page.iter("footer")
    assert footer.text() == doc.footer


def test_ids_are_unique_and_no_chart_styles_the_page(edition: tuple[str, vr.Report, Outline, str]) -> None:
    name, _, doc, markup = edition
    page = parse(markup)
    ids = Counter(e.attrs["id"] for e in page.iter() if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []
    for element in page.iter():  # every reference inside a chart points at an id of the page
        for attr, value in element.attrs.items():
            if attr in ("href", "xlink:href") and value.startswith("#"):
                assert value[1:] in ids, (attr, value)
            if "url(#" in value:
                assert value.split("url(#")[1].split(")")[0] in ids, (attr, value)
    svgs = list(page.iter("svg"))
    assert len(svgs) == sum(isinstance(b, Figure) for b in doc.blocks()) > 0
    assert all(not list(svg.iter("style")) for svg in svgs)  # matplotlib's page-wide *{...} rule is gone
    (style,) = page.iter("style")
    selectors = css_selectors(style.text())
    outside = [s for s in selectors if not s.startswith(".vipreport")]
    assert outside == ["body"], f"{name}: selectors outside .vipreport: {outside}"


def test_tables_scroll_in_a_focusable_named_region(edition: tuple[str, vr.Report, Outline, str]) -> None:
    page = parse(edition[3])
    tables = list(page.iter("table"))
    assert tables
    for table in tables:
        box = table.parent
        assert box is not None and box.attrs.get("tabindex") == "0" and box.attrs.get("role") == "region"
        assert box.attrs.get("aria-label")
        numbers = [td for td in table.iter("td") if td.text().replace(",", "").replace(".", "").isdigit()]
        assert all("vr-num" in td.attrs.get("class", "") for td in numbers), "a number not aligned right"


# -- colours --------------------------------------------------------------------------------------------------
def test_contrast_is_the_wcag_ratio() -> None:
    # Worked by hand from the WCAG 2.1 definition: black on white is (1 + 0.05) / (0 + 0.05) = 21, and
    # #767676 (sRGB 118/255 = 0.4627 -> linear 0.1812) on white is 1.05 / 0.2312 = 4.54, the classic AA grey.
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21)
    assert contrast("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast("#FFFFFF", "#767676") == contrast("#767676", "#FFFFFF")


def test_a_pale_profile_colour_falls_back_to_a_dark_one() -> None:
    assert brand_colour("#0B3C5D") == "#0B3C5D"
    assert brand_colour(vr.Config.bundled("riverton").colour) == vr.Config.bundled("riverton").colour
    assert brand_colour("#7FB3D5") == DARK  # a light blue: 2.2:1 with white
    assert brand_colour("#777777") == DARK  # 4.48:1 with white, under 4.5
    assert brand_colour("teal") == DARK  # not #RRGGBB: nothing to measure, so the safe colour


# -- the notebook view ----------------------------------------------------------------------------------------
def test_notebook_view_is_small_scoped_and_chart_free(edition: tuple[str, vr.Report, Outline, str]) -> None:
    name, report, doc, _ = edition
    view = report._repr_html_()
    assert len(view.encode()) < 30_000
    assert "<svg" not in view
    page = parse(view)
    (root,) = page.elements()
    assert root.tag == "div" and root.attrs["class"] == "vr-nb"
    assert not [e for e in page.iter() if "id" in e.attrs]  # nothing for a second report to clash with
    (style,) = page.iter("style")
    assert [s for s in css_selectors(style.text()) if not s.startswith(".vr-nb")] == []
    text = page.text()
    tiles = [t for s in doc.sections if not s.appendix for b in s.blocks if isinstance(b, Tiles) for t in b.tiles]
    assert len(tiles) >= 4
    for tile in tiles:
        assert _words(f"{tile.value} {tile.label}") in text
    (contents,) = page.iter("ol")
    assert [li.text() for li in contents.iter("li")] == [s.title for s in doc.sections]
    assert 'report.to_html("report.html")' in text and 'report.figures["engagement"]' in text
    assert "Synthetic demo data" in text
    tables = list(page.iter("table"))  # the data-quality table: the internal edition's only
    assert len(tables) == (1 if name == "internal" else 0)
    if tables:
        assert tables[0].elements()[0].text() == "Rows read, dropped and recoded while loading the exports"


def test_repr_stays_one_short_line(edition: tuple[str, vr.Report, Outline, str]) -> None:
    text = repr(edition[1])
    assert "\n" not in text and len(text) < 120
    assert text.startswith(f"<vipreport.Report {MONTH}:")


# -- in a real browser ----------------------------------------------------------------------------------------
def _chromium() -> str:
    """The browser to drive: VIPREPORT_CHROMIUM, else Debian's chromium on PATH."""
    found = os.environ.get("VIPREPORT_CHROMIUM") or shutil.which("chromium")
    reason = ""
    if not found:
        reason = "Chromium not found: install Debian's chromium package (apt-get install chromium)"
    else:
        try:
            for module in ("playwright.sync_api", "axe_playwright_python"):
                importlib.import_module(module)
        except ImportError as exc:
            reason = f"{exc.name} is not installed (pip install 'vipreport[test]')"
    if reason:
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the browser accessibility tests")
        pytest.skip(reason)
    return str(found)


@pytest.fixture(scope="module")
def browser() -> Any:
    executable = _chromium()
    # Imported by name: the browser objects are used untyped here, so mypy need not see playwright's types.
    sync_playwright = importlib.import_module("playwright.sync_api").sync_playwright

    with sync_playwright() as playwright:
        # Playwright's own browser is never downloaded: the OS's Chromium, headless.
        launched = playwright.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def _open(browser: Any, path: Path, width: int) -> Any:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(path.as_uri())
    return page


def _shot(page: Any, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000  # a page, not an empty image
    if SHOTS.is_dir():
        shutil.copy(path, SHOTS / path.name)


def test_axe_finds_no_serious_or_critical_violation(
    edition: tuple[str, vr.Report, Outline, str], browser: Any, tmp_path: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    name, _, _, markup = edition
    path = tmp_path / f"{name}.html"
    path.write_text(markup, "utf-8")
    for width in (DESKTOP, PHONE):
        page = _open(browser, path, width)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        checked = {r["id"] for r in results.response["passes"]} | {v["id"] for v in results.response["violations"]}
        assert {"color-contrast", "svg-img-alt", "th-has-data-cells", "html-has-lang"} <= checked
        bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
        assert not bad, f"{name} at {width}px: " + "; ".join(
            f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in bad
        )
        page.close()


def test_page_reflows_at_phone_width(
    edition: tuple[str, vr.Report, Outline, str], browser: Any, tmp_path: Path
) -> None:
    name, _, _, markup = edition
    path = tmp_path / f"{name}.html"
    path.write_text(markup, "utf-8")
    for width in (DESKTOP, PHONE):
        page = _open(browser, path, width)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        _shot(page, tmp_path / f"{name}-{width}.png")
        if width == PHONE:  # side-by-side charts stack: each as wide as the text
            boxes = page.eval_on_selector_all(".vr-columns figure", "els => els.map(e => e.getBoundingClientRect().x)")
            assert len(set(boxes)) <= 1
        page.close()


def test_a_charts_numbers_are_one_click_away(
    edition: tuple[str, vr.Report, Outline, str], browser: Any, tmp_path: Path
) -> None:
    name, _, doc, markup = edition
    path = tmp_path / f"{name}.html"
    path.write_text(markup, "utf-8")
    page = _open(browser, path, PHONE)
    figure = next(b for b in doc.blocks() if isinstance(b, Figure))
    table = page.locator("figure").first.locator("details table")
    assert not table.is_visible()
    page.locator("figure").first.locator("summary").click()
    assert table.is_visible()
    assert table.locator("caption").inner_text() == figure.data.caption
    page.close()
