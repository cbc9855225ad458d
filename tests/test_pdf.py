"""The PDF: tagged for screen readers, every block of the outline printed, and the city's page count."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

import vipreport as vr
from vipreport.report.outline import (
    DEMO_MARK,
    Figure,
    Footnote,
    Heading,
    Note,
    Outline,
    Paragraph,
    Section,
    Table,
    Tiles,
    outline,
)
from vipreport.report.pdf import TypstSource, _s

MONTH = "2024-11"
BADGE = "SYNTHETIC DEMO DATA"


@pytest.fixture(scope="module")
def public(tmp_path_factory: pytest.TempPathFactory) -> tuple[vr.Report, Path]:
    report = vr.build_report(vr.datasets.demo(), MONTH, public=True, data_as_of="2024-12-31")
    return report, report.to_pdf(tmp_path_factory.mktemp("public") / "public.pdf")


@pytest.fixture(scope="module")
def internal(tmp_path_factory: pytest.TempPathFactory) -> tuple[vr.Report, Path]:
    report = vr.build_report(vr.datasets.demo(), MONTH, data_as_of="2024-12-31")
    return report, report.to_pdf(tmp_path_factory.mktemp("internal") / "internal.pdf")


def squeezed(text: str) -> str:
    """Text without any whitespace: a cell or a caption may wrap anywhere on the page."""
    return "".join(text.split())


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def body_text(path: Path, doc: Outline) -> str:
    """The pages' text without their header band and footer, squeezed: a paragraph may run on to the next page."""
    pages = page_texts(path)
    furniture = [doc.program, doc.byline, BADGE, doc.footer]
    out = []
    for number, page in enumerate(pages, start=1):
        text = squeezed(page)
        for piece in [*furniture, f"Page {number} of {len(pages)}"]:
            assert squeezed(piece) in text
            text = text.replace(squeezed(piece), "", 1)
        out.append(text)
    return "".join(out)


def struct_elements(node: object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under ``node``, depth first (marked-content ids and page refs skipped)."""
    if isinstance(node, pikepdf.Array):
        for kid in node:
            yield from struct_elements(kid)
    elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
        yield node
        yield from struct_elements(node.get("/K"))


def first_page(element: pikepdf.Dictionary) -> int | None:
    """The page number (from 0) where an element's content starts."""
    if "/Pg" in element:
        return int(element.Pg.objgen[0])
    for kid in struct_elements(element.get("/K")):
        if "/Pg" in kid:
            return int(kid.Pg.objgen[0])
    return None


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_the_pdf_is_tagged_with_title_language_headings_tables_and_alt_text(
    edition: str, request: pytest.FixtureRequest
) -> None:
    report, path = request.getfixturevalue(edition)
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo["/Title"]) == (
            "Albuquerque Violence Intervention Program: Monthly Informational Report, November 2024"
        )
        assert str(pdf.docinfo["/Author"]) == "Albuquerque Community Safety"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True  # a reader shows the title, not a file name
        elements = list(struct_elements(pdf.Root.StructTreeRoot.K))
        kinds = [str(e.S) for e in elements]
        figures = [e for e in elements if str(e.S) == "/Figure"]
        drawn = [b for b in outline(report).blocks() if isinstance(b, Figure)]
        assert len(figures) == len(drawn) > 0
        assert [str(f.Alt) for f in figures] == [b.alt for b in drawn]  # each chart's own words, in order
        assert all(str(f.Alt).strip() for f in figures)
        assert kinds.count("/H1") == 1 and "/H2" in kinds and "/H3" in kinds
        tables = [b for b in outline(report).blocks() if isinstance(b, Table)]
        assert kinds.count("/Table") == len(tables)
        assert kinds.count("/TH") == sum(len(t.header()) for t in tables)  # one header cell per column


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_block_of_the_outline_is_printed(edition: str, request: pytest.FixtureRequest) -> None:
    report, path = request.getfixturevalue(edition)
    doc = outline(report)
    text = body_text(path, doc)
    expected: list[str] = []
    for block in doc.blocks():
        if isinstance(block, Heading | Note | Footnote):
            expected.append(block.text)
        elif isinstance(block, Paragraph):
            expected += [block.lead, block.text]
        elif isinstance(block, Tiles):
            expected += [s for t in block.tiles for s in (t.value, t.label)]
        elif isinstance(block, Table):  # every header and cell: none clipped away
            expected += block.header() + [cell for row in block.rows() for cell in row]
        elif isinstance(block, Figure):
            expected += [block.title, block.caption]
    missing = [s for s in expected if squeezed(s) not in text]
    assert missing == []
    assert len(expected) > 200


