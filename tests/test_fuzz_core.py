"""Property and fuzz tests of the core through its bindings: any input gives a result or a Python
exception, never a crash. ``./dev test`` also runs this file against an ASan+UBSan build of the core."""

from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import vipreport as vr
from vipreport import _core

INT32 = st.integers(-(2**31), 2**31 - 1)
SMALL = st.integers(-3, 40)
REJECTED = (ValueError, IndexError, TypeError, OverflowError)
Integer = TypeVar("Integer", bound=np.integer[Any])
Result = TypeVar("Result")
fuzz = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def int_arrays(
    dtype: type[Integer], elements: st.SearchStrategy[int] = INT32, max_size: int = 60
) -> st.SearchStrategy[npt.NDArray[Integer]]:
    return arrays(dtype, st.integers(0, max_size), elements=elements)


def days() -> st.SearchStrategy[npt.NDArray[np.int32]]:
    # Extreme day numbers as well as ordinary ones (2000 - 2030).
    return int_arrays(np.int32, st.one_of(INT32, st.integers(10957, 21915)))


def calls(fn: Callable[..., Result], *args: Any, **kwargs: Any) -> Result | None:
    try:
        return fn(*args, **kwargs)
    except REJECTED:
        return None


@fuzz
@given(days(), int_arrays(np.int32, SMALL), st.integers(-2, 12), INT32, st.integers(-2, 20000))
def test_count_by_month(
    day: npt.NDArray[np.int32], codes: npt.NDArray[np.int32], n_categories: int, first_month: int, n_months: int
) -> None:
    out = calls(
        _core.count_by_month, day, codes, None, n_categories=n_categories, first_month=first_month, n_months=n_months
    )
    if out is not None:
        assert out.shape == (n_months, n_categories)
        assert out.sum() <= min(len(day), len(codes))


@fuzz
@given(
    arrays(np.int64, st.tuples(st.integers(0, 30), st.integers(0, 4)), elements=st.integers(-1000, 1000)),
    INT32,
    st.integers(-2, 14),
)
def test_fiscal_year_to_date(monthly: npt.NDArray[np.int64], first_month: int, fy_start: int) -> None:
    fytd = calls(_core.fiscal_year_to_date, monthly, first_month=first_month, fy_start_month=fy_start)
    if fytd is not None:
        assert fytd.shape == monthly.shape


@fuzz
@given(
    int_arrays(np.int64, st.integers(-5, 5)),
    days(),
    int_arrays(np.int32, SMALL),
    int_arrays(np.int64, st.integers(-5, 5)),
    days(),
    int_arrays(np.uint8, st.integers(0, 1)),
    int_arrays(np.int32, st.one_of(INT32, st.integers(10957, 21915)), max_size=8),
    st.integers(-2, 8),
    st.integers(-5, 2000),
)
def test_recidivism(
    notice_person: npt.NDArray[np.int64],
    notice_day: npt.NDArray[np.int32],
    group: npt.NDArray[np.int32],
    incident_person: npt.NDArray[np.int64],
    incident_day: npt.NDArray[np.int32],
    qualifies: npt.NDArray[np.uint8],
    as_of: npt.NDArray[np.int32],
    n_groups: int,
    parameter: int,
) -> None:
    cohort = calls(_core.index_cohort, notice_person, notice_day, group, incident_person, incident_day, qualifies)
    if cohort is None:
        return
    assert np.all(np.diff(cohort.person) > 0)
    failed = cohort.first_failure != _core.NO_DAY
    assert np.all(cohort.first_failure[failed] > cohort.first_notice[failed])
    for rate in (_core.running_success, _core.fixed_window_success):
        key = "cohort_months" if rate is _core.running_success else "window_days"
        out = calls(
            rate,
            cohort.first_notice,
            cohort.group,
            cohort.first_failure,
            as_of,
            n_groups=n_groups,
            **{key: parameter},
        )
        if out is not None:
            assert (out.failures <= out.persons).all() and (out.failures >= 0).all()


@fuzz
@given(
    int_arrays(np.int64, st.integers(-5, 5)),
    days(),
    int_arrays(np.int64, st.integers(-5, 5)),
    days(),
    int_arrays(np.uint8, st.integers(0, 1)),
    int_arrays(np.int32, st.one_of(INT32, st.integers(24000, 24400)), 6),
    st.integers(-5, 400),
    INT32,
)
def test_engagement(
    notice_person: npt.NDArray[np.int64],
    notice_day: npt.NDArray[np.int32],
    service_person: npt.NDArray[np.int64],
    service_day: npt.NDArray[np.int32],
    engaging: npt.NDArray[np.uint8],
    months: npt.NDArray[np.int32],
    window: int,
    as_of: int,
) -> None:
    out = calls(
        _core.engagement,
        notice_person,
        notice_day,
        service_person,
        service_day,
        engaging,
        months,
        window_days=window,
        as_of=as_of,
    )
    if out is not None:
        assert (out.engaged <= out.notified).all()


@fuzz
@given(int_arrays(np.int64, st.integers(-5, 5)), days(), days(), INT32, st.integers(-2, 500))
def test_caseload(
    person: npt.NDArray[np.int64],
    start: npt.NDArray[np.int32],
    end: npt.NDArray[np.int32],
    first_month: int,
    n_months: int,
) -> None:
    out = calls(_core.caseload, person, start, end, first_month=first_month, n_months=n_months)
    if out is not None:
        assert len(out.active_last_day) == n_months and (out.active_last_day >= 0).all()


