"""Tabulation in the core against plain pandas on random data."""

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vipreport import _core

BASE_MONTH = 2022 * 12 + 3  # April 2022


def _pandas_grid(
    days: npt.NDArray[np.int32],
    codes: npt.NDArray[np.int32],
    weights: npt.NDArray[np.int64] | None,
    n_categories: int,
    first_month: int,
    n_months: int,
) -> npt.NDArray[np.int64]:
    dates = pd.to_datetime(np.asarray(days, dtype="int64"), unit="D")
    frame = pd.DataFrame(
        {"month": dates.year * 12 + dates.month - 1, "code": codes, "w": 1 if weights is None else weights}
    )
    frame = frame[(frame.month >= first_month) & (frame.month < first_month + n_months)]
    table = frame.pivot_table(index="month", columns="code", values="w", aggfunc="sum", fill_value=0)
    table = table.reindex(index=range(first_month, first_month + n_months), columns=range(n_categories), fill_value=0)
    return table.to_numpy().astype(np.int64)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(0, 3000),
    n_categories=st.integers(1, 9),
    n_months=st.integers(0, 40),
    weighted=st.booleans(),
)
def test_count_by_month_matches_pandas(seed: int, n: int, n_categories: int, n_months: int, weighted: bool) -> None:
    rng = np.random.default_rng(seed)
    lo = _core.first_day_of_month(BASE_MONTH) - 100
    days = rng.integers(lo, lo + 1500, size=n).astype(np.int32)
    codes = rng.integers(0, n_categories, size=n).astype(np.int32)
    weights = rng.integers(0, 50, size=n).astype(np.int64) if weighted else None
    got = _core.count_by_month(
        days, codes, weights, n_categories=n_categories, first_month=BASE_MONTH, n_months=n_months
    )
    assert got.shape == (n_months, n_categories)
    np.testing.assert_array_equal(got, _pandas_grid(days, codes, weights, n_categories, BASE_MONTH, n_months))


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1), fy_start=st.integers(1, 12), first=st.integers(0, 11), n_months=st.integers(1, 40)
)
def test_fiscal_year_to_date_matches_pandas(seed: int, fy_start: int, first: int, n_months: int) -> None:
    rng = np.random.default_rng(seed)
    first_month = 2020 * 12 + first
    monthly = rng.integers(0, 20, size=(n_months, 3)).astype(np.int64)
    got = _core.fiscal_year_to_date(monthly, first_month=first_month, fy_start_month=fy_start)
    months = np.arange(first_month, first_month + n_months)
    # Fiscal year label computed independently: months since the start month, floored to years.
    fiscal_year = (months - (fy_start - 1)) // 12
    expected = pd.DataFrame(monthly).groupby(fiscal_year).cumsum().to_numpy()
    np.testing.assert_array_equal(got, expected)


def test_month_without_rows_is_zero() -> None:
    day = _core.first_day_of_month(BASE_MONTH + 2)
    got = _core.count_by_month(
        np.array([day], np.int32), np.array([1], np.int32), None, n_categories=2, first_month=BASE_MONTH, n_months=4
    )
    np.testing.assert_array_equal(got, [[0, 0], [0, 0], [0, 1], [0, 0]])


def test_code_out_of_range_names_the_row() -> None:
    days = np.full(3, _core.first_day_of_month(BASE_MONTH), np.int32)
    with pytest.raises(IndexError, match="row 2"):
        _core.count_by_month(
            days, np.array([0, 1, 5], np.int32), None, n_categories=2, first_month=BASE_MONTH, n_months=1
        )


def test_mismatched_lengths_raise() -> None:
    with pytest.raises(ValueError, match="codes has 2 rows, expected 3"):
        _core.count_by_month(
            np.zeros(3, np.int32), np.zeros(2, np.int32), None, n_categories=1, first_month=0, n_months=1
        )
