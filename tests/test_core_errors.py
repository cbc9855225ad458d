"""Every error the C++ core raises reaches Python as a VipReportError subclass naming the argument.

Each test triggers one kind of C++ exception through a real binding. The
classes keep their builtin bases, so code that caught ValueError or IndexError
before still catches them.
"""

from collections.abc import Callable

import numpy as np
import pytest

from vipreport import _core
from vipreport.errors import ArgumentError, CoreError, CoreIndexError, CoreTypeError, CoreValueError, VipReportError

MONTH = 2024 * 12  # January 2024 as a month index


def test_invalid_argument_is_a_core_value_error() -> None:
    # std::invalid_argument from the bindings' shape check
    with pytest.raises(CoreValueError, match="codes has 2 rows, expected 3") as caught:
        _core.count_by_month(
            np.zeros(3, np.int32), np.zeros(2, np.int32), None, n_categories=1, first_month=0, n_months=1
        )
    assert isinstance(caught.value, ArgumentError) and isinstance(caught.value, ValueError)
    assert isinstance(caught.value, CoreError) and isinstance(caught.value, VipReportError)


def test_invalid_argument_from_a_kernel_names_the_argument() -> None:
    # std::invalid_argument thrown inside the kernel, not the binding
    with pytest.raises(CoreValueError, match=r"^fiscal_year_start_month must be 1\.\.12, got 13$"):
        _core.fiscal_year_of_month(MONTH, 13)


def test_out_of_range_is_a_core_index_error() -> None:
    days = np.full(3, _core.first_day_of_month(MONTH), np.int32)
    with pytest.raises(CoreIndexError, match=r"^codes: category code 5 at row 2 is outside 0\.\.1$") as caught:
        _core.count_by_month(days, np.array([0, 1, 5], np.int32), None, n_categories=2, first_month=MONTH, n_months=1)
    assert isinstance(caught.value, IndexError) and isinstance(caught.value, VipReportError)


def test_out_of_range_date_is_a_core_index_error() -> None:
    with pytest.raises(CoreIndexError, match="month index"):
        _core.first_day_of_month(2**31 - 1)


def test_wrong_dtype_is_a_core_type_error() -> None:
    with pytest.raises(
        CoreTypeError, match=r"^codes must hold integers of at most 32 bits, got dtype float64$"
    ) as caught:
        _core.count_by_month(np.zeros(3, np.int32), np.zeros(3), None, n_categories=1, first_month=0, n_months=1)
    assert isinstance(caught.value, TypeError) and isinstance(caught.value, VipReportError)


def test_python_argument_errors_are_left_to_pybind11() -> None:
    # A call that does not match the signature is pybind11's own TypeError, not a core error.
    with pytest.raises(TypeError) as caught:
        _core.first_day_of_month("January")  # type: ignore[arg-type]
    assert not isinstance(caught.value, VipReportError)


def _cohort_columns() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """first_notice, group, first_failure of two persons in group 0."""
    return np.array([100, 200], np.int32), np.zeros(2, np.int32), np.full(2, _core.NO_DAY, np.int32)


