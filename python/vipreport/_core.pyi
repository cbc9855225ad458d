"""
vipreport's C++ core (private; use the vipreport package API).

Day numbers are int32 days since 1970-01-01; month indices are year*12 + month-1;
person keys are int64.
"""

from __future__ import annotations

import collections.abc
import typing

import numpy
import numpy.typing

__all__: list[str] = [
    "BLANK_DAY",
    "NOT_ISO_DAY",
    "NO_DAY",
    "CaseloadCounts",
    "Cohort",
    "EngagementCounts",
    "SuccessCounts",
    "Summary",
    "SurvivalCurve",
    "aalen_johansen",
    "caseload",
    "civil_from_days",
    "count_by_month",
    "days_from_civil",
    "digest",
    "engagement",
    "first_day_of_month",
    "fiscal_year_of_month",
    "fiscal_year_start_month_index",
    "fiscal_year_to_date",
    "fixed_window_success",
    "index_cohort",
    "iso_days",
    "kaplan_meier",
    "last_day_of_month",
    "month_index_of_day",
    "person_id_codes",
    "repeated",
    "running_success",
    "summarize",
]

class Cohort:
    """
    index_cohort's result: one row per notified person, in person order.
    """
    def __repr__(self) -> str: ...
    @property
    def first_failure(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        Day of the first qualifying incident after t0, or NO_DAY (int32).
        """
    @property
    def first_notice(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        Day of the person's first notification, t0 (int32).
        """
    @property
    def group(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        Group code of the t0 notification (int32).
        """
    @property
    def person(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Person keys, ascending (int64).
        """

class SuccessCounts:
    """
    A success rate's counts: one row per as-of date, one column per group.
    """
    def __repr__(self) -> str: ...
    @property
    def failures(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Of those, persons who failed (int64).
        """
    @property
    def persons(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Persons in the cohort at each as-of (int64).
        """

class EngagementCounts:
    """
    engagement's result: one row per month asked for.
    """
    def __repr__(self) -> str: ...
    @property
    def days_to_engagement(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        One entry per engaged (person, month): days from notification to engagement (int32).
        """
    @property
    def engaged(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Of those, persons engaged within the window (int64).
        """
    @property
    def notified(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Distinct persons notified in the month (int64).
        """
    @property
    def open(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Persons per month whose window is still open at as-of (int64).
        """
    @property
    def provisional(self) -> numpy.typing.NDArray[numpy.uint8]:
        """
        1 where a window is still open at as-of, else 0 (uint8).
        """

class CaseloadCounts:
    """
    caseload's result: one row per month.
    """
    def __repr__(self) -> str: ...
    @property
    def active_last_day(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Distinct persons active on the month's last day (int64).
        """
    @property
    def average_daily(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Mean over the month's days of the distinct persons active (float64).
        """

class Summary:
    """
    summarize's result: statistics of an integer column.
    """
    def __repr__(self) -> str: ...
    @property
    def count(self) -> int:
        """
        Number of values.
        """
    @property
    def max(self) -> float:
        """
        Largest value; NaN for no values.
        """
    @property
    def mean(self) -> float:
        """
        Mean; NaN for no values.
        """
    @property
    def median(self) -> float:
        """
        Exact median; NaN for no values.
        """
    @property
    def min(self) -> float:
        """
        Smallest value; NaN for no values.
        """
    @property
    def std(self) -> float:
        """
        Sample standard deviation; NaN for fewer than two values.
        """

class SurvivalCurve:
    """
    kaplan_meier's or aalen_johansen's result: one row per distinct duration.
    """
    def __repr__(self) -> str: ...
    @property
    def at_risk(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Durations at or after time (int64).
        """
    @property
    def censored(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Censored at time (int64).
        """
    @property
    def competing(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Competing events at time (int64; zeros from kaplan_meier).
        """
    @property
    def events(self) -> numpy.typing.NDArray[numpy.int64]:
        """
        Events of interest at time (int64).
        """
    @property
    def greenwood(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Running Greenwood sum (float64).
        """
    @property
    def incidence(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        Cumulative incidence of the event of interest (float64; empty from kaplan_meier).
        """
    @property
    def survival(self) -> numpy.typing.NDArray[numpy.float64]:
        """
        All-cause survival just after time (float64).
        """
    @property
    def time(self) -> numpy.typing.NDArray[numpy.int32]:
        """
        Each distinct duration, ascending (int32).
        """

def aalen_johansen(
    duration: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    cause: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
) -> SurvivalCurve: ...
def caseload(
    person: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    start: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    end: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    *,
    first_month: typing.SupportsInt | typing.SupportsIndex,
    n_months: typing.SupportsInt | typing.SupportsIndex,
) -> CaseloadCounts: ...
def civil_from_days(day_number: typing.SupportsInt | typing.SupportsIndex) -> tuple[int, int, int]: ...
def count_by_month(
    days: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    codes: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    weights: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]] | None = None,
    *,
    n_categories: typing.SupportsInt | typing.SupportsIndex,
    first_month: typing.SupportsInt | typing.SupportsIndex,
    n_months: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.int64]: ...
def days_from_civil(
    year: typing.SupportsInt | typing.SupportsIndex,
    month: typing.SupportsInt | typing.SupportsIndex,
    day: typing.SupportsInt | typing.SupportsIndex,
) -> int: ...
def digest(data: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]]) -> tuple[int, int]:
    """
    A 128-bit digest (two uint64) of a uint8 array's bytes, to key memoised work on a column's contents.
    """

def engagement(
    notice_person: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    notice_day: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    service_person: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    service_day: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    service_engaging: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    months: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    *,
    window_days: typing.SupportsInt | typing.SupportsIndex,
    as_of: typing.SupportsInt | typing.SupportsIndex,
) -> EngagementCounts: ...
def first_day_of_month(month_index: typing.SupportsInt | typing.SupportsIndex) -> int: ...
def fiscal_year_of_month(
    month_index: typing.SupportsInt | typing.SupportsIndex, fy_start_month: typing.SupportsInt | typing.SupportsIndex
) -> int: ...
def fiscal_year_start_month_index(
    month_index: typing.SupportsInt | typing.SupportsIndex, fy_start_month: typing.SupportsInt | typing.SupportsIndex
) -> int: ...
def fiscal_year_to_date(
    monthly: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    *,
    first_month: typing.SupportsInt | typing.SupportsIndex,
    fy_start_month: typing.SupportsInt | typing.SupportsIndex,
) -> numpy.typing.NDArray[numpy.int64]: ...
def fixed_window_success(
    first_notice: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    group: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    first_failure: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    as_of: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    *,
    n_groups: typing.SupportsInt | typing.SupportsIndex,
    window_days: typing.SupportsInt | typing.SupportsIndex,
) -> SuccessCounts: ...
def index_cohort(
    notice_person: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    notice_day: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    notice_group: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    incident_person: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    incident_day: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    incident_qualifies: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
) -> Cohort: ...
def iso_days(
    chunks: collections.abc.Sequence[
        tuple[numpy.ndarray[typing.Any, numpy.dtype[typing.Any]], numpy.ndarray[typing.Any, numpy.dtype[typing.Any]]]
    ],
) -> numpy.typing.NDArray[numpy.int32]:
    """
    Day numbers (int32) of text cells written exactly YYYY-MM-DD, given as [(offsets, data), ...] Arrow buffers; BLANK_DAY for an empty cell, NOT_ISO_DAY for any other text.
    """

def kaplan_meier(
    duration: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    event: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
) -> SurvivalCurve: ...
def last_day_of_month(month_index: typing.SupportsInt | typing.SupportsIndex) -> int: ...
def month_index_of_day(day_number: typing.SupportsInt | typing.SupportsIndex) -> int: ...
def person_id_codes(
    chunks: collections.abc.Sequence[
        tuple[numpy.ndarray[typing.Any, numpy.dtype[typing.Any]], numpy.ndarray[typing.Any, numpy.dtype[typing.Any]]]
    ],
) -> (
    tuple[
        numpy.typing.NDArray[numpy.int64],
        numpy.typing.NDArray[numpy.uint8],
        numpy.typing.NDArray[numpy.int64],
        numpy.typing.NDArray[numpy.uint8],
    ]
    | None
):
    """
    Canonical person ids of [(offsets, data), ...] Arrow buffers: (keys int64, merged uint8, offsets int64, text uint8) with the distinct canonical ids in byte order, or None when an id holds a non-ASCII byte.
    """

def repeated(values: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]]) -> numpy.typing.NDArray[numpy.bool]:
    """
    Per row, True when its value (64-bit integers) equals an earlier row's.
    """

def running_success(
    first_notice: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    group: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    first_failure: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    as_of: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]],
    *,
    n_groups: typing.SupportsInt | typing.SupportsIndex,
    cohort_months: typing.SupportsInt | typing.SupportsIndex,
) -> SuccessCounts: ...
def summarize(values: numpy.ndarray[typing.Any, numpy.dtype[typing.Any]]) -> Summary: ...

BLANK_DAY: int = -2147483648
NOT_ISO_DAY: int = -2147483647
NO_DAY: int = 2147483647
