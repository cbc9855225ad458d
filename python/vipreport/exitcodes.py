"""The exit status of the ``vipreport`` command, one code per kind of outcome.

A scheduler can act on the code alone: 1 means the data need fixing, 2 that
the command line does, 69 that the database could not be reached (try again),
70 that vipreport has a bug.
"""

from __future__ import annotations

from enum import IntEnum

from .config import ConfigError
from .errors import (
    ArgumentError,
    DatabaseError,
    MissingSectionsError,
    MissingTableError,
    MonthOutOfRangeError,
    NoDataError,
    UnmatchedFilesError,
    ValidationError,
    VipReportError,
)
from .published import DocumentError


class UsageError(VipReportError):
    """The command line is wrong: an unknown option, a malformed value, a path that cannot be read.

    ``usage`` is the usage line of the (sub)command that was meant, when argparse found the error.
    """

    def __init__(self, message: str, *, usage: str | None = None) -> None:
        super().__init__(message)
        self.usage = usage


class ExitCode(IntEnum):
    """Exit statuses; ``status`` is the word the ``--json`` output carries beside the code."""

    OK = 0
    INVALID_DATA = 1  # the data break a rule, do not cover the month, lack a table or hold a stray file
    # under --strict
    USAGE = 2  # what argparse uses for its own errors
    UNAVAILABLE = 69  # EX_UNAVAILABLE in sysexits.h: the database cannot be reached (try again later)
    INTERNAL = 70  # EX_SOFTWARE in sysexits.h: a bug in vipreport
    INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
    BROKEN_PIPE = 141  # 128 + SIGPIPE: whoever read stdout stopped reading

    @property
    def status(self) -> str:
        return _STATUS[self]


_STATUS = {
    ExitCode.OK: "ok",
    ExitCode.INVALID_DATA: "invalid-data",
    ExitCode.USAGE: "usage-error",
    ExitCode.UNAVAILABLE: "unavailable",
    ExitCode.INTERNAL: "internal-error",
    ExitCode.INTERRUPTED: "interrupted",
    ExitCode.BROKEN_PIPE: "broken-pipe",
}

# Errors about the data, checked before the wider VipReportError.
_INVALID_DATA = (
    ValidationError,
    NoDataError,
    MonthOutOfRangeError,
    MissingSectionsError,
    MissingTableError,
    UnmatchedFilesError,
)
_USAGE = (UsageError, ArgumentError, ConfigError, DocumentError)


def exit_code_for(error: BaseException) -> ExitCode:
    """The exit status for an exception that ended a command."""
    if isinstance(error, _INVALID_DATA):
        return ExitCode.INVALID_DATA
    if isinstance(error, DatabaseError):
        return ExitCode.UNAVAILABLE
    if isinstance(error, _USAGE):
        return ExitCode.USAGE
    if isinstance(error, VipReportError):
        return ExitCode.USAGE  # every other deliberate error is about what was asked for
    if isinstance(error, OSError):
        return ExitCode.USAGE  # a path that cannot be read or written
    if isinstance(error, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    return ExitCode.INTERNAL
