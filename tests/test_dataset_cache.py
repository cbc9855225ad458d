"""A Dataset cannot go stale: memoised work follows the contents of the columns, however they are edited."""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

import vipreport as vr
import vipreport.io.dataset as dataset_module
from vipreport import _core

AS_OF = "2024-11"
NEW_DATE = pd.Timestamp("2024-06-15")


def fresh_copy(data: vr.Dataset) -> vr.Dataset:
    """The same tables, deep-copied into a dataset with an empty cache: what the figures must be."""
    return vr.Dataset({k: v.copy(deep=True) for k, v in data.tables.items()}, data.quality.copy(), data.config)


def figures(data: vr.Dataset) -> tuple[int, int, int, int]:
    success = vr.success_rate(data, AS_OF).set_index("group").loc["All"].to_dict()
    engagement = vr.engagement_rate(data, "2024-06").iloc[0].to_dict()
    return int(success["persons"]), int(success["failures"]), int(engagement["notified"]), int(engagement["engaged"])


def loc_edit(data: vr.Dataset) -> None:
    data.tables["notifications"].loc[:199, "notification_date"] = NEW_DATE


def iloc_edit(data: vr.Dataset) -> None:
    frame = data.tables["notifications"]
    frame.iloc[:200, list(frame.columns).index("notification_date")] = NEW_DATE


def at_edit(data: vr.Dataset) -> None:
    frame = data.tables["notifications"]
    for row in range(200):
        frame.at[row, "notification_date"] = NEW_DATE


def column_edit(data: vr.Dataset) -> None:
    frame = data.tables["notifications"]
    dates = frame["notification_date"].copy()
    dates.iloc[:200] = NEW_DATE
    frame["notification_date"] = dates


def frame_edit(data: vr.Dataset) -> None:
    frame = data.tables["notifications"].copy()
    frame.loc[:199, "notification_date"] = NEW_DATE
    data.tables["notifications"] = frame


@pytest.mark.parametrize("edit", [loc_edit, iloc_edit, at_edit, column_edit, frame_edit], ids=lambda f: f.__name__)
def test_an_edit_changes_the_next_result(edit: Callable[[vr.Dataset], None]) -> None:
    data = vr.datasets.demo()
    before = figures(data)  # fills the cache
    edit(data)
    after = figures(data)
    assert after == figures(fresh_copy(data))  # what the edited tables hold, computed from scratch
    assert after != before  # and the edit moved 200 first notifications into the cohort and the month
    assert after[0] > before[0]


def test_a_chained_edit_gives_what_the_table_then_holds() -> None:
    # On pandas 2 this writes into the table; on pandas 3 (copy-on-write) it writes into a copy and warns.
    # Either way, the figures must be those of the table as it now is.
    data = vr.datasets.demo()
    figures(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data.table("notifications")["notification_date"].iloc[:200] = NEW_DATE
    assert figures(data) == figures(fresh_copy(data))


def test_a_categorical_edit_changes_the_split() -> None:
    data = vr.datasets.demo()
    before = vr.success_rate(data, AS_OF, by="age_group").set_index("group")
    frame = data.tables["notifications"]
    frame.loc[:, "age_group"] = frame["age_group"].cat.categories[0]
    after = vr.success_rate(data, AS_OF, by="age_group").set_index("group")
    pd.testing.assert_frame_equal(after, vr.success_rate(fresh_copy(data), AS_OF, by="age_group").set_index("group"))
    assert not after["persons"].equals(before["persons"])


class Counter:
    def __init__(self, wrapped: Callable[..., object]) -> None:
        self.wrapped = wrapped
        self.calls = 0

    def __call__(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self.wrapped(*args, **kwargs)


def test_an_unchanged_dataset_uses_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    conversions = Counter(dataset_module.day_numbers)
    cohorts = Counter(_core.index_cohort)
    monkeypatch.setattr(dataset_module, "day_numbers", conversions)
    monkeypatch.setattr(_core, "index_cohort", cohorts)
    data = vr.datasets.demo()
    figures(data)
    first = (conversions.calls, cohorts.calls)
    assert first[1] == 1 and first[0] >= 3  # notification, incident and service dates, each converted once
    for _ in range(3):
        figures(data)
        vr.series(data, "success_rate_running", months=6, end=AS_OF)
    assert (conversions.calls, cohorts.calls) == first  # nothing converted or indexed again
    loc_edit(data)
    figures(data)
    # Only the edited column is converted again, and the cohort that reads it is rebuilt once.
    assert (conversions.calls, cohorts.calls) == (first[0] + 1, 2)


def test_equal_contents_share_a_fingerprint_and_any_change_breaks_it() -> None:
    values = pd.Series(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    same = pd.Series(values.to_numpy().copy())
    swapped = pd.Series(values.to_numpy()[[1, 0, 2]])
    assert dataset_module.fingerprint(values) == dataset_module.fingerprint(same)
    assert dataset_module.fingerprint(values) != dataset_module.fingerprint(swapped)  # order matters
    codes = pd.Series(pd.Categorical(["a", "b", "a"], categories=["a", "b"]))
    recoded = codes.copy()
    recoded.iloc[0] = "b"
    assert dataset_module.fingerprint(codes) != dataset_module.fingerprint(recoded)
    assert dataset_module.fingerprint(pd.Series(np.arange(3))) != dataset_module.fingerprint(
        pd.Series(np.arange(3, dtype=np.int32))
    )
