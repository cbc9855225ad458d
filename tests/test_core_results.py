"""The core's results are small bound classes: read-only fields, NumPy views without copies, a repr with no values.

Expected values are worked by hand from the inputs.
"""

import gc

import numpy as np
import pytest

from vipreport import _core

RESULT_CLASSES: set[type] = {
    _core.Cohort,
    _core.SuccessCounts,
    _core.EngagementCounts,
    _core.CaseloadCounts,
    _core.Summary,
    _core.SurvivalCurve,
}


def _cohort() -> _core.Cohort:
    # Person 424242: notified on days 19005 and 19007 (t0 = 19005, group 0); incidents on t0 (it prompted the
    # notice, not a failure) and on 19009 (the failure). Person 11: notified on 19006 (group 1); an incident on
    # t0 only, so no failure.
    return _core.index_cohort(
        np.array([424242, 11, 424242], np.int64),
        np.array([19005, 19006, 19007], np.int32),
        np.array([0, 1, 0], np.int32),
        np.array([424242, 424242, 11], np.int64),
        np.array([19005, 19009, 19006], np.int32),
        np.array([1, 1, 1], np.uint8),
    )


def test_every_result_class_is_covered_here() -> None:
    bound = {obj for name, obj in vars(_core).items() if isinstance(obj, type) and not name.startswith("_")}
    assert bound == RESULT_CLASSES


def test_cohort_fields_hand_worked() -> None:
    cohort = _cohort()
    assert isinstance(cohort, _core.Cohort)
    assert cohort.person.tolist() == [11, 424242]
    assert cohort.first_notice.tolist() == [19006, 19005]
    assert cohort.group.tolist() == [1, 0]
    assert cohort.first_failure.tolist() == [_core.NO_DAY, 19009]
    assert (cohort.person.dtype, cohort.first_notice.dtype) == (np.dtype(np.int64), np.dtype(np.int32))


def test_success_counts_are_as_of_by_group() -> None:
    cohort = _cohort()
    as_of = np.array([19004, 19006, 19010], np.int32)
    counts = _core.fixed_window_success(
        cohort.first_notice, cohort.group, cohort.first_failure, as_of, n_groups=2, window_days=1
    )
    # Fixed window of 1 day: a person counts once t0 + 1 <= as-of. Person 424242 (group 0) from 19006,
    # person 11 (group 1) from 19007. Neither fails within a day of t0 (424242 fails on t0 + 4).
    assert counts.persons.tolist() == [[0, 0], [1, 0], [1, 1]]
    assert counts.failures.tolist() == [[0, 0], [0, 0], [0, 0]]


def test_fields_are_read_only_views_of_the_result() -> None:
    cohort = _cohort()
    person = cohort.person
    base: object = person.base
    assert base is cohort  # a view: the result owns the memory
    assert np.shares_memory(person, cohort.person)  # every read is the same buffer, never a copy
    with pytest.raises(ValueError, match="read-only"):
        person[0] = 0  # the cohort is memoised and shared: nobody may change it
    with pytest.raises(AttributeError):
        cohort.person = np.zeros(2, np.int64)  # type: ignore[misc]


def test_a_field_outlives_its_result() -> None:
    first_failure = _cohort().first_failure
    gc.collect()
    assert first_failure.tolist() == [_core.NO_DAY, 19009]


@pytest.mark.parametrize("cls", sorted(RESULT_CLASSES, key=str))
def test_results_are_made_only_by_the_core(cls: type) -> None:
    with pytest.raises(TypeError, match="No constructor defined"):
        cls()


def test_repr_shows_fields_and_shapes_never_values() -> None:
    cohort = _cohort()
    assert repr(cohort) == "Cohort(person: 2, first_notice: 2, group: 2, first_failure: 2)"
    counts = _core.running_success(
        cohort.first_notice,
        cohort.group,
        cohort.first_failure,
        np.array([19010, 19040, 19070], np.int32),
        n_groups=2,
        cohort_months=12,
    )
    assert repr(counts) == "SuccessCounts(persons: 3x2, failures: 3x2)"
    summary = _core.summarize(np.array([424242, 7], np.int32))
    assert repr(summary) == "Summary(count, mean, std, median, min, max)"
    curve = _core.kaplan_meier(np.array([3, 5, 5], np.int32), np.array([1, 0, 1], np.uint8))
    assert repr(curve) == (
        "SurvivalCurve(time: 2, at_risk: 2, events: 2, competing: 2, censored: 2, survival: 2, greenwood: 2,"
        " incidence: 0)"
    )
