"""Every error the C++ core raises reaches Python as a VipReportError subclass naming the argument.

Each test triggers one kind of C++ exception through a real binding. The
classes keep their builtin bases, so code that caught ValueError or IndexError
before still catches them.
"""

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
