"""Type stubs of vipreport's private C++ core. Day numbers are int32 days since
1970-01-01; month indices are year*12 + month-1; person keys are int64."""

import numpy as np
import numpy.typing as npt

NO_DAY: int

def days_from_civil(year: int, month: int, day: int) -> int: ...
def civil_from_days(day_number: int) -> tuple[int, int, int]: ...
def month_index_of_day(day_number: int) -> int: ...
def first_day_of_month(month_index: int) -> int: ...
def last_day_of_month(month_index: int) -> int: ...
def fiscal_year_of_month(month_index: int, fy_start_month: int) -> int: ...
def fiscal_year_start_month_index(month_index: int, fy_start_month: int) -> int: ...
def count_by_month(
    days: npt.ArrayLike,
    codes: npt.ArrayLike,
    weights: npt.ArrayLike | None = None,
    *,
    n_categories: int,
    first_month: int,
    n_months: int,
) -> npt.NDArray[np.int64]: ...
def fiscal_year_to_date(monthly: npt.ArrayLike, *, first_month: int, fy_start_month: int) -> npt.NDArray[np.int64]: ...
def index_cohort(
    notice_person: npt.ArrayLike,
    notice_day: npt.ArrayLike,
    notice_group: npt.ArrayLike,
    incident_person: npt.ArrayLike,
    incident_day: npt.ArrayLike,
    incident_qualifies: npt.ArrayLike,
) -> dict[str, np.ndarray]: ...
def running_success(
    first_notice: npt.ArrayLike,
    group: npt.ArrayLike,
    first_failure: npt.ArrayLike,
    as_of: npt.ArrayLike,
    *,
    n_groups: int,
    cohort_months: int,
) -> dict[str, npt.NDArray[np.int64]]: ...
def fixed_window_success(
    first_notice: npt.ArrayLike,
    group: npt.ArrayLike,
    first_failure: npt.ArrayLike,
    as_of: npt.ArrayLike,
    *,
    n_groups: int,
    window_days: int,
) -> dict[str, npt.NDArray[np.int64]]: ...
def engagement(
    notice_person: npt.ArrayLike,
    notice_day: npt.ArrayLike,
    service_person: npt.ArrayLike,
    service_day: npt.ArrayLike,
    service_engaging: npt.ArrayLike,
    months: npt.ArrayLike,
    *,
    window_days: int,
    as_of: int,
) -> dict[str, np.ndarray]: ...
def caseload(
    person: npt.ArrayLike, start: npt.ArrayLike, end: npt.ArrayLike, *, first_month: int, n_months: int
) -> dict[str, np.ndarray]: ...
def summarize(values: npt.ArrayLike) -> dict[str, float]: ...
def kaplan_meier(duration: npt.ArrayLike, event: npt.ArrayLike) -> dict[str, np.ndarray]: ...
def aalen_johansen(duration: npt.ArrayLike, cause: npt.ArrayLike) -> dict[str, np.ndarray]: ...
