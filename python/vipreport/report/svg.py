"""Saving a chart as SVG in one drawing pass, measuring each label once.

``Figure.savefig`` draws a figure that has a layout engine twice: a whole first
drawing, thrown away, so that the layout is settled before the second one is
written. matplotlib's SVG writer already runs the layout engine at the start of
its one drawing (``Figure.draw``), so the first drawing only doubled the cost of
every chart. And the layout engine measures the text with a renderer of its own,
so every label was measured again when it was drawn: here the layout borrows the
renderer that draws, whose measurements are cached. The report's SVGs are byte
for byte those of ``savefig`` (``tests/test_render_once.py``), in about two
thirds of the time.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure


def write_svg(
    figure: Figure,
    target: str | Path | IO[str],
    *,
    fonttype: str,
    hashsalt: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> None:
    """Write ``figure`` as SVG to ``target`` (a path or a text stream), as ``savefig`` would under the rc
    settings ``svg.fonttype`` (``"none"``: text as text; ``"path"``: outlines) and ``svg.hashsalt`` (None:
    as set).

    The figure keeps its own canvas and resolution afterwards, as after
    ``savefig``, so a notebook that shows it later draws it as before.
    """
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    class OnePass(FigureCanvasSVG):
        """Lays the figure out with the renderer that draws it, so each label is measured once, not twice."""

        drawing: Any = None

        def get_renderer(self) -> Any:
            return self.drawing

    def draw(renderer: Any) -> None:
        canvas.drawing = renderer
        type(figure).draw(figure, renderer)

    previous, dpi = figure.canvas, figure.dpi
    canvas = OnePass(figure)
    figure.draw = draw  # type: ignore[method-assign]
    try:
        salt = matplotlib.rcParams["svg.hashsalt"] if hashsalt is None else hashsalt
        with matplotlib.rc_context({"svg.fonttype": fonttype, "svg.hashsalt": salt}):
            canvas.print_svg(target, metadata=metadata)  # type: ignore[no-untyped-call]
    finally:  # the SVG writer draws at 72 dpi and leaves the figure so
        del figure.draw
        figure.set_canvas(previous)
        figure.dpi = dpi