def test_chart_text_is_text_in_the_embedded_dejavu_fonts(internal: tuple[vr.Report, Path]) -> None:
    """The charts' labels reach the PDF as text (Typst sets the SVG's text in matplotlib's DejaVu files), not
    as outlines; every font the PDF uses is embedded, and they are the DejaVu Sans the page is set in."""
    report, path = internal
    text = squeezed(" ".join(page_texts(path)))
    assert squeezed(report.charts["survival_curve"].category_axis) in text  # an axis label: only inside a chart
    assert squeezed("provisional: windows still open") in text  # the engagement chart's legend entry
    with pikepdf.open(path) as pdf:
        fonts = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
        leaves = [f for f in fonts if "/FontDescriptor" in f]  # a composite font's glyphs are in its descendant
        assert leaves and len(leaves) == len([f for f in fonts if f.get("/Subtype") != "/Type0"])
        embedded = {
            str(f.BaseFont).split("+")[-1]
            for f in leaves
            if {"/FontFile2", "/FontFile3"} & set(f.FontDescriptor.keys())
        }
        names = {str(f.BaseFont).split("+")[-1] for f in leaves}
    assert embedded == names  # nothing left for the reader's machine to substitute
    assert names <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"}
    assert "DejaVuSans" in names


def test_every_table_row_is_printed_whole_and_in_order(public: tuple[vr.Report, Path]) -> None:
    report, path = public
    text = body_text(path, outline(report))
    for table in (b for b in outline(report).blocks() if isinstance(b, Table)):
        assert squeezed(" ".join(table.header())) in text, table.caption
        for row in table.rows():
            assert squeezed(" ".join(row)) in text, (table.caption, row[0])


