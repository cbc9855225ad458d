"""The report's charts: one consistent, colour-blind-safe style, values printed on every bar.

Each chart is declared as a :class:`Chart` that names the report table and
columns it draws, so a test can check every drawn number against its table.
Figures are built with ``matplotlib.figure.Figure`` (no pyplot state), so
building a report never opens a window or touches Jupyter's current figure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..calendar import is_month, month_text
from ..config import Config
from ..suppression import SUPPRESSED
from .numbers import percent_of_text

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn, not when vipreport is
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# The colours are Okabe & Ito's (2008), distinguishable under the common colour-vision deficiencies.
# One colour per meaning, the same in every chart, so a colour never stands for one thing in one chart and
# another in the next. The three months of the month-by-category charts keep their colours from chart to
# chart (oldest to newest); single-series counts over the fiscal year (by month, or their FYTD total) share
# blue; the rates have their own. Lines use only colours with at least 3:1 contrast on white (WCAG 1.4.11):
# the yellow, at 1.3:1, fills bars, which get a dark edge, and is never a line or text.
SERIES_COLOURS: dict[str, str] = {
    "month-2": "#56B4E9",  # sky blue: two months before the report month
    "month-1": "#E69F00",  # orange: the month before
    "month": "#D55E00",  # vermillion: the report month
    "count": "#0072B2",  # blue: a count over the fiscal year, by month or as its FYTD total
    "requested": "#F0E442",  # yellow (bars only): services requested
    "referred": "#CC79A7",  # reddish purple: services referred
    "engagement": "#000000",  # black: the engagement rate
    "success": "#009E73",  # bluish green: every success measure (running, by age, Kaplan-Meier)
}
LIGHT = frozenset({"#F0E442"})  # too light to stand on white alone: drawn with an edge, never as a line
INK = "#222222"
GRID = "#DDDDDD"
FONT_SIZE = 8.5  # legible at print size on US Letter


def _all_rows(table: pd.DataFrame) -> pd.DataFrame:
    return table


def _months_as_rows(table: pd.DataFrame) -> pd.DataFrame:
    """A table of measures by month (months and FYTD as columns) as one row per month, FYTD left out."""
    return table.drop(columns="FYTD", errors="ignore").T


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
    percent: bool = False  # the columns are proportions (0-1), drawn and printed as percents
    series_labels: tuple[str, ...] | None = None
    provisional: str | None = None  # a boolean column of the table: those points are drawn hollow, dashed in
    caption: str = ""  # what the chart shows, in one plain sentence
    # What each column is, as a key of SERIES_COLOURS; empty for month-by-category charts (from their months).
    series: tuple[str, ...] = ()
    # A rate axis starts at 0 unless this is set; then it hugs the data and the chart says the axis is cut.
    zoomed: bool = False

    def __post_init__(self) -> None:
        if self.zoomed and self.kind not in ("line", "step"):  # a bar's length is its value: bars start at 0
            raise ValueError(f"chart {self.name!r}: only line and step charts can be zoomed, not {self.kind}")

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

    def colours(self) -> list[str]:
        """Each drawn series' colour, from what it is (:data:`SERIES_COLOURS`)."""
        return [SERIES_COLOURS[key] for key in self.series_keys()]

    def series_keys(self) -> tuple[str, ...]:
        """What each column is: the declared ``series``, or for month columns their place before the
        report month (``"month"``, ``"month-1"``, ``"month-2"``) and ``"count"`` for FYTD."""
        if self.series:
            if len(self.series) != len(self.columns):
                raise ValueError(f"chart {self.name!r}: {len(self.columns)} columns but {len(self.series)} series")
            return self.series
        months = sorted(c for c in self.columns if c != "FYTD")
        keys = []
        for column in self.columns:
            if column == "FYTD":
                keys.append("count")
                continue
            back = min(len(months) - 1 - months.index(column), 2)  # older months share the oldest colour
            keys.append("month" if back == 0 else f"month-{back}")
        return tuple(keys)