@fuzz
@given(int_arrays(np.int32, st.one_of(INT32, st.integers(0, 800))), int_arrays(np.uint8, st.integers(0, 3)))
def test_survival(duration: npt.NDArray[np.int32], event: npt.NDArray[np.uint8]) -> None:
    for estimator in (_core.kaplan_meier, _core.aalen_johansen):
        out = calls(estimator, duration, event)
        if out is not None:
            assert np.all((out.survival >= -1e-12) & (out.survival <= 1 + 1e-12))


@fuzz
@given(int_arrays(np.int32))
def test_summary(values: npt.NDArray[np.int32]) -> None:
    out = _core.summarize(values)
    assert out.count == len(values)
    if len(values):
        assert out.min <= out.median <= out.max


@given(INT32)
def test_calendar_scalars(value: int) -> None:
    for fn in (_core.civil_from_days, _core.month_index_of_day):
        fn(value)
    for month_fn in (_core.first_day_of_month, _core.last_day_of_month):
        calls(month_fn, value)
    for fy_start in (1, 7):
        calls(_core.fiscal_year_of_month, value, fy_start)
        calls(_core.fiscal_year_start_month_index, value, fy_start)
    calls(_core.days_from_civil, value, 1, 1)


def text_chunks() -> st.SearchStrategy[list[tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]]]:
    """Arrow-like (offsets, bytes) chunks: valid ones from lists of byte strings, and arbitrary offsets."""
    words = st.lists(st.binary(max_size=24), max_size=30)

    def as_chunk(values: list[bytes], wide: bool) -> tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]:
        offsets = np.cumsum([0, *map(len, values)]).astype(np.int64 if wide else np.int32)
        return offsets, np.frombuffer(b"".join(values), np.uint8)

    valid = st.builds(as_chunk, words, st.booleans())
    raw = st.tuples(int_arrays(np.int32, st.integers(-3, 40), max_size=8), arrays(np.uint8, st.integers(0, 40)))
    return st.lists(st.one_of(valid, raw), max_size=4)


@fuzz
@given(text_chunks())
def test_text_kernels(chunks: list[tuple[npt.NDArray[Any], npt.NDArray[np.uint8]]]) -> None:
    rows = sum(max(len(offsets) - 1, 0) for offsets, _ in chunks)
    coded = calls(_core.person_id_codes, chunks)
    if coded is not None:
        keys, merged, offsets, text = coded
        assert len(keys) == len(merged) == rows
        # The keys rank the distinct ids: every rank 0..n-1 is used, and the n ids' text fills the buffer.
        assert np.unique(keys).tolist() == list(range(len(offsets) - 1))
        assert int(offsets[-1]) == len(text)
    days = calls(_core.iso_days, chunks)
    if days is not None:
        assert len(days) == rows


@fuzz
@given(int_arrays(np.int64, st.integers(-(2**63), 2**63 - 1), max_size=200))
def test_repeated(values: npt.NDArray[np.int64]) -> None:
    flags = _core.repeated(values)
    seen: set[int] = set()
    for value, flag in zip(values.tolist(), flags.tolist(), strict=True):
        assert flag == (value in seen)
        seen.add(value)


@pytest.mark.parametrize(
    "bad", [np.array([1.5, 2.0]), np.array(["a", "b"]), np.array([2**40], dtype=np.int64), np.zeros((2, 2), np.int32)]
)
def test_wrong_dtypes_and_shapes_are_type_errors(bad: npt.NDArray[Any]) -> None:
    with pytest.raises((TypeError, ValueError)):
        _core.summarize(bad)


def test_mismatched_lengths_name_the_column() -> None:
    with pytest.raises(ValueError, match="incident_day has 1 rows, expected 2"):
        _core.index_cohort(
            np.zeros(1, np.int64),
            np.zeros(1, np.int32),
            np.zeros(1, np.int32),
            np.zeros(2, np.int64),
            np.zeros(1, np.int32),
            np.zeros(2, np.uint8),
        )


@pytest.fixture(scope="module")
def small_data() -> vr.Dataset:
    return vr.load(vr.datasets.generate(seed=5, start="2022-01-01", end="2024-06-30", scale=0.3))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(-5, 50), st.integers(-5, 800), st.integers(-3, 3))
def test_arbitrary_configs_are_used_or_refused_clearly(
    small_data: vr.Dataset, engagement_window: int, success_window: int, overlap: int
) -> None:
    groups = (vr.config.AgeGroup("young", 0, 20), vr.config.AgeGroup("older", 21 + overlap, 200))
    changes = dict(engagement_window_days=engagement_window, success_window_days=success_window, age_groups=groups)
    if engagement_window < 1 or success_window < 1 or overlap < 0:
        with pytest.raises(vr.ConfigError):
            vr.Config.default().replace(**changes)
        return
    config = vr.Config.default().replace(**changes)
    engagement = vr.engagement_rate(small_data, "2024-03", config=config).iloc[0]
    assert 0 <= engagement.engaged <= engagement.notified
    fixed = vr.success_rate(small_data, "2024-06", method="fixed", config=config).set_index("group").loc["All"]
    assert 0 <= fixed.failures <= fixed.persons
    with pytest.raises(vr.ArgumentError, match="age groups"):
        vr.success_rate(small_data, "2024-06", by="age_group", config=config)
