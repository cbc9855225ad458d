"""Success rates: the share of notified persons with no violent incident after notification."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .. import _core
from ..config import Config
from ..errors import ArgumentError
from ..io import Dataset
from ..io.dataset import fingerprint
from ..stats import wilson_interval
from ._months import day_number, month_index

METHODS = ("running", "fixed")


# One as-of date ("2024-11-30") or several.
AsOf = str | pd.Timestamp | Sequence[str | pd.Timestamp]

def cohort(data: Dataset) -> dict[str, np.ndarray]:
    """One row per notified person: first notification (t0), its age-group code, first violent incident after t0.

    Day columns are int32 day numbers; ``first_failure`` is ``_core.NO_DAY`` for no failure.
    """
    notices = data.table("notifications")
    incidents = data.table("incidents")
    inputs = (notices["person_key"], notices["notification_date"], notices["age_group"],
              incidents["person_key"], incidents["incident_date"], incidents["violent"])
    return data.memo(("cohort", *map(fingerprint, inputs)), lambda: _core.index_cohort(
        notices["person_key"].to_numpy(np.int64),
        data.days("notifications", "notification_date"),
        data.codes("notifications", "age_group"),
        incidents["person_key"].to_numpy(np.int64),
        data.days("incidents", "incident_date"),
        incidents["violent"].to_numpy(np.uint8),
    ))


def as_of_days(as_of: AsOf) -> tuple[np.ndarray, list[pd.Timestamp]]:
    """As-of dates ("2024-11-30", or a month "2024-11" meaning its last day) as sorted day numbers."""
    values = [as_of] if isinstance(as_of, (str, pd.Timestamp)) else list(as_of)
    days = []
    for value in values:
        if isinstance(value, str) and len(value.strip()) == 7:
            days.append(_core.last_day_of_month(month_index(value)))
        else:
            days.append(day_number(value))
    days_array = np.array(days, dtype=np.int32)
    if len(days_array) > 1 and not (np.diff(days_array) > 0).all():
        raise ArgumentError("as-of dates must be strictly increasing")
    return days_array, [pd.Timestamp(np.datetime64(int(d), "D")) for d in days_array]


def success_counts(data: Dataset, as_of: AsOf, *, method: str = "running", by: str | None = None,
                   config: Config | None = None) -> pd.DataFrame:
    """Persons and failures for each as-of date (one core call for the whole series), long format."""
    config = config or data.config
    if method not in METHODS:
        raise ArgumentError(f"method must be one of {METHODS}, got {method!r}")
    if by not in (None, "age_group"):
        raise ArgumentError(f"by must be None or 'age_group', got {by!r}")
    if by and config.age_groups != data.config.age_groups:
        raise ArgumentError("by='age_group' needs the age groups the data was loaded with: reload the data "
                            "with this config (vr.load(..., config=config))")
    days, stamps = as_of_days(as_of)
    index = cohort(data)
    labels = list(config.age_group_labels) if by else ["All"]
    groups = index["group"] if by else np.zeros_like(index["group"])
    if method == "running":
        counts = _core.running_success(index["first_notice"], groups, index["first_failure"], days,
                                       n_groups=len(labels), cohort_months=config.recidivism_cohort_months)
    else:
        counts = _core.fixed_window_success(index["first_notice"], groups, index["first_failure"], days,
                                            n_groups=len(labels), window_days=config.recidivism_window_days)
    persons, failures = counts["persons"], counts["failures"]
    if by:
        persons = np.column_stack([persons, persons.sum(axis=1)])
        failures = np.column_stack([failures, failures.sum(axis=1)])
        labels = [*labels, "All"]
    frame = pd.DataFrame({
        "as_of": np.repeat(stamps, len(labels)),
        "group": np.tile(labels, len(stamps)),
        "persons": persons.ravel(),
        "failures": failures.ravel(),
    })
    frame["successes"] = frame["persons"] - frame["failures"]
    frame["success_rate"] = frame["successes"] / frame["persons"].where(frame["persons"] > 0)
    frame["ci_low"], frame["ci_high"] = wilson_interval(frame["successes"], frame["persons"])
    frame.insert(1, "method", method)
    return frame


def success_rate(data: Dataset, as_of: str | pd.Timestamp, *, method: str = "running",
                 by: str | None = None, config: Config | None = None) -> pd.DataFrame:
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
        ``recidivism.cohort_months`` calendar months ending with as-of's month,
        failing on a violent incident after t0 and on or before as-of.
        ``"fixed"``: persons whose ``recidivism.window_days`` window has closed
        (t0 + window <= as-of), failing on a violent incident in (t0, t0 + window].
    by
        ``None`` or ``"age_group"`` (age at the first notification).

    Returns
    -------
    DataFrame
        One row per group (``"All"`` last): ``as_of, method, group, persons,
        failures, successes, success_rate`` (a share from 0 to 1; NaN when
        there are no persons), and its 95% Wilson interval ``ci_low, ci_high``.
    """
    frame = success_counts(data, as_of, method=method, by=by, config=config)
    return frame.set_index("group")
