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
