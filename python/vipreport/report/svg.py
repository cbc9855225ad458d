"""Saving a chart as SVG in one drawing pass.

``Figure.savefig`` draws a figure that has a layout engine twice: a whole first
drawing, thrown away, so that the layout is settled before the second one is
written. matplotlib's SVG writer already runs the layout engine at the start of
its one drawing (``Figure.draw``), with the same text measurements, so the first
drawing only doubled the cost of every chart. Written here in one pass, the
report's SVGs are byte for byte those of ``savefig`` (checked in
``tests/test_render_once.py``) for about half the time.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

    from matplotlib.figure import Figure


def write_svg(
    figure: Figure, target: str | Path | IO[str], *, rc: dict[str, Any], metadata: dict[str, Any] | None = None
) -> None:
    """Write ``figure`` as SVG to ``target`` (a path or a text stream), under the rc settings ``rc``.

    The figure keeps its own canvas and resolution afterwards, as after
    ``savefig``, so a notebook that shows it later draws it as before.
    """
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    previous, dpi = figure.canvas, figure.dpi
    try:
        with matplotlib.rc_context(rc):
            FigureCanvasSVG(figure).print_svg(target, metadata=metadata)
    finally:  # the SVG writer draws at 72 dpi and leaves the figure so
        figure.set_canvas(previous)
        figure.dpi = dpi
