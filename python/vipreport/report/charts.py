"""The report's charts: one consistent, colour-blind-safe style, values printed on every bar.

Each chart is declared as a :class:`Chart` that names the report table and
columns it draws, so a test can check every drawn number against its table.
Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), so
building a report never opens a window or touches Jupyter's current figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..calendar import month_text
from ..config import Config
from ..publication import SUPPRESSED

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when vipreport is
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
INK = "#222222"
GRID = "#DDDDDD"
FONT_SIZE = 8.5  # legible at print size on US Letter


def _all_rows(table: pd.DataFrame) -> pd.DataFrame:
    return table


def _months_only(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(index="FYTD", errors="ignore")


def _no_all(table: pd.DataFrame) -> pd.DataFrame:
    return table.drop(index="All", errors="ignore")


@dataclass(frozen=True)
class Chart:
    name: str
    title: str
    table: str  # key in Report.tables
    columns: tuple[Any, ...]  # one drawn series per column
    kind: str  # "vbar", "hbar" or "line"
    value_axis: str  # the value axis label
    category_axis: str = ""
    rows: Callable[[pd.DataFrame], pd.DataFrame] = field(default=_all_rows)
    percent: bool = False
    series_labels: tuple[str, ...] | None = None
    provisional: str | None = None  # a boolean column of the table: those points are drawn hollow, dashed in
    caption: str = ""  # what the chart shows, in one plain sentence

    def flags(self, table: pd.DataFrame) -> np.ndarray:
        """Per drawn row: True where the value is provisional (drawn hollow and labelled)."""
        rows = self.rows(table)
        if self.provisional is None or self.provisional not in rows:
            return np.zeros(len(rows), dtype=bool)
        return rows[self.provisional].to_numpy(dtype=bool)

    def data(self, table: pd.DataFrame) -> pd.DataFrame:
        """The numbers this chart draws: rows x series."""
        frame = self.rows(table)[list(self.columns)]
        frame.columns = list(self.series_labels or [column_text(c) for c in self.columns])
        return frame


def column_text(column: object) -> str:
    """A column as printed: months as "Sep 2024", pairs joined, underscores as spaces."""
    if isinstance(column, tuple):
        return " ".join(column_text(c) for c in column)
    text = str(column)
    if len(text) == 7 and text[4] == "-":
        return month_text(text)
    return text.replace("_", " ")


def style_axes(ax: Axes) -> None:
    ax.tick_params(labelsize=FONT_SIZE, colors=INK, length=0)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#888888")
    ax.set_axisbelow(True)


def draw(ax: Axes, chart: Chart, table: pd.DataFrame, mask: pd.DataFrame | None = None) -> None:
    """Draw ``chart`` from its ``table`` onto ``ax``; cells true in ``mask`` are hidden (public edition)."""
    frame = chart.data(table)
    hidden = chart.data(mask).to_numpy(dtype=bool) if mask is not None else np.zeros(frame.shape, bool)
    frame = frame.mask(hidden)
    style_axes(ax)
    # y=1.0 is where matplotlib's automatic placement puts it on these axes (no ticks on top; every value
    # axis starts at 0 or a round percent, so no offset text); given, it skips measuring every tick label.
    ax.set_title(chart.title, fontsize=FONT_SIZE + 1.5, fontweight="bold", color=INK, loc="left", y=1.0)
    if chart.kind in ("line", "step"):
        _line(ax, frame, chart, chart.flags(table))
    else:
        _bars(ax, frame, chart, hidden)


def _format(value: float, percent: bool, hidden: bool = False) -> str:
    if hidden:
        return SUPPRESSED
    if value != value:  # NaN: nothing to show, say so rather than draw a zero
        return "n/a"
    return f"{value:.1f}%" if percent else f"{value:,.0f}"


def _bars(ax: Axes, frame: pd.DataFrame, chart: Chart, hidden: np.ndarray) -> None:
    from matplotlib.ticker import MaxNLocator

    horizontal = chart.kind == "hbar"
    n_series = frame.shape[1]
    positions = np.arange(len(frame))
    width = 0.8 / n_series
    top = np.nanmax(frame.to_numpy(dtype=float)) if frame.size and np.isfinite(frame.to_numpy(dtype=float)).any() else 0
    for i, column in enumerate(frame.columns):
        values = frame[column].to_numpy(dtype=float)
        offset = (i - (n_series - 1) / 2) * width
        place = positions + offset if not horizontal else positions - offset
        drawn = np.nan_to_num(values)
        draw_bar = ax.barh if horizontal else ax.bar
        container = draw_bar(place, drawn, width * 0.92, color=PALETTE[i % len(PALETTE)], label=column)
        # Labels sit outside the bar end, so a 0 or a 1 is as visible as a 100.
        labels = [_format(v, chart.percent, h) for v, h in zip(values, hidden[:, i], strict=True)]
        ax.bar_label(container, labels=labels, padding=2, fontsize=FONT_SIZE - 1, color=INK)
    categories = [str(c) for c in frame.index]
    value_axis = ax.xaxis if horizontal else ax.yaxis
    (ax.set_yticks if horizontal else ax.set_xticks)(positions, categories)
    if horizontal:
        ax.invert_yaxis()  # first category on top, as in the report's tables
        ax.set_xlim(0, max(top, 1) * 1.18)
        ax.grid(axis="x", color=GRID, linewidth=0.6)
    else:
        ax.set_ylim(0, max(top, 1) * 1.18)
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        if max(len(c) for c in categories or [""]) > 6:
            for label in ax.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
    value_axis.set_label_text(chart.value_axis, fontsize=FONT_SIZE, color=INK)
    if not chart.percent:  # counts: whole-number ticks only
        value_axis.set_major_locator(MaxNLocator(integer=True))
    (ax.set_ylabel if horizontal else ax.set_xlabel)(chart.category_axis, fontsize=FONT_SIZE, color=INK)
    if n_series > 1:
        ax.legend(fontsize=FONT_SIZE - 0.5, frameon=False, loc="best")


def _line(ax: Axes, frame: pd.DataFrame, chart: Chart, provisional: np.ndarray | None = None) -> None:
    from matplotlib.ticker import MaxNLocator

    step = chart.kind == "step"
    x = frame.index.to_numpy(dtype=float) if step else np.arange(len(frame))
    flagged = np.zeros(len(frame), dtype=bool) if provisional is None else np.asarray(provisional, dtype=bool)
    for i, column in enumerate(frame.columns):
        values = frame[column].to_numpy(dtype=float)
        if step:
            ax.step(x, values, where="post", color=PALETTE[i], linewidth=1.6, label=column)
        else:
            _provisional_line(ax, x, values, flagged, PALETTE[i], column)
        finite = np.flatnonzero(np.isfinite(values))
        if finite.size:
            last = finite[-1]
            note = " (provisional)" if flagged[last] else ""
            # A longer label ends at its point (below it), so it stays inside the axes at the right edge.
            ax.annotate(
                _format(values[last], chart.percent) + note,
                (x[last], values[last]),
                xytext=(-4, -12) if note else (4, 4),
                textcoords="offset points",
                ha="right" if note else "left",
                fontsize=FONT_SIZE - 0.5,
                color=INK,
            )
    if step:
        ax.set_xlabel(chart.category_axis, fontsize=FONT_SIZE, color=INK)
    else:
        every = max(1, len(frame) // 8)
        ax.set_xticks(x[::every], [column_text(m) for m in frame.index[::every]])
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    every_value = frame.to_numpy(dtype=float)
    if np.isfinite(every_value).any():
        low, high = np.nanmin(every_value), np.nanmax(every_value)
        pad = max((high - low) * 0.15, 1.0)
        floor = 0 if not chart.percent else max(0.0, np.floor((low - pad) / 5) * 5)
        ax.set_ylim(floor, (min(100.0, high + pad) if chart.percent else high + pad))
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    if not chart.percent:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(chart.value_axis, fontsize=FONT_SIZE, color=INK)
    if frame.shape[1] > 1 or flagged.any():
        ax.legend(fontsize=FONT_SIZE - 0.5, frameon=False)


def _provisional_line(ax: Axes, x: np.ndarray, values: np.ndarray, flagged: np.ndarray, color: str, label: str) -> None:
    """Final values: a solid line with filled markers. Provisional ones: hollow markers, reached by a dashed
    segment, with their own legend entry, so a reader never takes an open window's value for a final one."""
    final = np.where(flagged, np.nan, values)
    ax.plot(x, final, color=color, marker="o", markersize=2.5, linewidth=1.6, label=label)
    if not flagged.any():
        return
    for k in np.flatnonzero(flagged)[np.flatnonzero(flagged) > 0]:  # a dashed segment into each provisional point
        ax.plot(
            x[k - 1 : k + 1],
            values[k - 1 : k + 1],
            color=color,
            linestyle="--",
            linewidth=1.2,
            gid="provisional-segment",
        )
    ax.plot(
        x,
        np.where(flagged, values, np.nan),
        linestyle="none",
        marker="o",
        markersize=4.5,
        markerfacecolor="white",
        markeredgecolor=color,
        markeredgewidth=1.2,
        gid="provisional",
        label="provisional: windows still open",
    )


