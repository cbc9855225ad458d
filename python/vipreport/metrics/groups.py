"""The groups a person-level figure can be split by (``by=``): age group, area command, program.

Age group is read at the person's first notification (their t0). Area
command and program are read from the person's *first referral* (earliest
date; the first row on a tie), the same rule :meth:`Dataset.filter` uses, so
``success_rate(data, by="area_command")`` and
``success_rate(data.filter(area=a))`` count the same persons for each area.
"""

from __future__ import annotations

import numpy as np

from ..config import Config
from ..errors import ArgumentError
from ..io import Dataset

BY = ("age_group", "area_command", "program")
NO_REFERRAL = {"area_command": "No referral", "program": "No program"}


def check_by(by: str | None, data: Dataset, config: Config) -> None:
    """Raise :class:`ArgumentError` unless ``by`` is None or one of :data:`BY` that this data can answer."""
    if by is None:
        return
    if by not in BY:
        raise ArgumentError(f"by must be None or one of {BY}, got {by!r}")
    if by == "age_group" and config.age_groups != data.config.age_groups:
        raise ArgumentError(
            "by='age_group' needs the age groups the data was loaded with: reload the data "
            "with this config (vr.load(..., config=config))"
        )
    if by == "program" and "program" not in data.table("referrals"):
        raise ArgumentError("by='program' needs the optional 'program' column of referrals, which the data lacks")


def group_codes(
    data: Dataset, by: str | None, config: Config, persons: np.ndarray, age_codes: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Per person (``persons``: person keys): an int32 group code, and the group labels the codes index.

    ``age_codes`` are the persons' age-group codes at t0 (from the cohort). Without ``by``
    every person is in the one group ``"All"``.
    """
    check_by(by, data, config)
    if by is None:
        return np.zeros(len(persons), dtype=np.int32), ["All"]
    if by == "age_group":
        return np.asarray(age_codes, dtype=np.int32), list(config.age_group_labels)
    referrals = data.table("referrals")
    column = referrals[by]
    labels = [*map(str, column.cat.categories), NO_REFERRAL[by]]
    named = referrals.loc[referrals["person_key"] >= 0, ["person_key", "referral_date"]]
    named = named.assign(code=column.cat.codes.to_numpy()[(referrals["person_key"] >= 0).to_numpy()])
    first = named.sort_values("referral_date", kind="stable").drop_duplicates("person_key")
    code = first.set_index("person_key")["code"].reindex(persons).to_numpy(dtype=float)
    # No referral, or a blank value on the first referral (a blank area is already the profile's N/A row).
    missing = ~np.isfinite(code) | (code < 0)
    return np.where(missing, len(labels) - 1, np.nan_to_num(code)).astype(np.int32), labels
