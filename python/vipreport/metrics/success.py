"""Success rates: the share of notified persons with no violent incident after notification."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import DateLike, as_of_days
from ..config import Config, category_key
from ..errors import ArgumentError
from ..io import Dataset, day_numbers
from ..io.dataset import fingerprint
from ..stats import check_confidence, wilson_interval
from .groups import check_by, group_codes

METHODS = ("running", "fixed")


def cohort(data: Dataset) -> _core.Cohort:
    """One row per notified person: first notification (t0), its age-group code, first violent incident after t0.

    Day columns are int32 day numbers; ``first_failure`` is ``_core.NO_DAY`` for no failure.
    """
    notices = data.table("notifications")
    incidents = data.table("incidents")
    inputs = (
        notices["person_key"],
        notices["notification_date"],
        notices["age_group"],
        incidents["person_key"],
        incidents["incident_date"],
        incidents["violent"],
    )
    return data.memo(
        ("cohort", *map(fingerprint, inputs)),
        lambda: _core.index_cohort(
            notices["person_key"].to_numpy(np.int64),
            data.days("notifications", "notification_date"),
            data.codes("notifications", "age_group"),
            incidents["person_key"].to_numpy(np.int64),
            data.days("incidents", "incident_date"),
            incidents["violent"].to_numpy(np.uint8),
        ),
    )


def check_offenses(data: Dataset, config: Config) -> None:
    """Refuse a per-call ``config`` whose offense map differs from the one the data were loaded with.

    Incidents are classed violent or not when they are read (the offense column is not kept), so a
    success rate cannot apply another map; it says so rather than use the old one silently.
    """

    def offenses(c: Config) -> tuple[frozenset[str], frozenset[str], str]:
        violent, other = (frozenset(map(category_key, names)) for names in (c.violent_offenses, c.nonviolent_offenses))
        return violent, other, c.unknown_offense

    if offenses(config) != offenses(data.config):
        raise ArgumentError(
            "this config classes offenses differently (offenses.violent, offenses.nonviolent or offenses.unknown) "
            "from the one the data were loaded with: reload the data with it (vr.load(..., config=config))"
        )


def success_counts(
    data: Dataset,
    as_of: DateLike | Sequence[DateLike],
    *,
    method: str = "running",
    by: str | None = None,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """Persons and failures for each as-of date (one core call for the whole series), long format."""
    config = config or data.config
    if method not in METHODS:
        raise ArgumentError(f"method must be one of {METHODS}, got {method!r}")
    check_confidence(confidence)
    check_by(by, data, config)
    check_offenses(data, config)
    days, stamps = as_of_days(as_of)
    index = cohort(data)
    groups, labels = group_codes(data, by, config, index.person, index.group)
    fail = index.first_failure
    died = death_days(data, index)
    # A death after t0 and before any violent incident is its own outcome: that person never fails, and
    # counting the death day as a "failure" in a second pass gives the deaths in each window.
    dies_first = died < fail
    fail = np.where(dies_first, _core.NO_DAY, fail).astype(np.int32)
    death_as_event = np.where(dies_first, died, _core.NO_DAY).astype(np.int32)
    if method == "running":

        def run(first_event: np.ndarray) -> _core.SuccessCounts:
            return _core.running_success(
                index.first_notice,
                groups,
                first_event,
                days,
                n_groups=len(labels),
                cohort_months=config.success_cohort_months,
            )
    else:

        def run(first_event: np.ndarray) -> _core.SuccessCounts:
            return _core.fixed_window_success(
                index.first_notice,
                groups,
                first_event,
                days,
                n_groups=len(labels),
                window_days=config.success_window_days,
            )

    counts = run(fail)
    notified, failures = counts.persons, counts.failures
    deaths = run(death_as_event).failures if dies_first.any() else np.zeros_like(failures)
    if by:
        notified = np.column_stack([notified, notified.sum(axis=1)])
        failures = np.column_stack([failures, failures.sum(axis=1)])
        deaths = np.column_stack([deaths, deaths.sum(axis=1)])
        labels = [*labels, "All"]
    frame = pd.DataFrame(
        {
            "as_of": np.repeat(np.asarray(stamps, dtype="datetime64[ns]"), len(labels)),
            "group": np.tile(labels, len(stamps)),
            "notified": notified.ravel(),
            "deaths": deaths.ravel(),
            "failures": failures.ravel(),
        }
    )
    rule = config.success_deaths
    if rule == "exclude":
        frame["persons"] = frame["notified"] - frame["deaths"]
    else:
        frame["persons"] = frame["notified"]
        if rule == "failure":
            frame["failures"] = frame["failures"] + frame["deaths"]
    frame["successes"] = frame["persons"] - frame["failures"]
    frame["success_rate"] = frame["successes"] / frame["persons"].where(frame["persons"] > 0)
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["successes"], frame["persons"], confidence=confidence)
    frame["deaths_rule"] = rule
    frame.insert(1, "method", method)
    return frame[
        [
            "as_of",
            "method",
            "group",
            "persons",
            "failures",
            "successes",
            "success_rate",
            "ci_low",
            "ci_high",
            "notified",
            "deaths",
            "deaths_rule",
        ]
    ]


def death_days(data: Dataset, index: _core.Cohort) -> np.ndarray:
    """Per cohort person: the day of a death after their first notification, else ``_core.NO_DAY``.

    A death dated on or before t0 cannot end follow-up that has not begun, so it is not read (as in
    :func:`vipreport.metrics.survival.follow_up`).
    """
    none = np.full(len(index.person), _core.NO_DAY, dtype=np.int64)
    if "deaths" not in data:
        return none
    deaths = data.table("deaths")
    death_day = pd.Series(day_numbers(deaths["death_date"]), index=deaths["person_key"]).groupby(level=0).min()
    died = death_day.reindex(index.person).to_numpy(dtype=float)
    after = np.isfinite(died) & (died > index.first_notice)
    return np.where(after, np.nan_to_num(died), none).astype(np.int64)


def success_rate(
    data: Dataset,
    as_of: str | pd.Timestamp,
    *,
    method: str = "running",
    by: str | None = None,
    confidence: float = 0.95,
    config: Config | None = None,
) -> pd.DataFrame:
    """The share of notified persons with no violent incident after their first notification.

    Parameters
    ----------
    data
        Needs the ``notifications`` and ``incidents`` tables.
    as_of
        The date up to which incidents are observed: ``"2024-11-30"``, or a
        month ``"2024-11"`` meaning its last day.
    method
        ``"running"`` (the report's headline): persons first notified in the
        ``success.cohort_months`` calendar months ending with as-of's month,
        failing on a violent incident after t0 and on or before as-of.
        ``"fixed"``: persons whose ``success.window_days`` window has closed
        (its last day t0 + window on or before as-of), failing on a violent incident in days 1 to window
        after t0 (both included: exactly ``window`` days).

        In both, a person who dies after t0 and before any violent incident (within the window, and on or
        before as-of) has died, not succeeded: by default (``success.deaths = "exclude"``) they leave the
        denominator and are counted in ``deaths``; ``"success"`` or ``"failure"`` count them so instead.
        This matches the Aalen-Johansen curves, where death is a competing outcome.
    by
        ``None``, ``"age_group"`` (age at the first notification),
        ``"area_command"`` or ``"program"`` (of the person's first referral;
        persons with none are in ``"No referral"`` / ``"No program"``). The
        counts are the internal edition's: the report's public edition hides
        small counts (``publication.suppress_*``) and marks rates over few
        persons; apply :mod:`vipreport.suppression` before publishing a split.
    confidence
        Level of the Wilson interval, between 0 and 1 (default 0.95).
    config
        The definitions (``success.*``); default ``data.config``. Its offense map, and with
        ``by="age_group"`` its age groups, must be the ones the data were loaded with (they are applied when
        reading): another is refused.

    Returns
    -------
    DataFrame
        One row per group (``"All"`` last), with a default index: ``as_of, method, group, persons``
        (the denominator), ``failures, successes, success_rate`` (a share from 0
        to 1; NaN when there are no persons), its Wilson interval at ``confidence`` ``ci_low,
        ci_high``, ``notified`` (everyone in the cohort), ``deaths`` (died in the
        window before any violent incident) and ``deaths_rule``.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> rates = vr.success_rate(data, "2024-11").set_index("group")
    >>> rates[["persons", "failures", "successes"]].loc["All"].tolist()
    [583, 14, 569]
    >>> round(float(rates.loc["All", "success_rate"]), 3)
    0.976
    >>> fixed = vr.success_rate(data, "2024-11", method="fixed")
    >>> int(fixed["persons"].iloc[-1])
    385
    >>> vr.success_rate(data, "2024-11", by="age_group")["group"].tolist()
    ['Under 18', '18-24', '25-34', '35 and over', 'Unknown', 'All']
    """
    return success_counts(data, as_of, method=method, by=by, confidence=confidence, config=config)