class LazyFigures(Mapping[str, "Figure"]):
    """Figures by chart name, each drawn on first access (the PDF draws its own, so a
    command-line build never pays for figures nobody looks at)."""

    def __init__(self, makers: dict[str, Callable[[], Figure]]) -> None:
        self._makers = makers
        self._figures: dict[str, Figure] = {}

    def __getitem__(self, name: str) -> Figure:
        if name not in self._figures:
            self._figures[name] = self._makers[name]()
        return self._figures[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def figure(
    chart: Chart, table: pd.DataFrame, *, mask: pd.DataFrame | None = None, size: tuple[float, float] = (7.0, 3.2)
) -> Figure:
    """A standalone figure of one chart (for notebooks and HTML)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=size, layout="constrained")
    draw(fig.add_subplot(), chart, table, mask)
    return fig


# Titles name the program, its areas and its partner pages as the profile does ({short}, {area}, ...).
CHARTS: tuple[Chart, ...] = (
    Chart(
        "custom_notifications",
        "Custom notifications by month, this fiscal year",
        "vip.custom_notifications",
        ("notifications",),
        "vbar",
        "Notifications",
        rows=_months_only,
        caption="How many people were given a custom notification in each month of this fiscal year.",
    ),
    Chart(
        "referral_sources",
        "{short} referral sources, fiscal year to date",
        "vip.referral_sources",
        ("FYTD",),
        "hbar",
        "Referrals",
        caption="Who referred people to the program this fiscal year.",
    ),
    Chart(
        "caseload_trend",
        "Active caseload on the last day of each month",
        "vip.caseload_trend",
        ("active_last_day",),
        "line",
        "Persons",
        series_labels=("Active caseload",),
        caption="How many people the program was working with at the end of each month.",
    ),
    Chart(
        "engagement",
        "Engagement with services after a custom notification",
        "vip.engagement_trend",
        ("engagement_rate_pct",),
        "line",
        "% of persons notified",
        percent=True,
        series_labels=("Engagement rate",),
        provisional="provisional",
        caption="Of the people notified each month, the share who took up a service; the last months can still rise.",
    ),
    Chart(
        "services_requested_referred",
        "Services requested and referred, fiscal year to date",
        "vip.services",
        (("requested", "FYTD"), ("referred", "FYTD")),
        "hbar",
        "Services",
        series_labels=("Requested", "Referred"),
        caption="Which services people asked for, and which they were referred to, this fiscal year.",
    ),
    Chart(
        "services_connected",
        "Services connected to, fiscal year to date",
        "vip.services_connected",
        ("FYTD",),
        "hbar",
        "Services",
        caption="Which services people were connected to this fiscal year.",
    ),
    Chart(
        "success_trend",
        "{short} running success rate",
        "vip.success_trend",
        ("success_rate_pct",),
        "line",
        "% without a new violent incident",
        percent=True,
        series_labels=("Running success rate",),
        caption="Of the people notified in the past few years, the share with no new violent incident, month by month.",
    ),
    Chart(
        "survival_curve",
        "Share with no new violent incident, by days since first notification (Kaplan-Meier)",
        "vip.survival_curve",
        ("survival_pct",),
        "step",
        "% without a new violent incident",
        category_axis="Days since first custom notification",
        percent=True,
        series_labels=("Kaplan-Meier estimate",),
        caption="The share of people still without a new violent incident, by days since their first notification.",
    ),
    Chart(
        "success_by_age",
        "Success rate by age group at notification",
        "vip.success_by_age",
        ("success_rate_pct",),
        "hbar",
        "% without a new violent incident",
        percent=True,
        rows=_no_all,
        series_labels=("Success rate",),
        caption="The success rate for each age group at notification.",
    ),
    # Month-by-category tables: the columns (the three months) are filled in per report.
    Chart(
        "referrals_by_area",
        "Referrals by {area}",
        "vip.referrals_by_area",
        (),
        "vbar",
        "Referrals",
        caption="How many people were referred from each {area} in each of the last three months.",
    ),
    Chart(
        "trc_referrals",
        "{trc} referrals by source",
        "trc.referrals_by_source",
        (),
        "hbar",
        "Referrals",
        caption="Where the {trc}'s referrals came from in each of the last three months.",
    ),
    Chart(
        "cora_incidents",
        "{cora} responses by incident type",
        "cora.incidents_by_type",
        (),
        "hbar",
        "Responses",
        caption="What kinds of incidents the {cora} team responded to.",
    ),
    Chart(
        "cora_areas",
        "{cora} responses by {area}",
        "cora.responses_by_area",
        (),
        "hbar",
        "Responses",
        caption="Where the {cora} team responded.",
    ),
    Chart("oep", "{oep}", "oep.summary", (), "hbar", "People", caption="The {oep} program's activity by month."),
)


def charts_for(tables: dict[str, pd.DataFrame], config: Config) -> list[Chart]:
    """The report's charts, titled in the profile's words, with the month columns of month-by-category
    tables filled in."""
    words = {
        "short": config.short_name,
        "area": config.area_label.lower(),
        "trc": config.trc_title,
        "cora": config.cora_title,
        "oep": config.oep_title,
    }
    out = []
    for chart in CHARTS:
        if chart.table not in tables:
            continue
        title = chart.title.format(**words).strip()
        caption = chart.caption.format(**words).strip()
        chart = dataclasses.replace(chart, title=title[:1].upper() + title[1:], caption=caption)
        if not chart.columns:
            table = tables[chart.table]
            months = tuple(c for c in table.columns if c != "FYTD")
            if len(months) == 1:  # one month beside its FYTD: draw both
                months = (*months, "FYTD")
            chart = dataclasses.replace(chart, columns=months, series_labels=None)
        out.append(chart)
    return out
