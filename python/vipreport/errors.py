"""The exception family of vipreport.

Every error vipreport raises on purpose derives from :class:`VipReportError`.
Messages never contain raw ids, names or birth dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class VipReportError(Exception):
    """Base class of every error vipreport raises on purpose.

    Each subclass also derives from the builtin error a Python user would expect
    (``ValueError``, ``KeyError``, ``ImportError``), so either can be caught.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> try:
    ...     vr.referrals_by_area(data, "2024-13")
    ... except vr.VipReportError as error:
    ...     print(type(error).__name__, "-", error)
    ArgumentError - month must be written YYYY-MM (like 2024-11), got '2024-13'
    """


class ArgumentError(VipReportError, ValueError):
    """An argument to a vipreport function is invalid (a bad month, an unknown metric).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> try:
    ...     vr.success_rate(data, "2024-11", method="lifetime")
    ... except vr.ArgumentError as error:
    ...     print(error)
    method must be one of ('running', 'fixed'), got 'lifetime'
    """


class CoreError(VipReportError):
    """An argument the C++ core rejected. The message names the argument (and the row when
    it is about one value), never a cell's content. Raised as one of the subclasses below,
    each of which keeps the builtin base pybind11 would otherwise have given it."""


class CoreValueError(CoreError, ArgumentError):
    """The core rejected an argument's value or length (C++ ``std::invalid_argument``,
    ``std::length_error``, ``std::domain_error``)."""


class CoreIndexError(CoreError, IndexError):
    """A code or date given to the core is outside its range (C++ ``std::out_of_range``)."""


class CoreTypeError(CoreError, TypeError):
    """An array given to the core has a dtype it cannot take without losing values."""


class CoreOverflowError(CoreError, OverflowError):
    """A count in the core would overflow (C++ ``std::overflow_error``)."""


class MissingTableError(VipReportError, KeyError):
    """A computation needs a table that the dataset does not have.

    Examples
    --------
    >>> import pandas as pd
    >>> import vipreport as vr
    >>> referrals = pd.DataFrame(
    ...     {"person_id": ["a1"], "referral_date": ["2024-11-04"], "source": ["Other"], "area_command": ["SE"]}
    ... )
    >>> data = vr.load({"referrals": referrals})
    >>> try:
    ...     vr.cora_totals(data, "2024-11")
    ... except vr.MissingTableError as error:
    ...     print(error)
    this computation needs the 'cora_responses' table, which the dataset does not have (it has: referrals)
    """

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class NoDataError(VipReportError, ValueError):
    """A data directory holds no export file that vipreport recognises.

    Examples
    --------
    >>> import tempfile
    >>> import vipreport as vr
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     try:
    ...         vr.load(empty)
    ...     except vr.NoDataError as error:
    ...         print(str(error).startswith(f"no table files in {empty}"))
    True
    """


class MonthOutOfRangeError(VipReportError, ValueError):
    """The report month is not covered by the data: before the first record, after the last
    complete month, or in the future. The message says which months the data cover.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> try:
    ...     vr.build_report(data, "2019-01")
    ... except vr.MonthOutOfRangeError as error:
    ...     print(error)
    2019-01 is before the first record (2021-07); the records run from 2021-07 to 2024-12; months 2021-07 to 2024-11 can be reported.
    """


class MissingSectionsError(VipReportError, ValueError):
    """Strict mode: the report would leave out sections because their tables are absent.

    Examples
    --------
    ``vipreport build --strict`` raises it; a program can do the same with the
    report's ``missing_sections``:

    >>> import vipreport as vr
    >>> error = vr.MissingSectionsError(["CORA (needs cora_responses)"])
    >>> print(error)
    1 section(s) would be left out for lack of data: CORA (needs cora_responses)
    >>> error.sections
    ['CORA (needs cora_responses)']
    """

    def __init__(self, sections: list[str]) -> None:
        self.sections = list(sections)
        super().__init__(
            f"{len(self.sections)} section(s) would be left out for lack of data: " + "; ".join(self.sections)
        )


class UnmatchedFilesError(VipReportError, ValueError):
    """Strict validation: files in the data folder match no table (they would not be read).

    Examples
    --------
    ``vipreport validate --strict`` raises it for the files that :attr:`Dataset.unmatched_files` lists:

    >>> import vipreport as vr
    >>> print(vr.UnmatchedFilesError(["notes.txt"]))
    1 file(s) in the data folder match no table and would not be read (--strict): notes.txt
    """

    def __init__(self, files: list[str]) -> None:
        self.files = list(files)
        super().__init__(
            f"{len(self.files)} file(s) in the data folder match no table and would not be read "
            f"(--strict): " + "; ".join(self.files)
        )


class MissingDependencyError(VipReportError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs it.

    It is also an ``ImportError``, so code written for a missing module catches it.

    Examples
    --------
    >>> import vipreport as vr
    >>> issubclass(vr.MissingDependencyError, ImportError)
    True
    """


