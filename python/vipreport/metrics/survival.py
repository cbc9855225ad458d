"""Kaplan-Meier survival from first notification to first violent incident, censored at as-of.

The running success rate counts people notified last week as successes; the
Kaplan-Meier estimate uses each person's own follow-up instead, so S(730) is
the honest two-year figure when follow-up is short.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import as_of_days
from ..config import Config
from ..errors import ArgumentError
from ..io import Dataset, day_numbers
from ..stats import check_confidence, loglog_interval
from .groups import BY, check_by, group_codes
from .success import check_offenses, cohort

CAUSES = {0: "censored", 1: "violent incident", 2: "death"}


def follow_up(data: Dataset, as_of: str | pd.Timestamp, *, config: Config | None = None) -> pd.DataFrame:
    """One row per person first notified on or before as-of: duration in days, cause, age-group code.

    ``cause`` is 1 for a violent incident on or before as-of; 2 for a death
    after t0 and before any such incident (when the data has a ``deaths``
    table), which ends follow-up on the death day; else 0, censored at as-of.
    """
    return _follow_up(data, as_of, config=config)[0]


def _follow_up(
    data: Dataset, as_of: str | pd.Timestamp, *, config: Config | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`follow_up`, and the person key of each of its rows (kept apart: the frame is public)."""
    check_offenses(data, config or data.config)
    days, _ = as_of_days(as_of)
    if len(days) != 1:
        raise ArgumentError("follow_up takes one as-of date")
    as_of_day = int(days[0])
    index = cohort(data)
    t0, fail = index.first_notice.astype(np.int64), index.first_failure.astype(np.int64)
    keep = t0 <= as_of_day
    end = np.minimum(fail, as_of_day)
    cause = (fail <= as_of_day).astype(np.uint8)
    if "deaths" in data:
        deaths = data.table("deaths")
        death_day = pd.Series(day_numbers(deaths["death_date"]), index=deaths["person_key"]).groupby(level=0).min()
        died = death_day.reindex(index.person).to_numpy(dtype=float)
        # A death after t0, before any violent incident, on or before as-of, ends follow-up as a competing event.
        competing = (died > t0) & (died < fail) & (died <= as_of_day)
        end = np.where(competing, died, end).astype(np.int64)
        cause = np.where(competing, 2, cause).astype(np.uint8)
    frame = pd.DataFrame(
        {"duration": (end - t0)[keep].astype(np.int32), "cause": cause[keep], "group": index.group[keep]}
    )
    frame.attrs["as_of"] = pd.Timestamp(np.datetime64(as_of_day, "D"))
    return frame, np.asarray(index.person)[keep]


Groups = tuple[np.ndarray, list[str]]  # per follow-up row: a group code; and the labels the codes index


def _grouping(data: Dataset, frame: pd.DataFrame, persons: np.ndarray, by: str | None, config: Config) -> Groups:
    return group_codes(data, by, config, persons, frame["group"].to_numpy())


def _groups(frame: pd.DataFrame, grouping: Groups) -> Iterator[tuple[str, pd.DataFrame]]:
    codes, labels = grouping
    if labels != ["All"]:
        for code, label in enumerate(labels):
            yield label, frame[codes == code]
    yield "All", frame