def test_the_public_edition_keeps_to_four_pages_and_a_one_page_note(public: tuple[vr.Report, Path]) -> None:
    _, path = public
    pages = page_texts(path)
    assert len(pages) == 5
    assert "How to read this report" in pages[4]  # the note starts its own page...
    assert not any("How to read this report" in p for p in pages[:4])  # ...after four pages of report
    reader = PdfReader(path)
    assert {(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages} == {(612.0, 792.0)}


def test_the_internal_edition_adds_the_methods_appendix(
    public: tuple[vr.Report, Path], internal: tuple[vr.Report, Path]
) -> None:
    pages = page_texts(internal[1])
    assert len(pages) > len(page_texts(public[1]))
    assert any("Methods appendix" in p for p in pages) and any("Data quality" in p for p in pages)
    assert not any("Methods appendix" in p for p in page_texts(public[1]))


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_every_page_of_a_demo_report_says_its_data_are_synthetic(edition: str, request: pytest.FixtureRequest) -> None:
    _, path = request.getfixturevalue(edition)
    pages = page_texts(path)
    assert all(BADGE in p for p in pages)  # in the header band, in capitals
    assert all(squeezed(DEMO_MARK) in squeezed(p) for p in pages)  # and in the footer, in words
    numbers = [f"Page {i} of {len(pages)}" for i in range(1, len(pages) + 1)]
    assert [n in p for n, p in zip(numbers, pages, strict=True)] == [True] * len(pages)


def test_a_report_of_real_exports_carries_no_demo_mark(tmp_path: Path) -> None:
    data = vr.load(vr.datasets.generate(seed=4))
    assert not data.synthetic  # loaded like a city's exports
    path = vr.build_report(data, MONTH).to_pdf(tmp_path / "r.pdf")
    text = " ".join(page_texts(path))
    assert BADGE not in text and "ynthetic" not in text
    assert "Page 1 of" in text


@pytest.mark.parametrize("edition", ["public", "internal"])
def test_no_heading_ends_a_page(edition: str, request: pytest.FixtureRequest) -> None:
    _, path = request.getfixturevalue(edition)
    with pikepdf.open(path) as pdf:
        document = next(struct_elements(pdf.Root.StructTreeRoot.K))
        kids = [k for k in struct_elements(document.K) if k.get("/P") == document]  # reading order, top level
        pages = [first_page(k) for k in kids]
        for i, kid in enumerate(kids[:-1]):
            if str(kid.S) in ("/H1", "/H2", "/H3"):
                after = next(p for p in pages[i + 1 :] if p is not None)
                assert pages[i] == after, f"heading {i} ends its page"


def test_text_with_typst_syntax_prints_as_itself(tmp_path: Path) -> None:
    """Profile and activity text reach Typst as string literals: markup characters do nothing."""
    import typst

    nasty = 'A #let x = 1 *bold* _it_ $x^2$ @ref <label> [b] \\ back "quote" `code` // not a comment'
    doc = Outline(
        title=nasty,
        program="P #1",
        byline="B $",
        department="D *",
        edition="public",
        month_title="NOVEMBER 2024",
        colour="#0B3C5D",
        logo=None,
        demo=False,
        footer="F _",
        sections=[
            Section("s", "S", [Heading(nasty), Paragraph(nasty, lead="L: #x"), Note(nasty), Footnote("]" + nasty)])
        ],
    )
    source = tmp_path / "t.typ"
    source.write_text(TypstSource(doc, tmp_path, {}).text(), encoding="utf-8")
    typst.compile(str(source), output=str(tmp_path / "t.pdf"), root=str(tmp_path))
    text = squeezed(" ".join(page_texts(tmp_path / "t.pdf")))
    assert text.count(squeezed(nasty)) == 5  # the H1, the H2, the paragraph, the note and the footnote
    assert squeezed("]" + nasty) in text and "L:#x" in text and "P#1B$" in text and "F_Page1of1" in text


@pytest.mark.parametrize(
    "text, literal",
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("a\\b", '"a\\\\b"'),
        ("two\nlines", '"two\\nlines"'),
        ("tab\there", '"tab\\u{9}here"'),
    ],
)
def test_strings_are_escaped_for_typst(text: str, literal: str) -> None:
    assert _s(text) == literal


def test_a_logo_that_is_not_a_png_is_a_clear_error(demo: vr.Dataset, tmp_path: Path) -> None:
    (tmp_path / "logo.png").write_text("not an image")
    (tmp_path / "city.toml").write_text('[branding]\nlogo = "logo.png"\n')
    report = vr.build_report(demo, MONTH, config=vr.Config.from_toml(tmp_path / "city.toml"))
    with pytest.raises(vr.ArgumentError, match=r"branding.logo .*logo.png is not a PNG image"):
        report.to_pdf(tmp_path / "r.pdf")
    assert not (tmp_path / "r.pdf").exists()


def test_the_report_figures_are_left_as_they_were(public: tuple[vr.Report, Path], tmp_path: Path) -> None:
    """The PDF draws resized, title-less copies: a notebook showing the report's figures sees them whole."""
    report, _ = public
    name = next(b.name for b in outline(report).blocks() if isinstance(b, Figure))
    figure = report.figures[name].figure
    size, title = tuple(figure.get_size_inches()), figure.axes[0].get_title(loc="left")
    report.to_pdf(tmp_path / "again.pdf")
    assert tuple(figure.get_size_inches()) == size
    assert figure.axes[0].get_title(loc="left") == title != ""