class DatabaseError(VipReportError):
    """The database cannot be reached or read (it refused the connection, the login, ...).

    The message names the database by its URL with the password replaced by
    ``***``, and never carries a row's value.

    Examples
    --------
    >>> import vipreport as vr
    >>> error = vr.DatabaseError("cannot connect to postgresql://analyst:***@db.example/vip")
    >>> isinstance(error, vr.VipReportError)
    True
    """


# A stable identifier for each rule an input can break, with a description that
# holds no cell value: machine-readable output (``vipreport ... --json``) carries
# these, while ``Problem.message`` may quote a value that is not personal data.
RULES: dict[str, str] = {
    "duplicate_table_file": "two files in the directory hold the same table",
    "empty_file": "the file is empty: it has no header row",
    "malformed_file": "the file cannot be read as its kind (CSV, Parquet or Excel)",
    "query_failed": "the database refused the table's query (a missing table or column, a failed cast, ...)",
    "unterminated_quote": "a quote opened in the file is never closed",
    "field_count": "a row has a different number of fields from the header",
    "duplicate_column": "the header names one column twice",
    "missing_column": "a required column is missing",
    "too_many_rows": "the table has more rows than the config's [limits] allow",
    "blank_value": "a required value is blank",
    "invalid_date": "the value is not a date in the config's [validation] range",
    "invalid_birth_date": "the value is not a plausible birth date",
    "unknown_category": "the value is not one of the config's categories for this column",
    "unknown_offense": "the offense is not in the config's offense map",
    "invalid_boolean": "the value is not true/false (yes/no, 1/0)",
    "invalid_count": "the value is not a whole number of zero or more",
    "invalid_age": "the value is not an age in the config's range",
    "invalid_id": "the value is not a valid id",
    "invalid_value": "the value cannot be read",
    "end_before_start": "the end date is before the start date",
    "impossible_age": "the birth date gives an impossible age at notification",
    # Rules across rows and tables (io/crosstable.py); each is an error only when the profile's [rules] says so.
    "exact_duplicate": "the row repeats an earlier row of its table exactly",
    "near_duplicate": "the row has the same person, date and type as an earlier row of its table",
    "conflicting_birth_date": "the person's notifications give different birth dates",
    "notification_without_referral": "a notification for a person who has no referral",
    "never_notified": "a service or incident for a person who has no notification",
    "event_after_death": "the row is dated after the person's recorded death",
    "event_after_as_of": "the row is dated after the date the exports were taken",
}


