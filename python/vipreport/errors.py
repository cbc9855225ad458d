"""The exception family of vipreport.

Every error vipreport raises on purpose derives from :class:`VipReportError`.
Messages never contain raw ids, names or birth dates.
"""

from __future__ import annotations

from dataclasses import dataclass


class VipReportError(Exception):
    """Base class of every error vipreport raises on purpose."""


class ArgumentError(VipReportError, ValueError):
    """An argument to a vipreport function is invalid (a bad month, an unknown metric)."""


class MissingTableError(VipReportError, KeyError):
    """A computation needs a table that the dataset does not have."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


@dataclass(frozen=True)
class Problem:
    """One problem found in the input.

    ``row`` is the 1-based data row (the header is not counted), or ``None``
    for a problem of the whole table or column. ``file`` and ``line`` say
    where a person finds it: the file (or ``file[sheet]``) and the physical
    line an editor shows, counting title, blank and continued lines (the
    sheet row for a spreadsheet). A table given as a frame has no line.
    """

    table: str
    row: int | None
    column: str | None
    message: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = [self.table]
        if self.file is not None:
            where.append(self.file if self.line is None else f"{self.file} line {self.line}")
        elif self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class ValidationError(VipReportError, ValueError):
    """The input tables break one or more rules; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem], *, shown: int = 50) -> None:
        self.problems = list(problems)
        lines = [f"{len(self.problems)} problem(s) in the input:"]
        lines += [f"  - {p}" for p in self.problems[:shown]]
        if len(self.problems) > shown:
            lines.append(f"  ... and {len(self.problems) - shown} more (see .problems)")
        super().__init__("\n".join(lines))
