"""Each chart is drawn once per output, at the size it is printed; a build writing several outputs builds one outline."""

import importlib
from pathlib import Path
from typing import Any

import pytest

import vipreport as vr
from vipreport.cli import main
from vipreport.report import charts, pdf
from vipreport.report.charts import Chart
from vipreport.report.outline import Figure, Outline, one_outline, shared
from vipreport.report.outline import outline as build_outline

outline_module = importlib.import_module("vipreport.report.outline")  # the package's `outline` is the function


@pytest.fixture(scope="module")
def report() -> vr.Report:
    return vr.build_report(vr.datasets.demo(), "2024-11")


def test_the_pdf_draws_each_chart_once_at_its_printed_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = vr.build_report(vr.datasets.demo(), "2024-11")
    drawn: list[tuple[str, tuple[float, float]]] = []
    draw = charts.figure

    def counting(chart: Chart, table: Any, **kwargs: Any) -> Any:
        drawn.append((chart.name, kwargs["size"]))
        return draw(chart, table, **kwargs)

    monkeypatch.setattr(charts, "figure", counting)  # what the PDF draws its charts with
    fresh.to_pdf(tmp_path / "r.pdf")
    names = [b.name for b in build_outline(fresh).blocks() if isinstance(b, Figure)]
    assert sorted(name for name, _ in drawn) == sorted(names)  # each chart of the outline, once
    assert len(names) == 14
    widths = {round(size[0], 3) for _, size in drawn}
    assert widths == {round(pdf.BODY_W, 3), round(pdf.HALF_W, 3)}  # the column's width, not the notebook's 7 in
    assert not fresh.figures._figures  # type: ignore[attr-defined]  # the report's own figures were not drawn


def test_a_folder_build_builds_one_outline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def counting(report: vr.Report) -> Outline:
        calls.append(report)
        return build_outline(report)

    monkeypatch.setattr(outline_module, "outline", counting)
    assert main(["build", "--demo", "--month", "2024-11", "--out", f"{tmp_path}/"]) == 0
    assert {p.name for p in tmp_path.iterdir()} >= {"report.pdf", "report.html", "datapackage.json"}
    assert len(calls) == 1  # the PDF, the HTML page and the data package shared it


def test_outside_a_build_each_render_sees_the_report_as_it_is_now(report: vr.Report) -> None:
    with one_outline(report):
        first = shared(report)
        assert shared(report) is first
    assert shared(report) is not first  # the block is over: a changed report would print its change


def _drawings(report: vr.Report) -> list[Any]:
    """Fresh drawings of three kinds of chart (bars with a legend, a line with a provisional point, a step)."""
    names = ("services_requested_referred", "engagement", "survival_curve")
    return [charts.figure(report.charts[n], report.tables[report.charts[n].table], size=(3.5, 2.4)) for n in names]


@pytest.mark.parametrize("fonttype", ["none", "path"])
def test_a_chart_svg_is_savefigs_own_drawn_once(
    report: vr.Report, monkeypatch: pytest.MonkeyPatch, fonttype: str
) -> None:
    import io

    import matplotlib
    from matplotlib.figure import Figure as MplFigure

    from vipreport.report.svg import write_svg

    expected = []
    for fig in _drawings(report):
        buffer = io.StringIO()
        with matplotlib.rc_context({"svg.hashsalt": "test", "svg.fonttype": fonttype}):
            fig.savefig(buffer, format="svg", metadata={"Date": None})
        expected.append(buffer.getvalue())
    draws: list[object] = []
    draw = MplFigure.draw

    def counting(self: MplFigure, renderer: Any) -> None:
        draws.append(self)
        draw(self, renderer)

    monkeypatch.setattr(MplFigure, "draw", counting)
    written = []
    for fig in _drawings(report):
        canvas, dpi = fig.canvas, fig.dpi
        buffer = io.StringIO()
        write_svg(fig, buffer, fonttype=fonttype, hashsalt="test", metadata={"Date": None})
        written.append(buffer.getvalue())
        assert fig.canvas is canvas and fig.dpi == dpi  # the figure is left as savefig leaves it
        assert "draw" not in vars(fig)
    assert written == expected  # byte for byte
    assert len(draws) == 3  # one drawing per chart, where savefig draws each twice
    assert ("<text" in written[0]) == (fonttype == "none")  # text kept as text, or traced as outlines


def test_the_html_keeps_chart_text_as_text(report: vr.Report, tmp_path: Path) -> None:
    page = report.to_html(tmp_path / "r.html").read_text("utf-8")
    svgs = page.split("<svg")[1:]
    assert len(svgs) == len(report.figures)
    for svg in svgs:
        assert "<text" in svg and "<title" in svg and "<desc" in svg  # searchable, and read out by a screen reader
        assert "DejaVuSans-" not in svg.split("</svg>")[0]  # no glyph outlines (their ids name the glyph)
