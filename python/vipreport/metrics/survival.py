"""Kaplan-Meier survival from first notification to first violent incident, censored at as-of.

The running success rate counts people notified last week as successes; the
Kaplan-Meier estimate uses each person's own follow-up instead, so S(730) is
the honest two-year figure when follow-up is short.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd

from .. import _core
from ..config import Config
from ..errors import ArgumentError
from ..io import Dataset, day_numbers
from ..stats import loglog_interval
from .recidivism import as_of_days, cohort

CAUSES = {0: "censored", 1: "violent incident", 2: "death"}


def follow_up(data: Dataset, as_of: str | pd.Timestamp, *, config: Config | None = None) -> pd.DataFrame:
    """One row per person first notified on or before as-of: duration in days, cause, age-group code.

    ``cause`` is 1 for a violent incident on or before as-of; 2 for a death
    after t0 and before any such incident (when the data has a ``deaths``
    table), which ends follow-up on the death day; else 0, censored at as-of.
    """
    config = config or data.config
    days, _ = as_of_days(as_of)
    if len(days) != 1:
        raise ArgumentError("follow_up takes one as-of date")
    as_of_day = int(days[0])
    index = cohort(data)
    t0, fail = index["first_notice"].astype(np.int64), index["first_failure"].astype(np.int64)
    keep = t0 <= as_of_day
    end = np.minimum(fail, as_of_day)
    cause = (fail <= as_of_day).astype(np.uint8)
    if "deaths" in data:
        deaths = data.table("deaths")
        death_day = pd.Series(day_numbers(deaths["death_date"]), index=deaths["person_key"]).groupby(level=0).min()
        died = death_day.reindex(index["person"]).to_numpy(dtype=float)
        # A death after t0, before any violent incident, on or before as-of, ends follow-up as a competing event.
        competing = (died > t0) & (died < fail) & (died <= as_of_day)
        end = np.where(competing, died, end).astype(np.int64)
        cause = np.where(competing, 2, cause).astype(np.uint8)
    frame = pd.DataFrame({"duration": (end - t0)[keep].astype(np.int32), "cause": cause[keep],
                          "group": index["group"][keep]})
    frame.attrs["as_of"] = pd.Timestamp(np.datetime64(as_of_day, "D"))
    frame.attrs["age_groups"] = data.config.age_groups
    return frame


def _groups(frame: pd.DataFrame, by: str | None, config: Config) -> Iterator[tuple[str, pd.DataFrame]]:
    if by is None:
        yield "All", frame
        return
    if by != "age_group":
        raise ArgumentError(f"by must be None or 'age_group', got {by!r}")
    if config.age_groups != frame.attrs["age_groups"]:
        raise ArgumentError("by='age_group' needs the age groups the data was loaded with: reload the data "
                            "with this config (vr.load(..., config=config))")
    for code, label in enumerate(config.age_group_labels):
        yield label, frame[frame["group"] == code]
    yield "All", frame


def survival_curve(data: Dataset, as_of: str | pd.Timestamp, *, by: str | None = None,
                   competing: bool = False, confidence: float = 0.95,
                   config: Config | None = None) -> pd.DataFrame:
    """The Kaplan-Meier step curve (or, with ``competing=True``, Aalen-Johansen incidence).

    Returns
    -------
    DataFrame
        One row per group and distinct follow-up day: ``group, time, at_risk,
        events, censored, survival, ci_low, ci_high`` (log-log Greenwood
        interval); with ``competing=True`` also ``competing`` (deaths) and
        ``incidence`` (cumulative incidence of a violent incident with death
        as a competing risk). Deaths otherwise count as censored.
    """
    config = config or data.config
    return _curve(follow_up(data, as_of, config=config), by, competing, confidence, config)


def _curve(frame: pd.DataFrame, by: str | None, competing: bool, confidence: float, config: Config) -> pd.DataFrame:
    parts = []
    for label, part in _groups(frame, by, config):
        duration = part["duration"].to_numpy(np.int32)
        if competing:
            curve = _core.aalen_johansen(duration, part["cause"].to_numpy(np.uint8))
        else:
            curve = _core.kaplan_meier(duration, (part["cause"] == 1).to_numpy(np.uint8))
        table = pd.DataFrame({k: v for k, v in curve.items() if len(v) == len(curve["time"])})
        if not competing:
            table["censored"] += table.pop("competing")
        table["ci_low"], table["ci_high"] = loglog_interval(table["survival"], table["greenwood"],
                                                            confidence=confidence)
        table.insert(0, "group", label)
        parts.append(table)
    return pd.concat(parts, ignore_index=True)


def survival_at(data: Dataset, as_of: str | pd.Timestamp, *, times: Sequence[int] = (180, 365, 730),
                by: str | None = None, confidence: float = 0.95, config: Config | None = None) -> pd.DataFrame:
    """Kaplan-Meier S(t) at each of ``times`` (days since first notification), with intervals.

    Returns
    -------
    DataFrame
        One row per group and time: ``group, time, at_risk`` (persons still
        followed at t), ``events`` (violent incidents by t), ``survival,
        ci_low, ci_high``; S is 1 with bounds 1 before the first event.
    """
    config = config or data.config
    frame = follow_up(data, as_of, config=config)
    curve = _curve(frame, by, False, confidence, config)
    rows = []
    for label, part in _groups(frame, by, config):
        steps = curve[curve["group"] == label]
        durations = np.sort(part["duration"].to_numpy())
        for t in times:
            upto = steps[steps["time"] <= t]
            last = upto.iloc[-1] if len(upto) else None
            rows.append({
                "group": label,
                "time": int(t),
                "at_risk": int(len(durations) - np.searchsorted(durations, t, side="left")),
                "events": int(upto["events"].sum()),
                "survival": 1.0 if last is None else float(last["survival"]),
                "ci_low": 1.0 if last is None else float(last["ci_low"]),
                "ci_high": 1.0 if last is None else float(last["ci_high"]),
            })
    return pd.DataFrame(rows)
