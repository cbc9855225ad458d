"""Calendar arithmetic of the core against numpy's datetime64 and hand-worked dates."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vipreport import _core


@given(st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_day_numbers_match_numpy(day):
    expected = int(np.datetime64(day, "D").astype(np.int64))
    assert _core.days_from_civil(day.year, day.month, day.day) == expected
    assert _core.civil_from_days(expected) == (day.year, day.month, day.day)
    assert _core.month_index_of_day(expected) == day.year * 12 + day.month - 1


def test_month_lengths_and_leap_days():
    feb = lambda y: y * 12 + 1  # noqa: E731
    length = lambda m: _core.last_day_of_month(m) - _core.first_day_of_month(m) + 1  # noqa: E731
    assert length(feb(2024)) == 29
    assert length(feb(2023)) == 28
    assert length(feb(2000)) == 29  # divisible by 400
    assert length(feb(1900)) == 28  # divisible by 100, not 400
    leap_day = _core.days_from_civil(2024, 2, 29)
    assert _core.month_index_of_day(leap_day) == feb(2024)
    assert _core.month_index_of_day(leap_day + 1) == feb(2024) + 1  # March 1


def test_fiscal_year_boundaries_july_start():
    june_2024, july_2024 = 2024 * 12 + 5, 2024 * 12 + 6
    assert _core.fiscal_year_of_month(june_2024, 7) == 2024
    assert _core.fiscal_year_of_month(july_2024, 7) == 2025  # FY2025 = Jul 2024 - Jun 2025
    assert _core.fiscal_year_start_month_index(june_2024, 7) == 2023 * 12 + 6
    assert _core.fiscal_year_start_month_index(july_2024, 7) == july_2024
    # December -> January stays in one July fiscal year.
    dec_2024, jan_2025 = 2024 * 12 + 11, 2025 * 12
    assert _core.fiscal_year_of_month(dec_2024, 7) == _core.fiscal_year_of_month(jan_2025, 7) == 2025


def test_fiscal_year_other_starts():
    jan_2025 = 2025 * 12
    assert _core.fiscal_year_of_month(jan_2025, 1) == 2025  # calendar year
    assert _core.fiscal_year_start_month_index(jan_2025, 1) == jan_2025
    assert _core.fiscal_year_of_month(2024 * 12 + 9, 10) == 2025  # October start (US federal)
    assert _core.fiscal_year_of_month(2024 * 12 + 8, 10) == 2024


def test_months_before_1970():
    m = 1969 * 12 + 11  # December 1969
    assert _core.first_day_of_month(m) == -31
    assert _core.last_day_of_month(m) == -1


@pytest.mark.parametrize("bad", [0, 13, -1])
def test_bad_fiscal_start_raises(bad):
    with pytest.raises(ValueError, match="fiscal_year_start_month"):
        _core.fiscal_year_of_month(2024 * 12, bad)