@dataclass(frozen=True)
class Problem:
    """One problem found in the input.

    ``row`` is the 1-based data row of its file (the header is not
    counted), or ``None`` for a problem of the whole table or column.
    ``rule`` is a key of :data:`RULES`. ``file`` (``file[sheet]``, or
    ``archive.zip[member]``) and ``line`` say where a person finds it: the
    physical line an editor shows, counting title, blank and continued lines
    (the sheet row for a spreadsheet). A table given as a frame has neither,
    and its messages name the row. ``count`` is the number of rows the
    problem stands for: 1, or N for a line that counts N rows not listed.

    Examples
    --------
    >>> import pandas as pd
    >>> import vipreport as vr
    >>> referrals = pd.DataFrame(
    ...     {"person_id": ["a1"], "referral_date": ["2024-02-30"], "source": ["Other"], "area_command": ["SE"]}
    ... )
    >>> try:
    ...     vr.load({"referrals": referrals})
    ... except vr.ValidationError as error:
    ...     problem = error.problems[0]
    >>> problem.table, problem.row, problem.column, problem.rule
    ('referrals', 1, 'referral_date', 'invalid_date')
    """

    table: str
    row: int | None
    column: str | None
    message: str
    rule: str = "invalid_value"
    file: str | None = None
    line: int | None = None
    count: int = 1

    def __str__(self) -> str:
        where = [self.table]
        if self.file is not None:
            if self.line is not None:
                where.append(f"{self.file} line {self.line}")
            else:  # a database result or Parquet file: the 1-based row, when there is one
                where.append(self.file if self.row is None else f"{self.file} row {self.row}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The problem without its message: place, rule and the rule's description (no cell value)."""
        return {
            "table": self.table,
            "row": self.row,
            "column": self.column,
            "rule": self.rule,
            "description": RULES.get(self.rule, RULES["invalid_value"]),
            "file": self.file,
            "line": self.line,
        }


class ValidationError(VipReportError, ValueError):
    """The input tables break one or more rules; ``problems`` lists every one.

    ``rows_read`` maps each table read before the problems were found to its
    number of data rows (a table whose header was unusable is absent).
    ``quality`` holds the quality rows of the tables that could be typed
    (table, action, reason, rows), so a report of the failure can show the
    counts of every rule too. The message lists at most ``shown`` problems of
    each rule, then how many more there are.

    Examples
    --------
    >>> import pandas as pd
    >>> import vipreport as vr
    >>> referrals = pd.DataFrame(
    ...     {"person_id": ["a1"], "referral_date": ["2024-02-30"], "source": ["Pigeon"], "area_command": ["SE"]}
    ... )
    >>> try:
    ...     vr.load({"referrals": referrals})
    ... except vr.ValidationError as error:
    ...     print(error)
    2 problem(s) in the input:
      - referrals, row 1, column 'referral_date': expected a date from 2000-01-01 to 2100-12-31 (written YYYY-MM-DD, MM/DD/YYYY); found an impossible date
      - referrals, row 1, column 'source': expected one of: Law Enforcement, Hospital, Community, Self-Referral, Other; found text of 6 characters
    """

    def __init__(
        self,
        problems: list[Problem],
        *,
        shown: int = 20,
        rows_read: Mapping[str, int] | None = None,
        quality: Any = None,
    ) -> None:
        self.problems = list(problems)
        self.rows_read = dict(rows_read or {})
        self.quality = quality
        lines = [f"{self.total} problem(s) in the input:"]
        for rule, listed in _by_rule(self.problems).items():
            rows = [p for p in listed if p.count == 1]
            lines += [f"  - {p}" for p in rows[:shown]]
            more = sum(p.count for p in listed) - min(len(rows), shown)
            if more:
                lines.append(f"  ... and {more:,} more {rule} problem(s)")
        super().__init__("\n".join(lines))

    @property
    def total(self) -> int:
        """How many problems there are, counting those not listed one by one."""
        return sum(p.count for p in self.problems)

    def totals(self) -> dict[str, int]:
        """Rule -> how many problems break it (listed or not)."""
        return {rule: sum(p.count for p in listed) for rule, listed in _by_rule(self.problems).items()}


def _by_rule(problems: list[Problem]) -> dict[str, list[Problem]]:
    out: dict[str, list[Problem]] = {}
    for problem in problems:
        out.setdefault(problem.rule, []).append(problem)
    return out
