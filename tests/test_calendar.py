"""Calendar arithmetic of the core against numpy's datetime64 and hand-worked dates."""

import datetime as dt
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipreport import _core
from vipreport import calendar as cal
from vipreport.errors import ArgumentError


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_day_numbers_match_numpy(day: dt.date) -> None:
    expected = int(np.datetime64(day, "D").astype(np.int64))
    assert _core.days_from_civil(day.year, day.month, day.day) == expected
    assert _core.civil_from_days(expected) == (day.year, day.month, day.day)
    assert _core.month_index_of_day(expected) == day.year * 12 + day.month - 1


def test_month_lengths_and_leap_days() -> None:
    feb: Callable[[int], int] = lambda y: y * 12 + 1  # noqa: E731
    length: Callable[[int], int] = lambda m: _core.last_day_of_month(m) - _core.first_day_of_month(m) + 1  # noqa: E731
    assert length(feb(2024)) == 29
    assert length(feb(2023)) == 28
    assert length(feb(2000)) == 29  # divisible by 400
    assert length(feb(1900)) == 28  # divisible by 100, not 400
    leap_day = _core.days_from_civil(2024, 2, 29)
    assert _core.month_index_of_day(leap_day) == feb(2024)
    assert _core.month_index_of_day(leap_day + 1) == feb(2024) + 1  # March 1


def test_fiscal_year_boundaries_july_start() -> None:
    june_2024, july_2024 = 2024 * 12 + 5, 2024 * 12 + 6
    assert _core.fiscal_year_of_month(june_2024, 7) == 2024
    assert _core.fiscal_year_of_month(july_2024, 7) == 2025  # FY2025 = Jul 2024 - Jun 2025
    assert _core.fiscal_year_start_month_index(june_2024, 7) == 2023 * 12 + 6
    assert _core.fiscal_year_start_month_index(july_2024, 7) == july_2024
    # December -> January stays in one July fiscal year.
    dec_2024, jan_2025 = 2024 * 12 + 11, 2025 * 12
    assert _core.fiscal_year_of_month(dec_2024, 7) == _core.fiscal_year_of_month(jan_2025, 7) == 2025


def test_fiscal_year_other_starts() -> None:
    jan_2025 = 2025 * 12
    assert _core.fiscal_year_of_month(jan_2025, 1) == 2025  # calendar year
    assert _core.fiscal_year_start_month_index(jan_2025, 1) == jan_2025
    assert _core.fiscal_year_of_month(2024 * 12 + 9, 10) == 2025  # October start (US federal)
    assert _core.fiscal_year_of_month(2024 * 12 + 8, 10) == 2024


def test_months_before_1970() -> None:
    m = 1969 * 12 + 11  # December 1969
    assert _core.first_day_of_month(m) == -31
    assert _core.last_day_of_month(m) == -1


@pytest.mark.parametrize("bad", [0, 13, -1])
def test_bad_fiscal_start_raises(bad: int) -> None:
    with pytest.raises(ValueError, match="fiscal_year_start_month"):
        _core.fiscal_year_of_month(2024 * 12, bad)


# -- the Python calendar (vipreport.calendar) mirrors the core's -------------------------------------------

_months = st.integers(min_value=1 * 12, max_value=9998 * 12 + 11)


@given(_months, st.integers(min_value=1, max_value=12))
def test_python_calendar_matches_core_by_month(month: int, fy_start: int) -> None:
    assert cal.first_day(month) == _core.first_day_of_month(month)
    assert cal.last_day(month) == _core.last_day_of_month(month)
    assert cal.fiscal_year_start(month, fy_start) == _core.fiscal_year_start_month_index(month, fy_start)
    assert cal.fiscal_year(month, fy_start) == _core.fiscal_year_of_month(month, fy_start)
    label = cal.month_label(month)
    assert cal.month_index(label) == month
    assert cal.as_of_day(label) == _core.last_day_of_month(month)  # "YYYY-MM" as an as-of is its last day


@given(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_python_calendar_matches_core_by_day(day: dt.date) -> None:
    number = _core.days_from_civil(day.year, day.month, day.day)
    assert cal.days_from_civil(day.year, day.month, day.day) == number
    assert cal.civil_from_days(number) == _core.civil_from_days(number)
    assert cal.month_of_day(number) == _core.month_index_of_day(number)
    assert cal.as_of_day(day.isoformat()) == number
    assert cal.as_of_day(day) == number


def test_as_of_month_means_its_last_day() -> None:
    june_30 = int(np.datetime64("2024-06-30", "D").astype(np.int64))
    assert cal.as_of_day("2024-06") == june_30
    assert cal.as_of_day("2024-06-30") == june_30
    assert cal.as_of_day(pd.Timestamp("2024-06-30 17:45")) == june_30
    assert cal.as_of_day("2024-02") == june_30 - 122  # 29 Feb 2024: Mar 31 + Apr 30 + May 31 + Jun 30 = 122
    assert cal.as_of_for("2024-05", None) == june_30 - 30  # 31 May


@pytest.mark.parametrize("bad", ["2024-13", "2024-6", "24-06", "2024-06-31", "June 2024", "", "2024-06-30T00"])
def test_bad_as_of_is_a_named_error(bad: str) -> None:
    with pytest.raises(ArgumentError, match="must be"):
        cal.as_of_day(bad)


def test_window_is_exactly_its_length() -> None:
    # A 30-day window opening on day 100 holds days 100..129: open on day 128, closed from day 129.
    assert cal.window_last_day(100, 30) == 129
    assert cal.window_open(100, 30, 128)
    assert not cal.window_open(100, 30, 129)
    assert len(range(100, cal.window_last_day(100, 30) + 1)) == 30


def test_month_text() -> None:
    assert cal.month_text("2024-11") == "Nov 2024"
    assert cal.month_text("2024-11", "%B %Y") == "November 2024"
    assert cal.is_month("2024-11") and not cal.is_month("2024-13") and not cal.is_month(202411)