I32, I64, U8 = np.int32, np.int64, np.uint8
# Every way each entry point refuses its input: (entry point, call, error class, message). Each message
# starts with the name of the argument at fault, as the binding declares it.
CASES: list[tuple[str, Callable[[], object], type[CoreError], str]] = [
    ("days_from_civil", lambda: _core.days_from_civil(2024, 13, 1), CoreValueError, r"^month must be 1\.\.12, got 13$"),
    (
        "days_from_civil",
        lambda: _core.days_from_civil(2_000_000, 1, 1),
        CoreIndexError,
        r"^year must be -1000000\.\.1000000, got 2000000$",
    ),
    ("days_from_civil", lambda: _core.days_from_civil(2024, 1, 5000), CoreIndexError, r"^day must be -1000\.\.1000"),
    ("first_day_of_month", lambda: _core.first_day_of_month(2**31 - 1), CoreIndexError, "^month_index: month index"),
    ("last_day_of_month", lambda: _core.last_day_of_month(-(2**31)), CoreIndexError, "^month_index: month index"),
    ("fiscal_year_of_month", lambda: _core.fiscal_year_of_month(MONTH, 0), CoreValueError, "^fiscal_year_start_month"),
    (
        "fiscal_year_start_month_index",
        lambda: _core.fiscal_year_start_month_index(2**31 - 1, 7),
        CoreIndexError,
        "^month_index: month index",
    ),
    (
        "count_by_month",
        lambda: _core.count_by_month(
            np.zeros((2, 2), I32), np.zeros(2, I32), n_categories=1, first_month=0, n_months=1
        ),
        CoreValueError,
        r"^days must have 1 dimension\(s\), got 2$",
    ),
    (
        "count_by_month",
        lambda: _core.count_by_month(
            np.zeros(2, I32), np.zeros(2, I32), np.zeros(2), n_categories=1, first_month=0, n_months=1
        ),
        CoreTypeError,
        "^weights must hold integers",
    ),
    (
        "count_by_month",
        lambda: _core.count_by_month(np.zeros(0, I32), np.zeros(0, I32), n_categories=-1, first_month=0, n_months=1),
        CoreValueError,
        "^n_categories must be >= 0",
    ),
    (
        "count_by_month",
        lambda: _core.count_by_month(np.zeros(0, I32), np.zeros(0, I32), n_categories=1, first_month=0, n_months=-1),
        CoreValueError,
        "^n_months must be 0",
    ),
    (
        "count_by_month",
        lambda: _core.count_by_month(
            np.zeros(0, I32), np.zeros(0, I32), n_categories=1, first_month=2**31 - 1, n_months=1
        ),
        CoreIndexError,
        "^first_month: month index",
    ),
    (
        "fiscal_year_to_date",
        lambda: _core.fiscal_year_to_date(np.zeros(3, I64), first_month=MONTH, fy_start_month=7),
        CoreValueError,
        r"^monthly must have 2 dimension\(s\), got 1$",
    ),
    (
        "fiscal_year_to_date",
        lambda: _core.fiscal_year_to_date(np.zeros((3, 1), I64), first_month=MONTH, fy_start_month=13),
        CoreValueError,
        "^fiscal_year_start_month",
    ),
    (
        "index_cohort",
        lambda: _core.index_cohort(
            np.array([1], I64),
            np.array([_core.NO_DAY], I32),
            np.zeros(1, I32),
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, U8),
        ),
        CoreValueError,
        "^notice_day: notification day at row 0 is the no-day sentinel$",
    ),
    (
        "index_cohort",
        lambda: _core.index_cohort(
            np.ones(1, I64), np.ones(1, I32), np.zeros(1, I32), np.ones(2, I64), np.ones(2, I32), np.ones(1, U8)
        ),
        CoreValueError,
        "^incident_qualifies has 1 rows, expected 2$",
    ),
    (
        "running_success",
        lambda: _core.running_success(*_cohort_columns(), np.array([300, 250], I32), n_groups=1, cohort_months=12),
        CoreValueError,
        r"^as_of: dates must be strictly increasing \(position 1\)$",
    ),
    (
        "running_success",
        lambda: _core.running_success(*_cohort_columns(), np.array([300], I32), n_groups=1, cohort_months=0),
        CoreValueError,
        "^cohort_months must be 1",
    ),
    (
        "running_success",
        lambda: _core.running_success(*_cohort_columns(), np.array([300], I32), n_groups=0, cohort_months=12),
        CoreValueError,
        "^n_groups must be >= 1$",
    ),
    (
        "fixed_window_success",
        lambda: _core.fixed_window_success(
            np.array([100], I32),
            np.array([3], I32),
            np.array([_core.NO_DAY], I32),
            np.array([300], I32),
            n_groups=2,
            window_days=10,
        ),
        CoreIndexError,
        r"^group: group code 3 of cohort row 0 is outside 0\.\.1$",
    ),
    (
        "fixed_window_success",
        lambda: _core.fixed_window_success(*_cohort_columns(), np.array([300], I32), n_groups=1, window_days=-1),
        CoreValueError,
        "^window_days must be >= 0$",
    ),
    (
        "engagement",
        lambda: _core.engagement(
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, U8),
            np.array([MONTH], I32),
            window_days=-1,
            as_of=0,
        ),
        CoreValueError,
        "^window_days must be >= 0, got -1$",
    ),
    (
        "engagement",
        lambda: _core.engagement(
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, U8),
            np.array([MONTH, MONTH], I32),
            window_days=30,
            as_of=0,
        ),
        CoreValueError,
        f"^months: month index {MONTH} is repeated$",
    ),
    (
        "engagement",
        lambda: _core.engagement(
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, I64),
            np.zeros(0, I32),
            np.zeros(0, U8),
            np.array([2**31 - 1], I32),
            window_days=30,
            as_of=0,
        ),
        CoreIndexError,
        "^months: month index",
    ),
    (
        "caseload",
        lambda: _core.caseload(
            np.array([1], I64), np.array([20], I32), np.array([10], I32), first_month=MONTH, n_months=1
        ),
        CoreValueError,
        "^end: enrollment row 0 ends before it starts$",
    ),
    ("summarize", lambda: _core.summarize(np.zeros(2)), CoreTypeError, "^values must hold integers of at most 32 bits"),
    (
        "kaplan_meier",
        lambda: _core.kaplan_meier(np.array([1, -3], I32), np.array([0, 1], U8)),
        CoreValueError,
        "^duration at row 1 is -3",
    ),
    (
        "kaplan_meier",
        lambda: _core.kaplan_meier(np.array([1], I32), np.array([2], U8)),
        CoreValueError,
        "^event at row 0 must be 0 or 1$",
    ),
    (
        "aalen_johansen",
        lambda: _core.aalen_johansen(np.array([1, 2], I32), np.array([1], U8)),
        CoreValueError,
        "^cause has 1 rows, expected 2$",
    ),
    (
        "aalen_johansen",
        lambda: _core.aalen_johansen(np.array([1], I32), np.array([1.0])),
        CoreTypeError,
        r"^cause must hold flags \(bool or uint8\)",
    ),
    (
        "aalen_johansen",
        lambda: _core.aalen_johansen(np.array([1], I32), np.array([3], U8)),
        CoreValueError,
        "^cause at row 0 must be 0, 1 or 2$",
    ),
    (
        "person_id_codes",
        lambda: _core.person_id_codes([(np.array([0.0, 3.0]), np.frombuffer(b"abc", U8))]),
        CoreTypeError,
        "^offsets must be int32 or int64, got dtype float64$",
    ),
    (
        "person_id_codes",
        lambda: _core.person_id_codes([(np.array([0, 4], I32), np.frombuffer(b"abc", U8))]),
        CoreIndexError,
        r"^offsets run outside data \(0\.\.4 of 3 bytes\)$",
    ),
    (
        "person_id_codes",
        lambda: _core.person_id_codes([(np.array([0, 3, 1, 3], I32), np.frombuffer(b"abc", U8))]),
        CoreValueError,
        "^offsets decrease at row 1$",
    ),
    (
        "iso_days",
        lambda: _core.iso_days([(np.array([0, 4], np.int64), np.frombuffer(b"abc", U8))]),
        CoreIndexError,
        r"^offsets run outside data \(0\.\.4 of 3 bytes\)$",
    ),
    (
        "digest",
        lambda: _core.digest(np.zeros(3)),
        CoreTypeError,
        r"^data must hold flags \(bool or uint8\), got dtype float64$",
    ),
    (
        "repeated",
        lambda: _core.repeated(np.zeros(3, I32)),
        CoreTypeError,
        "^values must hold 64-bit integers, got dtype int32$",
    ),
    (
        "repeated",
        lambda: _core.repeated(np.zeros((2, 2), np.int64)),
        CoreValueError,
        r"^values must have 1 dimension\(s\), got 2$",
    ),
]
# Any int32 is a valid day number for these two: there is no value for them to refuse.
TOTAL = {"civil_from_days", "month_index_of_day"}


def test_every_entry_point_has_its_errors_listed() -> None:
    functions = {name for name, obj in vars(_core).items() if callable(obj) and not isinstance(obj, type)}
    functions -= {name for name in functions if name.startswith("_")}
    assert {case[0] for case in CASES} == functions - TOTAL
    for day in (-(2**31), 0, 2**31 - 1):
        _core.civil_from_days(day)
        _core.month_index_of_day(day)


@pytest.mark.parametrize(("name", "call", "error", "message"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_core_error_is_a_vipreport_error_naming_the_argument(
    name: str, call: Callable[[], object], error: type[CoreError], message: str
) -> None:
    with pytest.raises(error, match=message) as caught:
        call()
    assert isinstance(caught.value, CoreError) and isinstance(caught.value, VipReportError), name
