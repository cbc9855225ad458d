"""A drawn chart as a notebook shows it: an image (SVG and PNG) with a text summary, and the matplotlib
objects underneath for whoever wants to restyle it.

The figures are built without pyplot (``charts.figure``), and Jupyter shows a bare matplotlib Figure as its
text repr unless pyplot has started; the rich reprs here render the figure themselves, so ``display(chart)``
and a chart as a cell's last line show the chart in JupyterLab, VS Code and headless nbclient runs alike.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .charts import Chart, figure
from .svg import write_svg

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when vipreport is
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

PNG_DPI = 144  # sharp on high-density screens, about 60 KB a chart


class ChartFigure:
    """One drawn chart of a report.

    Displays as an image in Jupyter (``_repr_mimebundle_``: SVG, PNG and a
    text summary). Customise it through the matplotlib objects underneath.

    Attributes
    ----------
    chart
        The chart's declaration: its table, columns, title and caption.
    figure
        The matplotlib ``Figure``.
    ax
        The figure's one ``Axes``.
    alt
        What the chart shows, in words (the alternative text of the report).

    Examples
    --------
    >>> import vipreport as vr
    >>> report = vr.build_report(vr.datasets.demo(), "2024-11")
    >>> chart = report.figures["engagement"]
    >>> chart.ax.get_ylim() == (0, 100)  # a rate axis runs from 0 to 100%
    True
    >>> chart.savefig("engagement.png", dpi=200)  # doctest: +SKIP
    """

    def __init__(self, figure: Figure, *, chart: Chart, alt: str) -> None:
        self.figure = figure
        self.chart = chart
        self.alt = alt

    @property
    def ax(self) -> Axes:
        return self.figure.axes[0]

    def savefig(self, fname: Any, **kwargs: Any) -> None:
        """Save the chart: :meth:`matplotlib.figure.Figure.savefig` with the same arguments."""
        self.figure.savefig(fname, **kwargs)

    def to_svg(self) -> str:
        """The chart as an SVG document, its text kept as text (searchable and small)."""
        buffer = io.StringIO()
        write_svg(self.figure, buffer, fonttype="none")
        return buffer.getvalue()

    def to_png(self, *, dpi: float = PNG_DPI) -> bytes:
        """The chart as PNG bytes."""
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def _repr_svg_(self) -> str:
        return self.to_svg()

    def _repr_png_(self) -> bytes:
        return self.to_png()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> dict[str, Any]:
        # Both images: JupyterLab and VS Code show the SVG (sharp at any zoom), tools without SVG the PNG.
        data: dict[str, Any] = {"text/plain": repr(self)}
        makers: dict[str, Callable[[], Any]] = {"image/svg+xml": self.to_svg, "image/png": self.to_png}
        for mime, make in makers.items():
            if (include is None or mime in include) and not (exclude and mime in exclude):
                data[mime] = make()
        return data

    def __repr__(self) -> str:
        return f"<vipreport chart {self.chart.name!r}: {self.alt}>"


def chart_figure(
    chart: Chart, table: pd.DataFrame, *, mask: pd.DataFrame | None = None, size: tuple[float, float] = (7.0, 3.2)
) -> ChartFigure:
    """Draw ``chart`` from ``table`` (hiding the cells true in ``mask``) as a :class:`ChartFigure`."""
    from .outline import alt_text

    data = chart.data(table)
    hidden = chart.data(mask).to_numpy(dtype=bool) if mask is not None else np.zeros(data.shape, bool)
    return ChartFigure(figure(chart, table, mask=mask, size=size), chart=chart, alt=alt_text(chart, data.mask(hidden)))


class LazyFigures(Mapping[str, ChartFigure]):
    """Charts by name, each drawn on first access (the PDF draws its own, so a
    command-line build never pays for figures nobody looks at)."""

    def __init__(self, makers: dict[str, Callable[[], ChartFigure]]) -> None:
        self._makers = makers
        self._figures: dict[str, ChartFigure] = {}

    def __getitem__(self, name: str) -> ChartFigure:
        if name not in self._figures:
            self._figures[name] = self._makers[name]()
        return self._figures[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)