def survival_curve(
    data: Dataset,
    as_of: str | pd.Timestamp,
    *,
    by: str | None = None,
    competing: bool = False,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """The Kaplan-Meier step curve (or, with ``competing=True``, Aalen-Johansen incidence).

    Time is days from each person's first notification to their first violent
    incident, censored at ``as_of`` (everyone first notified on or before it).

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with ``notifications`` and ``incidents`` tables
        (and ``deaths``, the competing outcome, when there is one).
    as_of
        The date up to which incidents are observed: ``"2024-11-30"``, or a
        month ``"2024-11"`` meaning its last day.
    by
        ``None`` (one curve, group ``"All"``), or ``"age_group"``, ``"area_command"``
        or ``"program"`` (one curve per group, then ``"All"``), as in
        :func:`~vipreport.metrics.success_rate`.
    competing
        Also estimate the Aalen-Johansen cumulative incidence, with death a
        competing outcome instead of a censoring.
    confidence
        Level of the log-log Greenwood intervals.
    config
        The definitions; default ``data.config``. Its offense map, and with ``by="age_group"`` its age
        groups, must be the ones the data were loaded with (they are applied when reading): another is refused.

    Returns
    -------
    DataFrame
        One row per group and distinct follow-up day: ``group, time, at_risk,
        events, censored, survival``, ``greenwood`` (the Greenwood variance sum of
        log S) and ``ci_low, ci_high`` (log-log Greenwood interval); with
        ``competing=True`` also ``competing`` (deaths) and ``incidence``
        (cumulative incidence of a violent incident with death as a competing
        risk). Deaths otherwise count as censored. Last, ``as_of``: the date
        through which incidents were observed.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> curve = vr.survival_curve(data, "2024-11")
    >>> int(curve["at_risk"].iloc[0]), int(curve["events"].sum())
    (970, 49)
    >>> round(float(curve.loc[curve["time"] <= 730, "survival"].iloc[-1]), 3)
    0.94
    """
    config = config or data.config
    check_confidence(confidence)
    check_by(by, data, config)
    frame, persons = _follow_up(data, as_of, config=config)
    curve = _curve(frame, _grouping(data, frame, persons, by, config), competing, confidence)
    return curve.assign(as_of=pd.Timestamp(frame.attrs["as_of"]))


def _curve(frame: pd.DataFrame, grouping: Groups, competing: bool, confidence: float) -> pd.DataFrame:
    parts = []
    for label, part in _groups(frame, grouping):
        duration = part["duration"].to_numpy(np.int32)
        if competing:
            curve = _core.aalen_johansen(duration, part["cause"].to_numpy(np.uint8))
        else:
            curve = _core.kaplan_meier(duration, (part["cause"] == 1).to_numpy(np.uint8))
        table = pd.DataFrame(
            {
                "time": curve.time,
                "at_risk": curve.at_risk,
                "events": curve.events,
                "competing": curve.competing,
                "censored": curve.censored,
                "survival": curve.survival,
                "greenwood": curve.greenwood,
            }
        )
        if competing:
            table["incidence"] = curve.incidence
        if not competing:
            table["censored"] += table.pop("competing")
        table["ci_low"], table["ci_high"] = loglog_interval(
            table["survival"], table["greenwood"], confidence=confidence
        )
        table.insert(0, "group", label)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


class SurvivalFitter:
    """Kaplan-Meier (and Aalen-Johansen) estimates of time to a violent incident, fitted once, read many times.

    In the manner of lifelines: construct with the options, call :meth:`fit`
    (which returns the fitter), then read the fitted attributes, whose names
    end in ``_``, or call :meth:`survival_at` and :attr:`summary`.

    Parameters
    ----------
    by
        ``None``, ``"age_group"``, ``"area_command"`` or ``"program"`` (see
        :func:`~vipreport.metrics.success_rate`).
    confidence
        Level of the log-log Greenwood intervals, between 0 and 1 (default 0.95).

    Attributes
    ----------
    follow_up_
        One row per person first notified on or before as-of: ``duration``
        (days from the first notification to the end of follow-up), ``cause``
        (1 a violent incident on or before as-of; 2 a death after the first
        notification and before any such incident; else 0, censored at as-of)
        and ``group`` (the age-group code).
    curve_
        The Kaplan-Meier step curve per group (deaths censored), as :func:`survival_curve`.
    competing_curve_
        The Aalen-Johansen curve per group (deaths a competing outcome), with ``incidence``.
    as_of_
        The as-of date the fit observed up to.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> fit = vr.SurvivalFitter(by="age_group").fit(data, "2024-11")
    >>> at = fit.survival_at((365, 730))
    >>> at.loc[at["group"] == "All", "survival"].round(3).tolist()
    [0.964, 0.94]
    >>> fit.summary.loc["All", ["persons", "events", "deaths"]].astype(int).tolist()
    [970, 49, 5]
    >>> len(fit.follow_up_)  # one row per person first notified by as-of
    970
    """

    def __init__(self, *, by: str | None = None, confidence: float = 0.95) -> None:
        check_confidence(confidence)
        if by is not None and by not in BY:
            raise ArgumentError(f"by must be None or one of {BY}, got {by!r}")
        self.by = by
        self.confidence = confidence

    def fit(self, data: Dataset, as_of: str | pd.Timestamp, *, config: Config | None = None) -> SurvivalFitter:
        """Read follow-up from ``data`` up to ``as_of`` and estimate the curves; returns ``self``."""
        self.config_ = config or data.config
        check_by(self.by, data, self.config_)
        self.follow_up_, persons = _follow_up(data, as_of, config=self.config_)
        self.groups_ = _grouping(data, self.follow_up_, persons, self.by, self.config_)
        self.as_of_ = self.follow_up_.attrs["as_of"]
        self.curve_ = _curve(self.follow_up_, self.groups_, False, self.confidence)
        self.competing_curve_ = _curve(self.follow_up_, self.groups_, True, self.confidence)
        return self

    def _fitted(self) -> None:
        if not hasattr(self, "follow_up_"):
            raise ArgumentError("call fit(data, as_of) before reading the fit")

    def survival_at(self, times: Sequence[int] = (180, 365, 730)) -> pd.DataFrame:
        """S(t) at each of ``times`` per group (see :func:`survival_at`)."""
        self._fitted()
        return _survival_at(self.follow_up_, self.curve_, self.groups_, times)

    @property
    def summary(self) -> pd.DataFrame:
        """Per group: persons, violent incidents, deaths, censored, the longest follow-up (days), and
        S and the cumulative incidence (deaths competing) at ``success.window_days``."""
        self._fitted()
        window = self.config_.success_window_days
        at_window = self.survival_at((window,)).set_index("group")
        rows = []
        for label, part in _groups(self.follow_up_, self.groups_):
            aj = self.competing_curve_[
                (self.competing_curve_["group"] == label) & (self.competing_curve_["time"] <= window)
            ]
            rows.append(
                {
                    "group": label,
                    "persons": len(part),
                    "events": int((part["cause"] == 1).sum()),
                    "deaths": int((part["cause"] == 2).sum()),
                    "censored": int((part["cause"] == 0).sum()),
                    "longest_follow_up": int(part["duration"].max()) if len(part) else 0,
                    f"survival_{window}": at_window.loc[label, "survival"],
                    f"incidence_{window}": float(aj["incidence"].iloc[-1]) if len(aj) else 0.0,
                    "reason": at_window.loc[label, "reason"],
                }
            )
        return pd.DataFrame(rows).set_index("group")


def survival_at(
    data: Dataset,
    as_of: str | pd.Timestamp,
    *,
    times: Sequence[int] = (180, 365, 730),
    by: str | None = None,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """Kaplan-Meier S(t) at each of ``times`` (days since first notification), with intervals.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with ``notifications`` and ``incidents`` tables.
    as_of
        The date up to which incidents are observed: ``"2024-11-30"``, or a
        month ``"2024-11"`` meaning its last day.
    times
        Days since the first notification.
    by
        As in :func:`survival_curve`.
    confidence
        Level of the log-log Greenwood intervals.
    config
        The definitions; default ``data.config``. Its offense map, and with ``by="age_group"`` its age
        groups, must be the ones the data were loaded with (they are applied when reading): another is refused.

    Returns
    -------
    DataFrame
        One row per group and time: ``group, time, at_risk`` (persons still
        followed at t), ``events`` (violent incidents by t), ``survival,
        ci_low, ci_high``; S is 1 with bounds 1 before the first event, and
        NaN when no one is still at risk at t (unless S has reached 0), with
        ``reason`` saying why (empty otherwise), and ``as_of``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> at = vr.survival_at(data, "2024-11", times=[365, 730])
    >>> at["at_risk"].tolist(), at["survival"].round(3).tolist()
    ([644, 356], [0.964, 0.94])
    """
    fitted = SurvivalFitter(by=by, confidence=confidence).fit(data, as_of, config=config)
    return fitted.survival_at(times).assign(as_of=pd.Timestamp(fitted.as_of_))


def _survival_at(frame: pd.DataFrame, curve: pd.DataFrame, grouping: Groups, times: Sequence[int]) -> pd.DataFrame:
    rows = []
    for label, part in _groups(frame, grouping):
        steps = curve[curve["group"] == label]
        durations = np.sort(part["duration"].to_numpy())
        for t in times:
            upto = steps[steps["time"] <= t]
            last = upto.iloc[-1] if len(upto) else None
            at_risk = int(len(durations) - np.searchsorted(durations, t, side="left"))
            row: dict[str, Any] = {
                "group": label,
                "time": int(t),
                "at_risk": at_risk,
                "events": int(upto["events"].sum()),
                "survival": 1.0 if last is None else float(last["survival"]),
                "ci_low": 1.0 if last is None else float(last["ci_low"]),
                "ci_high": 1.0 if last is None else float(last["ci_high"]),
                "reason": "",
            }
            if at_risk == 0 and row["survival"] > 0:
                # Past the last time anyone is at risk the estimate is not defined: carrying the last step
                # forward would claim follow-up nobody had.
                longest = int(durations[-1]) if len(durations) else 0
                row.update(
                    survival=np.nan,
                    ci_low=np.nan,
                    ci_high=np.nan,
                    reason=f"no one followed to day {int(t)} (longest follow-up {longest} days)",
                )
            rows.append(row)
    return pd.DataFrame(rows)