def column_text(column: object) -> str:
    """A column as printed: months as "Sep 2024", pairs joined, underscores as spaces."""
    if isinstance(column, tuple):
        return " ".join(column_text(c) for c in column)
    text = str(column)
    if is_month(text):
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
    """A drawn value as the report prints it: whole counts with thousands separators, a proportion as a
    percent with one decimal."""
    if hidden:
        return SUPPRESSED
    if value != value:  # NaN: nothing to show, say so rather than draw a zero
        return "n/a"
    return f"{percent_of_text(value)}%" if percent else f"{value:,.0f}"


def _drawn(values: np.ndarray, percent: bool) -> np.ndarray:
    """Where a value is drawn: a proportion on a 0-100 percent axis, a count as it is."""
    return 100 * values if percent else values


def _value_ticks(axis: Any, percent: bool) -> None:
    """Value-axis ticks as whole numbers with thousands separators (a rate axis's unit is in its label)."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    if not percent:  # counts: whole-number ticks only
        axis.set_major_locator(MaxNLocator(integer=True))
    axis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # not a lambda: the PDF pickles a copy


def _bars(ax: Axes, frame: pd.DataFrame, chart: Chart, hidden: np.ndarray) -> None:
    horizontal = chart.kind == "hbar"
    n_series = frame.shape[1]
    positions = np.arange(len(frame))
    width = 0.8 / n_series
    every_value = _drawn(frame.to_numpy(dtype=float), chart.percent)
    top = float(np.nanmax(every_value)) if np.isfinite(every_value).any() else 0.0
    draw_bar = ax.barh if horizontal else ax.bar
    for i, (column, colour) in enumerate(zip(frame.columns, chart.colours(), strict=True)):
        values = frame[column].to_numpy(dtype=float)
        # Series i is the i-th bar of its group from the left, or from the top (the hbar axis is inverted
        # below), so the groups read in the legend's order.
        place = positions + (i - (n_series - 1) / 2) * width
        light = colour in LIGHT
        container = draw_bar(
            place,
            np.nan_to_num(_drawn(values, chart.percent)),
            width * 0.92,
            color=colour,
            edgecolor=INK if light else colour,
            linewidth=0.6 if light else 0.0,
            label=column,
        )
        # Labels sit outside the bar end, so a 0 or a 1 is as visible as a 100.
        labels = [_format(v, chart.percent, h) for v, h in zip(values, hidden[:, i], strict=True)]
        ax.bar_label(container, labels=labels, padding=2, fontsize=FONT_SIZE - 1, color=INK)
    categories = [column_text(c) for c in frame.index]
    value_axis = ax.xaxis if horizontal else ax.yaxis
    (ax.set_yticks if horizontal else ax.set_xticks)(positions, categories)
    # A bar's length is its value: the value axis starts at 0 (a rate's runs to 100%), with room for the labels.
    end = 100.0 if chart.percent else max(top, 1.0)
    (ax.set_xlim if horizontal else ax.set_ylim)(0, end * 1.18)
    if chart.percent:
        value_axis.set_ticks(np.arange(0, 101, 20))
        ax.spines["bottom" if horizontal else "left"].set_bounds(0, 100)
    if horizontal:
        ax.invert_yaxis()  # first category on top, as in the report's tables
        ax.grid(axis="x", color=GRID, linewidth=0.6)
    else:
        ax.grid(axis="y", color=GRID, linewidth=0.6)
        if sum(len(c) + 2 for c in categories) > 60:  # labels that would run into each other
            for label in ax.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
    value_axis.set_label_text(chart.value_axis, fontsize=FONT_SIZE, color=INK)
    _value_ticks(value_axis, chart.percent)
    (ax.set_ylabel if horizontal else ax.set_xlabel)(chart.category_axis, fontsize=FONT_SIZE, color=INK)
    if n_series > 1:  # in drawing order: left to right, or top to bottom, as the bars of each group
        ax.legend(fontsize=FONT_SIZE - 0.5, frameon=False, loc="best")


def _line(ax: Axes, frame: pd.DataFrame, chart: Chart, provisional: np.ndarray | None = None) -> None:
    step = chart.kind == "step"
    x = frame.index.to_numpy(dtype=float) if step else np.arange(len(frame))
    flagged = np.zeros(len(frame), dtype=bool) if provisional is None else np.asarray(provisional, dtype=bool)
    series: list[tuple[float, Any]] = []  # (last value, legend handle)
    extra: list[Any] = []  # the provisional marker's legend entry, after the series
    for column, colour in zip(frame.columns, chart.colours(), strict=True):
        proportions = frame[column].to_numpy(dtype=float)
        values = _drawn(proportions, chart.percent)
        if step:
            (handle,) = ax.step(x, values, where="post", color=colour, linewidth=1.6, label=column)
        else:
            handle, hollow = _provisional_line(ax, x, values, flagged, colour, column)
            extra += [hollow] if hollow is not None and not extra else []
        finite = np.flatnonzero(np.isfinite(values))
        series.append((float(values[finite[-1]]) if finite.size else -np.inf, handle))
        if finite.size:
            last = finite[-1]
            note = " (provisional)" if flagged[last] else ""
            # Beside its point; a longer label ends at its point (below it), so it stays inside the axes.
            ax.annotate(
                _format(proportions[last], chart.percent) + note,
                (x[last], values[last]),
                xytext=(-4, -12) if note else (5, 0),
                textcoords="offset points",
                ha="right" if note else "left",
                va="baseline" if note else "center",
                fontsize=FONT_SIZE - 0.5,
                color=INK,
            )
    if step:
        ax.set_xlabel(chart.category_axis, fontsize=FONT_SIZE, color=INK)
        _value_ticks(ax.xaxis, percent=False)
    else:
        every = max(1, len(frame) // 8)
        ax.set_xticks(x[::every], [column_text(m) for m in frame.index[::every]])
        for label in ax.get_xticklabels():
            label.set_rotation(30)
            label.set_horizontalalignment("right")
    _value_limits(ax, _drawn(frame.to_numpy(dtype=float), chart.percent), chart)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    _value_ticks(ax.yaxis, chart.percent)
    height = float(ax.figure.bbox.height / ax.figure.dpi)  # inches, of a figure or a subfigure
    ax.set_ylabel(_fitted(chart.value_axis, height), fontsize=FONT_SIZE, color=INK)
    if frame.shape[1] > 1 or flagged.any():
        # The legend lists the lines as they end, top to bottom, then the provisional marker.
        handles = [handle for _, handle in sorted(series, key=lambda item: -item[0])] + extra
        ax.legend(handles=handles, fontsize=FONT_SIZE - 0.5, frameon=False)


def _fitted(label: str, inches: float) -> str:
    """An axis label wrapped onto lines that fit along an axis of about ``inches`` (a short chart's
    vertical axis cut "% without a new violent incident" off at the top)."""
    import textwrap

    # About 0.55 em a character in DejaVu Sans; the axis takes about 80% of the figure.
    characters = int(0.8 * inches * 72 / (0.55 * FONT_SIZE))
    return textwrap.fill(label, width=max(characters, 12))


def _value_limits(ax: Axes, values: np.ndarray, chart: Chart) -> None:
    """The value axis starts at 0 (a rate's runs to 100%) unless the chart is zoomed, and then says so."""
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    pad = max((high - low) * 0.15, 1.0)
    if not chart.zoomed:
        ax.set_ylim(0, 100.0 if chart.percent else max(high + pad, high * 1.15))
        if chart.percent:
            ax.set_yticks(np.arange(0, 101, 20))
        return
    step = 5.0 if chart.percent else 10.0 ** np.floor(np.log10(max(high - low, 1.0)))
    floor = max(0.0, float(np.floor((low - pad) / step) * step))
    ax.set_ylim(floor, min(100.0, high + pad) if chart.percent else high + pad)
    if floor > 0:
        _mark_cut_axis(ax)


def _mark_cut_axis(ax: Axes) -> None:
    """Two slashes across the foot of the value axis, and a note, so a cut axis is never read as 0-based."""
    for shift in (0.0, 0.025):  # above the lowest tick label, across the spine
        ax.plot(
            [-0.008, 0.008],
            [0.035 + shift, 0.06 + shift],
            transform=ax.transAxes,
            color=INK,
            linewidth=0.9,
            clip_on=False,
            gid="axis-break",
        )
    ax.text(
        0.01,
        0.98,
        "Axis does not start at 0",
        transform=ax.transAxes,
        ha="left",
        va="top",
        fontsize=FONT_SIZE - 1,
        color=INK,
        style="italic",
        gid="axis-break",
    )


def _provisional_line(
    ax: Axes, x: np.ndarray, values: np.ndarray, flagged: np.ndarray, colour: str, label: str
) -> tuple[Any, Any]:
    """Final values: a solid line with filled markers. Provisional ones: hollow markers, reached by a dashed
    segment, with their own legend entry, so a reader never takes an open window's value for a final one.
    Returns the line and the hollow markers (None when nothing is provisional), for the legend."""
    final = np.where(flagged, np.nan, values)
    (line,) = ax.plot(x, final, color=colour, marker="o", markersize=2.5, linewidth=1.6, label=label)
    if not flagged.any():
        return line, None
    for k in np.flatnonzero(flagged)[np.flatnonzero(flagged) > 0]:  # a dashed segment into each provisional point
        ax.plot(
            x[k - 1 : k + 1],
            values[k - 1 : k + 1],
            color=colour,
            linestyle="--",
            linewidth=1.2,
            gid="provisional-segment",
        )
    (hollow,) = ax.plot(
        x,
        np.where(flagged, values, np.nan),
        linestyle="none",
        marker="o",
        markersize=4.5,
        markerfacecolor="white",
        markeredgecolor=colour,
        markeredgewidth=1.2,
        gid="provisional",
        label="provisional: windows still open",
    )
    return line, hollow


def figure(
    chart: Chart, table: pd.DataFrame, *, mask: pd.DataFrame | None = None, size: tuple[float, float] = (7.0, 3.2)
) -> Figure:
    """A standalone matplotlib figure of one chart (``chartfigure.chart_figure`` wraps it for notebooks)."""
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
        rows=_months_as_rows,
        series=("count",),
        caption="How many people received a custom notification in each month of this fiscal year.",
    ),
    Chart(
        "referral_sources",
        "{short} referral sources, fiscal year to date",
        "vip.referral_sources",
        ("FYTD",),
        "hbar",
        "Referrals",
        series=("count",),
        caption="Who referred people to {short} so far this fiscal year.",
    ),
    Chart(
        "caseload_trend",
        "Active caseload on the last day of each month",
        "vip.caseload_trend",
        ("active_last_day",),
        "line",
        "Persons",
        series_labels=("Active caseload",),
        series=("count",),
        caption="How many people {short} was working with on the last day of each month.",
    ),
    Chart(
        "engagement",
        "Engagement with services after a custom notification",
        "vip.engagement_trend",
        ("engagement_rate",),
        "line",
        "% of persons notified",
        percent=True,
        series_labels=("Engagement rate",),
        series=("engagement",),
        provisional="provisional",
        caption="Of the people notified each month, the percentage who went on to use a service; "
        "the latest months can still go up.",
    ),
    Chart(
        "services_requested_referred",
        "Services requested and referred, fiscal year to date",
        "vip.services",
        (("requested", "FYTD"), ("referred", "FYTD")),
        "hbar",
        "Services",
        series_labels=("Requested", "Referred"),
        series=("requested", "referred"),
        caption="The services people asked for, and those they were referred to, so far this fiscal year.",
    ),
    Chart(
        "services_connected",
        "Services connected to, fiscal year to date",
        "vip.services_connected",
        ("FYTD",),
        "hbar",
        "Services",
        series=("count",),
        caption="The services people were connected to so far this fiscal year.",
    ),
    Chart(
        "success_trend",
        "{short} success rate",
        "vip.success_trend",
        ("success_rate",),
        "line",
        "% without a new violent incident",
        percent=True,
        series_labels=("Success rate",),
        series=("success",),
        caption="Each month, the percentage of people notified in the {cohort} months before it "
        "who have had no new violent incident.",
    ),
    Chart(
        "survival_curve",
        "No new violent incident, by days since first notification",
        "vip.survival_curve",
        ("survival",),
        "step",
        "% without a new violent incident",
        category_axis="Days since first custom notification (Kaplan-Meier estimate)",
        percent=True,
        series_labels=("Kaplan-Meier estimate",),
        series=("success",),
        caption="The percentage of people with no new violent incident, counted from their first notification: "
        "the line drops each time someone has one.",
    ),
    Chart(
        "success_by_age",
        "Success rate by age group at notification",
        "vip.success_by_age",
        ("success_rate",),
        "hbar",
        "% without a new violent incident",
        percent=True,
        rows=_no_all,
        series_labels=("Success rate",),
        series=("success",),
        caption="For each age group (age when notified), the percentage with no new violent incident.",
    ),
    # Month-by-category tables: the columns (the three months) and their colours are filled in per report.
    Chart(
        "referrals_by_area",
        "Referrals by {area}",
        "vip.referrals_by_area",
        (),
        "vbar",
        "Referrals",
        caption="How many people were referred to {short} from each {area}, in each of the last three months.",
    ),
    Chart(
        "trc_referrals",
        "{trc} referrals by source",
        "trc.referrals_by_source",
        (),
        "hbar",
        "Referrals",
        caption="Who referred people to the {trc}, in each of the last three months.",
    ),
    Chart(
        "cora_incidents",
        "{cora} responses by incident type",
        "cora.incidents_by_type",
        (),
        "hbar",
        "Responses",
        caption="What kinds of incidents the {cora} team went out to, in each of the last three months.",
    ),
    Chart(
        "cora_areas",
        "{cora} responses by {area}",
        "cora.responses_by_area",
        (),
        "hbar",
        "Responses",
        caption="Where the {cora} team went out to, by {area}, in each of the last three months.",
    ),
    Chart(
        "oep",
        "{oep}",
        "oep.summary",
        (),
        "hbar",
        "People",
        caption="What the {oep} program did in each of the last three months.",
    ),
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
    # Captions are sentences: an unnamed program is "the program", not a gap.
    plain = {**words, "short": config.short_name or "the program", "cohort": config.success_cohort_months}
    out = []
    for chart in CHARTS:
        if chart.table not in tables:
            continue
        title = chart.title.format(**words).strip()
        caption = chart.caption.format(**plain).strip()
        chart = dataclasses.replace(
            chart, title=title[:1].upper() + title[1:], caption=caption[:1].upper() + caption[1:]
        )
        if not chart.columns:
            table = tables[chart.table]
            months = tuple(c for c in table.columns if c != "FYTD")
            if len(months) == 1:  # one month beside its FYTD: draw both
                months = (*months, "FYTD")
                caption = chart.caption.replace(
                    "in each of the last three months", "this month and so far this fiscal year"
                )
                chart = dataclasses.replace(chart, caption=caption)
            chart = dataclasses.replace(chart, columns=months, series_labels=None)
        out.append(chart)
    return out
