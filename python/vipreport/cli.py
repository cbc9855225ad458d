"""The ``vipreport`` command: build | validate | table | audit | config.

The exit status follows :class:`~vipreport.exitcodes.ExitCode`, so a
scheduler can tell bad data (1) from a bad command line (2) and from a bug
(70). ``--json`` prints one object on stdout describing the run, on failure
too (its shape: docs/cli.md).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from . import datasets
from .calendar import month_index, month_label
from .clilog import cli_logging
from .config import Config, bundled_profiles, profile_schema
from .errors import ArgumentError, MissingSectionsError, UnmatchedFilesError, ValidationError, VipReportError
from .exitcodes import ExitCode, UsageError, exit_code_for
from .io import Dataset, load
from .io.crosstable import DESCRIPTIONS as QUALITY_RULES
from .io.discover import find_table_files
from .io.sql import is_database, redact
from .tables import RENAMED_TABLES, TABLE_FUNCTIONS

log = logging.getLogger(__name__)
OUTPUT_SUFFIXES = (".pdf", ".html", ".htm")

EPILOG = """\
exit status:
  0    success
  1    invalid data: the input breaks validation rules (every problem is
       listed), the data folder holds no export file, the report month is not
       covered by the data (before the first record, after the last complete
       month, or in the future), a section would be left out under --strict,
       a file in the data folder matches no table under validate --strict,
       or audit found figures that cannot all be true (errors; warnings
       too with audit --strict; notes never)
  2    usage error: an unknown option, a malformed --month, --as-of or --out,
       a path that does not exist or cannot be read, an invalid profile, a
       database URL without the sql extra installed (pip install 'vipreport[sql]')
  69   the database of a --data URL cannot be reached (try again later)
  70   internal error (a bug in vipreport): one line on stderr; add --debug
       for the traceback
  130  interrupted; 141 when stdout is closed early (a pipe into head)

A month is complete when the data hold a record dated after its last day,
or when --as-of names an export date on or after it.

validate and build take --json: one JSON object on stdout (files read, rows
per table, each data-quality rule's count, every problem by table, row, column
and rule with a total per rule, outputs written, sections left out, exit
status), on failure too. See docs/cli.md.

-v shows debug messages, -q only warnings and errors. Progress while loading
is drawn only when stderr is a terminal.
"""


def use_jemalloc() -> None:
    """Make jemalloc Arrow's default memory pool, unless ``ARROW_DEFAULT_MEMORY_POOL`` already chooses one.

    Loading a large export through pyarrow's default pool (mimalloc in current
    wheels) left about 100 MiB more resident at its peak than jemalloc, and took
    more CPU time (measured on the scale-300 exports: docs/performance.md). The
    command sets it for its own process only: a library call never changes the
    caller's pool. A pyarrow built without jemalloc keeps its default.
    """
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    import pyarrow as pa

    with contextlib.suppress(NotImplementedError):  # pyarrow.lib.ArrowNotImplementedError: no jemalloc here
        pa.set_memory_pool(pa.jemalloc_memory_pool())


# glibc's mallopt parameters (malloc.h), and the values the command sets.
M_MMAP_THRESHOLD, M_ARENA_MAX = -3, -8
MMAP_THRESHOLD = 8 << 20
ARENA_MAX = 1


def tune_malloc() -> None:
    """Have glibc's malloc give large blocks back to the system when they are freed.

    NumPy's arrays come from malloc. glibc raises its threshold for serving a
    block by ``mmap`` (a block given back when freed) each time such a block is
    freed, up to 32 MiB, so a load's temporary columns soon came from the heap
    and stayed resident after use; and each loader thread kept its own arena.
    A fixed 8 MiB threshold and one arena lowered the peak RSS of ``vipreport
    build`` on the scale-300 CSV exports from about 420 to 360-380 MiB (docs/performance.md).
    Only the command does this, for its own process; elsewhere (musl, macOS,
    Windows) nothing changes. Environment settings (``MALLOC_MMAP_THRESHOLD_``,
    ``MALLOC_ARENA_MAX``) win.
    """
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return
    if "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)
    if "MALLOC_ARENA_MAX" not in os.environ:
        mallopt(M_ARENA_MAX, ARENA_MAX)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    if argv is None:  # run as the command: the process is ours, so its memory allocators are ours to choose
        tune_malloc()  # first: before pyarrow's import starts its threads
        use_jemalloc()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as exc:
        command = next((a for a in argv if a in parser.commands), None)
        if command is not None:  # the top parser reports unknown options: show the command's usage
            exc.usage = parser.commands[command].format_usage()
        return _usage_failure(argv, exc)
    except SystemExit as exc:  # --help and --version print and stop
        return int(exc.code or 0)
    verbosity = getattr(args, "verbose", 0) - (1 if getattr(args, "quiet", False) else 0)
    debug = getattr(args, "debug", False)
    args.progress = False if verbosity < 0 else None  # None: only on a terminal
    args.result = Result(command=args.command)
    with cli_logging(verbosity):
        try:
            try:
                code = ExitCode(args.run(args))
            except BrokenPipeError:
                raise
            except (Exception, KeyboardInterrupt) as exc:
                code = exit_code_for(exc)
                _report_failure(exc, code, args.result, debug=debug)
            if getattr(args, "json", False) and args.command in ("validate", "build"):
                print(json.dumps(args.result.to_dict(code), indent=2))
            sys.stdout.flush()
        except BrokenPipeError:  # the reader left (``vipreport table ... | head``): stop quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return int(ExitCode.BROKEN_PIPE)
        return int(code)


@dataclass
class Result:
    """What a run did, for ``--json``: never a cell value, only names, counts, places and rules."""

    command: str
    month: str | None = None
    source: str | None = None
    files: list[dict[str, str]] = field(default_factory=list)
    rows: dict[str, dict[str, int | None]] = field(default_factory=dict)
    coverage: dict[str, str | None] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    problem_totals: dict[str, int] = field(default_factory=dict)
    quality_rules: list[dict[str, Any]] = field(default_factory=list)
    unmatched_files: list[str] = field(default_factory=list)
    missing_sections: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None

    def to_dict(self, code: ExitCode) -> dict[str, Any]:
        return {
            "vipreport": version(),
            "command": self.command,
            "status": code.status,
            "exit_status": int(code),
            "month": self.month,
            "source": self.source,
            "files": self.files,
            "unmatched_files": self.unmatched_files,
            "rows": self.rows,
            "quality_rules": self.quality_rules,
            "coverage": self.coverage,
            "problems": self.problems,
            "problem_totals": self.problem_totals,
            "missing_sections": self.missing_sections,
            "outputs": self.outputs,
            "error": self.error,
        }

    def note_quality(self, quality: pd.DataFrame | None) -> None:
        """Rows read per table and each data-quality rule's count, from a quality summary."""
        if quality is None:
            return
        for table, action, reason, rows in quality.itertuples(index=False):
            rule = str(reason).split(":", 1)[0]
            if action == "read":
                self.rows.setdefault(table, {"read": int(rows), "loaded": None})
            elif rule in QUALITY_RULES and action in ("dropped", "kept", "error"):
                self.quality_rules.append({"table": table, "rule": rule, "action": action, "rows": int(rows)})


def version() -> str:
    """``vipreport.__version__``: the one place the version is written (the wheel metadata reads it)."""
    from . import __version__

    return __version__


# -- the parser -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """Raises :class:`UsageError` instead of exiting, so ``main`` returns 2 (and ``--json`` says why)."""

    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: error: {message}", usage=self.format_usage())


def _parser() -> _Parser:
    common = _Parser(add_help=False)
    shared = common.add_argument_group("logging")
    # SUPPRESS: given before or after the command, a flag is not reset by the other parser's default.
    shared.add_argument(
        "-v",
        "--verbose",
        action="count",
        default=argparse.SUPPRESS,
        help="more detail on stderr (-v: debug messages; -vv: other libraries' too)",
    )
    shared.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        default=argparse.SUPPRESS,
        help="only warnings and errors on stderr, and no progress",
    )
    shared.add_argument(
        "--debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="print the traceback of an internal error (it may show data values)",
    )

    parser = _Parser(
        prog="vipreport",
        description="Monthly Informational Reports for violence intervention programs.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"vipreport {version()}")
    parser.commands = {}
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", dest="command")

    def command(name: str, help: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=help,
            description=help[0].upper() + help[1:] + ".",
            parents=[common],
            epilog=EPILOG,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.set_defaults(run=run)
        parser.commands[name] = sub
        return sub

    validate = command("validate", "check a directory of exports and print the data-quality summary", _validate)
    _add_data_arguments(validate, demo=False)
    validate.add_argument(
        "--as-of",
        type=_as_of_date,
        metavar="YYYY-MM-DD",
        help="the date the exports were taken (to say which months are complete; "
        "a later event date breaks rule event_after_as_of)",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 1) when a table that a report section needs is absent, "
        "or a file in the data folder matches no table",
    )
    validate.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    build = command("build", "build the month's report as PDF or HTML", _build)
    build.add_argument("--month", required=True, type=_month, help="report month, YYYY-MM")
    build.add_argument(
        "--out",
        type=_output,
        required=True,
        help="report.pdf, report.html, or a folder (DIR/): report.pdf, report.html and a data package "
        "(datapackage.json and data/*.csv)",
    )
    build.add_argument(
        "--public",
        action="store_true",
        help="the public edition: hide small counts (config [publication]); default internal",
    )
    _add_data_arguments(build, demo=True)
    build.add_argument(
        "--as-of",
        type=_as_of_date,
        metavar="YYYY-MM-DD",
        help="the date the exports were taken: months ending on or before it are complete",
    )
    build.add_argument(
        "--strict", action="store_true", help="fail (exit 1) instead of leaving out a section whose table is absent"
    )
    build.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    build.add_argument(
        "--record",
        type=Path,
        metavar="DIR",
        help="also write the figures the report prints, with their provenance, to DIR/<month>.json "
        "(see docs/testing-your-numbers.md)",
    )

    diff = command("diff", "list the figures that changed between two records of a month, and why", _diff)
    diff.add_argument("old", type=_readable_file, help="the earlier record (JSON)")
    diff.add_argument("new", type=_readable_file, help="the later record (JSON)")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.add_argument(
        "--config",
        type=_profile,
        help="the profile for the thresholds: "
        + PROFILE_HELP.replace("default: albuquerque", "default: the new record's own"),
    )

    check = command(
        "reconcile", "compute every published figure again from the exports and explain each difference", _reconcile
    )
    check.add_argument(
        "published", nargs="+", type=_published_path, help="published-figures JSON files or records, or folders of them"
    )
    _add_data_arguments(check, demo=True)
    check.add_argument(
        "--as-of",
        type=_as_of_date,
        metavar="YYYY-MM-DD",
        help="the date the exports were taken (default: each record's own)",
    )
    check.add_argument("--tolerance", type=float, default=0.0, help="largest difference accepted (default 0)")
    check.add_argument(
        "--expected",
        type=_readable_file,
        metavar="TOML",
        help="known restatements: [[restatement]] figure = ..., reason = ...",
    )
    check.add_argument("--all", action="store_true", help="list the figures that agree too")
    check.add_argument("--json", action="store_true", help="print every figure as JSON")

    audit = command("audit", "find published figures that cannot all be true", _audit)
    audit.add_argument("files", nargs="+", type=_readable_file, help="published-figures JSON files")
    audit.add_argument("--json", action="store_true", help="print the findings as JSON (each with its severity)")
    audit.add_argument(
        "--strict", action="store_true", help="exit 1 on warnings (restatements) too, not only on errors"
    )
    audit.add_argument("--config", type=_profile, help=PROFILE_HELP)

    table = command("table", "print one of the report's tables", _table)
    table.add_argument(
        "name",
        choices=sorted([*TABLE_FUNCTIONS, *RENAMED_TABLES]),
        metavar="TABLE",
        help="which table: " + ", ".join(sorted(TABLE_FUNCTIONS)),
    )
    table.add_argument("--month", required=True, type=_month, help="report month, YYYY-MM")
    table.add_argument("--format", choices=("text", "csv", "json"), default="text")
    table.add_argument(
        "--wide",
        action="store_true",
        help="print the report's layout (categories as rows, months as columns, then FYTD) instead of the tidy rows",
    )
    _add_data_arguments(table, demo=True)
    table.add_argument(
        "--as-of",
        type=_as_of_date,
        metavar="YYYY-MM-DD",
        help="the date the exports were taken: months ending on or before it are complete",
    )

    profile = command("config", "print the profile's JSON Schema, or check a profile file", _config)
    action = profile.add_mutually_exclusive_group(required=True)
    action.add_argument("--schema", action="store_true", help="print the JSON Schema of a profile to stdout")
    action.add_argument(
        "--check",
        type=_readable_file,
        metavar="PATH",
        help="check a TOML profile; lists every problem and exits 2 when there is one",
    )
    return parser


def _add_data_arguments(parser: argparse.ArgumentParser, *, demo: bool) -> None:
    if demo:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument(
            "--data",
            type=_data_source,
            help="directory of export files (referrals.csv, ...), or a database URL "
            "(postgresql://user@host/db, sqlite:///vip.db; needs vipreport[sql])",
        )
        source.add_argument("--demo", action="store_true", help="use the bundled synthetic demo data")
    else:
        parser.add_argument(
            "--data",
            type=_data_source,
            required=True,
            help="directory of export files, or a database URL (needs vipreport[sql])",
        )
    parser.add_argument("--config", type=_profile, help=PROFILE_HELP)
    parser.add_argument(
        "--salt-env", metavar="VAR", help="pseudonymise person ids with the salt held in environment variable VAR"
    )


# Argument types: argparse turns their ArgumentTypeError into a usage error naming the option.


def _month(text: str) -> str:
    try:
        return month_label(month_index(text))
    except VipReportError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _as_of_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"a date is written YYYY-MM-DD (like 2024-12-02), got {text!r}") from None
    if day > dt.date.today():
        raise argparse.ArgumentTypeError(f"{day} is in the future: give the date the exports were taken")
    return day


def _data_source(text: str) -> Path | str:
    """A folder of exports, or a database URL (kept as text; its password is never printed)."""
    return text if is_database(text) else _data_directory(text)


def _data_directory(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"data directory not found: {path}")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a directory: {path}")
    if not os.access(path, os.R_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"data directory cannot be read: {path}")
    return path


def _published_path(text: str) -> Path:
    path = Path(text)
    if path.is_dir():
        return path
    return _readable_file(text)


PROFILE_HELP = (
    "a TOML profile, or the name of a bundled one (" + ", ".join(bundled_profiles()) + "); default: albuquerque"
)


def _profile(text: str) -> Path | str:
    """A profile file, or a bundled profile's name (a file of that name in the folder wins)."""
    if text in bundled_profiles() and not Path(text).exists():
        return text
    return _readable_file(text)


def _config_of(args: argparse.Namespace) -> Config:
    if not args.config:
        return Config.default()
    if isinstance(args.config, str):
        return Config.bundled(args.config)
    return _read_profile(args.config)


def _read_profile(path: str | Path) -> Config:
    """``Config.from_toml``, with its warnings (a deprecated section name) in the log.

    Python does not show a DeprecationWarning raised inside a library, and the
    profile's author, not a programmer, is the one to act on it.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        config = Config.from_toml(path)
    for warning in caught:
        log.warning("%s", warning.message)
    return config


def _readable_file(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"file not found: {path}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"not a file: {path}")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"file cannot be read: {path}")
    return path


@dataclass(frozen=True)
class Output:
    """Where ``build`` writes: one file, or a folder for the PDF, the HTML and the data package."""

    path: Path
    folder: bool

    def __str__(self) -> str:
        return f"{self.path}{os.sep}" if self.folder else str(self.path)


def _output(text: str) -> Output:
    path = Path(text)
    # A folder is asked for by a trailing slash, or by naming one that exists.
    folder = text.endswith(("/", os.sep)) or path.is_dir()
    if not folder and path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise argparse.ArgumentTypeError(
            f"the output must end in .pdf or .html, or be a folder (end it in /), got {path.name!r}"
        )
    if folder and path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"the output folder is a file: {path}")
    # A missing folder is made when the report is written (out/report.pdf on a
    # fresh clone); what must hold now is that the nearest existing one is a
    # folder that can be written.
    existing = path.absolute() if folder and path.exists() else None
    nearest = existing or next(parent for parent in path.absolute().parents if parent.exists())
    if not nearest.is_dir():
        raise argparse.ArgumentTypeError(f"the output's folder is a file: {nearest}")
    if not os.access(nearest, os.W_OK):
        raise argparse.ArgumentTypeError(f"the output's folder cannot be written: {nearest}")
    return Output(path, folder)


# -- failures ---------------------------------------------------------------------


def _usage_failure(argv: list[str], error: UsageError) -> int:
    """Print what argparse would (usage line and error), and the JSON object when --json was asked for."""
    if error.usage:
        print(error.usage, end="", file=sys.stderr)
    print(error, file=sys.stderr)
    command = next((a for a in argv if a in ("validate", "build")), None)
    if "--json" in argv and command is not None:
        result = Result(command=command, error={"type": "UsageError", "message": str(error)})
        print(json.dumps(result.to_dict(ExitCode.USAGE), indent=2))
    return int(ExitCode.USAGE)


def _report_failure(error: BaseException, code: ExitCode, result: Result, *, debug: bool) -> None:
    if code is ExitCode.INTERNAL:
        # The exception's text may quote a data value, so only its type and place are shown.
        message = (
            f"internal error: {type(error).__name__} at {_where(error)}. This is a bug in vipreport "
            f"{version()}; run again with --debug to see the traceback, and report it."
        )
    elif code is ExitCode.INTERRUPTED:
        message = "interrupted"
    elif isinstance(error, ValidationError):
        message = f"the input is not valid.\n{error}"
        result.problems = [p.to_dict() for p in error.problems]
        result.problem_totals = error.totals()
        for table, rows in error.rows_read.items():
            result.rows.setdefault(table, {"read": rows, "loaded": None})
        result.note_quality(error.quality)
    elif isinstance(error, OSError):
        message = f"{error.strerror or type(error).__name__}: {error.filename}" if error.filename else str(error)
    else:
        message = str(error)
    print(f"vipreport: error: {message}", file=sys.stderr)
    if debug:
        traceback.print_exception(error, file=sys.stderr)
    # ValidationError's message quotes some cell values (categories); the JSON keeps only its first line.
    summary = str(error).splitlines()[0] if isinstance(error, ValidationError) else message.splitlines()[0]
    result.error = {"type": type(error).__name__, "message": summary}


def _where(error: BaseException) -> str:
    """The innermost vipreport source line of a traceback: ``vipreport/report/build.py:57``."""
    package = Path(__file__).resolve().parent
    place = "an unknown place"
    for frame in traceback.extract_tb(error.__traceback__):
        path = Path(frame.filename).resolve()
        if path.is_relative_to(package):
            place = f"{Path('vipreport', path.relative_to(package)).as_posix()}:{frame.lineno}"
    return place


# -- the commands -------------------------------------------------------------------


def _load(args: argparse.Namespace) -> Dataset:
    result: Result = args.result
    config = _config_of(args)
    as_of = getattr(args, "as_of", None)
    if getattr(args, "demo", False):
        result.source = "demo"
        data = datasets.demo(config=config, data_as_of=as_of)
    else:
        result.source = redact(args.data) if isinstance(args.data, str) else str(args.data)
        data_dir = Path(args.data)
        if isinstance(args.data, Path) and data_dir.is_dir():
            listing = find_table_files(data_dir, config)
            found, unmatched = listing.tables, list(listing.unmatched)
        else:  # a database
            found, unmatched = {}, []
        result.files = [
            {"table": name, "path": str(f.path), **({"part": str(f.member or f.sheet)} if f.member or f.sheet else {})}
            for name, files in found.items()
            for f in files
        ]
        result.unmatched_files = unmatched
        salt = None
        if args.salt_env:
            salt = os.environ.get(args.salt_env)
            if not salt:
                raise UsageError(f"environment variable {args.salt_env} is not set or empty")
        data = load(args.data, config=config, salt=salt, progress=args.progress, data_as_of=as_of)
    result.note_quality(data.quality)
    result.rows = {
        name: {"read": result.rows.get(name, {}).get("read"), "loaded": len(frame)}
        for name, frame in data.tables.items()
    }
    return data


def _validate(args: argparse.Namespace) -> int:
    from .report.build import missing_sections

    result: Result = args.result
    try:
        data = _load(args)
    except ValidationError as error:
        if not args.json:  # what was read and counted before the problems (listed on stderr)
            _print_tables(error.quality, {})
        raise
    covered = data.coverage(data_as_of=args.as_of)
    result.coverage = covered.to_dict()
    result.missing_sections = missing_sections(data.tables, data.config)
    if not args.json:
        print(f"{result.source}: valid. {data!r}")
        print(f"Months: {covered.describe()}.")
        _print_tables(data.quality, {name: len(frame) for name, frame in data.tables.items()})
        print(data.quality.to_string(index=False))
    _note_unmatched(result.unmatched_files, strict=args.strict)  # a stray file first: it may be a missing table
    _note_missing(result.missing_sections, strict=args.strict)
    return ExitCode.OK


def _print_tables(quality: pd.DataFrame | None, loaded: dict[str, int]) -> None:
    """Per file: rows read, rows loaded, and the count of each data-quality rule that any row broke."""
    if quality is None:
        return
    for table, action, reason, rows in quality.itertuples(index=False):
        if action == "read":
            kept = f"{loaded[table]:,} loaded" if table in loaded else "not loaded"
            print(f"{reason.removeprefix('rows read from ')} ({table}): {rows:,} rows read, {kept}")
            for _, other, why, count in quality[quality.table == table].itertuples(index=False):
                rule = str(why).split(":", 1)[0]
                if rule in QUALITY_RULES and other in ("dropped", "kept", "error"):
                    print(f"    {rule}: {count:,} {'refused' if other == 'error' else other}")


def _note_unmatched(files: list[str], *, strict: bool) -> None:
    if files and strict:
        raise UnmatchedFilesError(files)


def _build(args: argparse.Namespace) -> int:
    from .report import build_report

    result: Result = args.result
    result.month = args.month
    data = _load(args)
    result.coverage = data.coverage(data_as_of=args.as_of).to_dict()
    report = build_report(data, args.month, public=args.public, data_as_of=args.as_of)
    result.missing_sections = list(report.missing_sections)
    _note_missing(result.missing_sections, strict=args.strict)
    out: Output = args.out
    if out.folder:
        from .report.outline import one_outline
        from .report.package import check_folder

        check_folder(report, out.path)  # before anything is drawn: a folder we must not write into fails now
        # The data package last: its datapackage.json is written after everything else, so a run that
        # fails part-way never leaves a folder that looks complete.
        with one_outline(report):  # one outline for the three outputs
            written = [report.to_pdf(out.path / "report.pdf"), report.to_html(out.path / "report.html")]
            written.append(report.to_package(out.path))
        result.outputs += [str(p) for p in written]
    elif out.path.suffix.lower() == ".pdf":
        result.outputs.append(str(report.to_pdf(out.path)))
    else:
        result.outputs.append(str(report.to_html(out.path)))
    if not args.json:
        what = " (report.pdf, report.html and the data package datapackage.json)" if out.folder else ""
        print(f"wrote {out}{what}: {report.month}, {len(report.tables)} tables, {len(report.figures)} charts")
    if args.record:
        from .published.ledger import restatements, write_record

        earlier = _earlier_record(args.record / f"{report.month}.json")
        path = write_record(report, data, args.record, data_as_of=args.as_of)
        result.outputs.append(str(path))
        for line in restatements(path, replaced=earlier, config=report.config):
            log.warning("%s", line)
        if not args.json:
            print(f"recorded {path}")
    return ExitCode.OK


def _earlier_record(path: Path) -> Any:
    """The record this build replaces, if any (an unreadable one is simply replaced)."""
    from .published import DocumentError, read_document

    try:
        return read_document(path) if path.is_file() else None
    except DocumentError:
        log.warning("%s is not a readable record; it is replaced", path)
        return None


def _diff(args: argparse.Namespace) -> int:
    from .published import diff

    config = _config_of(args) if args.config else None
    changes = diff(args.old, args.new, config=config)
    flagged = int(changes["beyond_threshold"].sum())
    if args.json:
        records = json.loads(changes.to_json(orient="records"))
        print(json.dumps({"changed": len(changes), "beyond_threshold": flagged, "figures": records}, indent=2))
    elif changes.empty:
        print(f"{args.old} and {args.new}: no figure changed.")
    else:
        causes = sorted(set(changes["cause"]))
        print(
            f"{len(changes)} figure(s) changed, {flagged} beyond the profile's threshold. Cause: "
            + " | ".join(causes)
            + "\n"
        )
        shown = changes.drop(columns="cause").assign(
            beyond_threshold=changes["beyond_threshold"].map({True: "yes", False: ""})
        )
        print(shown.to_string(index=False, float_format=lambda v: f"{v:g}"))
    return ExitCode.INVALID_DATA if flagged else ExitCode.OK


def _reconcile(args: argparse.Namespace) -> int:
    from .published.check import check
    from .published.explain import ExpectedError, read_expected

    try:
        expected = read_expected(args.expected)
    except ExpectedError as exc:
        raise UsageError(str(exc)) from None
    files = [f for p in args.published for f in (sorted(p.glob("*.json")) if p.is_dir() else [p])]
    if not files:
        raise UsageError("no published-figures JSON file in " + ", ".join(map(str, args.published)))
    data = _load(args)
    table = check(data, files, tolerance=args.tolerance, expected=expected, data_as_of=args.as_of)
    unexplained = table["status"].isin(["differs", "not computed"])
    if args.json:
        print(
            json.dumps(
                {
                    "figures": len(table),
                    "unexplained": int(unexplained.sum()),
                    "expected": int(table["status"].eq("expected").sum()),
                    "rows": json.loads(table.to_json(orient="records")),
                },
                indent=2,
            )
        )
    else:
        shown = table if args.all else table[table["status"] != "agrees"]
        print(
            f"{len(table)} published figure(s) in {len(files)} report(s): "
            f"{int(table['status'].eq('agrees').sum())} agree, {int(unexplained.sum())} differ, "
            f"{int(table['status'].eq('expected').sum())} are known restatements."
        )
        for row in shown.to_dict(orient="records"):
            computed = "not computed" if pd.isna(row["computed"]) else f"{row['computed']:g}"
            why = f"\n  why: {row['explanation']}" if row["explanation"] else ""
            print(
                f"\n{row['report_month']}::{row['figure']}: published {row['published']:g}, computed {computed} "
                f"[{row['status']}]{why}"
            )
    return ExitCode.INVALID_DATA if unexplained.any() else ExitCode.OK


def _note_missing(sections: list[str], *, strict: bool) -> None:
    if sections and strict:
        raise MissingSectionsError(sections)
    for section in sections:
        log.warning("left out %s", section)


def _audit(args: argparse.Namespace) -> int:
    from .published import audit

    config = _config_of(args)
    findings = audit(args.files, config=config)
    if args.json:
        records = findings.astype(object).where(findings.notna(), None).to_dict(orient="records")
        print(json.dumps(records, indent=2, default=int))
    elif findings.empty:
        print(f"{len(args.files)} report(s): no inconsistencies found.")
    else:
        counts = findings["severity"].value_counts()
        summary = ", ".join(f"{counts.get(s, 0)} {s}(s)" for s in ("error", "warning", "note"))
        print(f"{len(findings)} finding(s) in {len(args.files)} report(s): {summary}\n")
        for i, f in enumerate(findings.to_dict(orient="records"), 1):
            row = f"row {f['row']!r}" if f["row"] else ""
            where = " ".join(x for x in (str(f["table"]), row, f"[{f['columns']}]") if x)
            print(
                f"{i}. {str(f['severity']).upper()} {f['kind']} | {f['reports']} | {where}\n"
                f"   {f['values']}\n   {f['explanation']}\n"
            )
    # Errors fail the run; warnings too with --strict; notes never do.
    failing = {"error", "warning"} if args.strict else {"error"}
    return ExitCode.INVALID_DATA if findings["severity"].isin(failing).any() else ExitCode.OK


def _table(args: argparse.Namespace) -> int:
    data = _load(args)
    data.check_month(args.month, data_as_of=args.as_of)
    name = args.name
    if name in RENAMED_TABLES:
        log.warning("table %s is deprecated: use %s", name, RENAMED_TABLES[name])
        name = RENAMED_TABLES[name]
    function: Callable[..., pd.DataFrame] = TABLE_FUNCTIONS[name]
    frame = function(data, args.month)
    if args.wide:
        if "month" not in frame:
            raise UsageError(f"table {args.name} has no months to spread out: leave out --wide")
        try:
            frame = frame.vip.wide()
        except ArgumentError as error:  # several figures per month: the tidy rows are the table
            raise UsageError(f"table {args.name} has no single figure to spread out: leave out --wide") from error
    if args.format == "csv":
        # A tidy result's index is only row numbers: leave it out of the CSV.
        print(frame.to_csv(index=not isinstance(frame.index, pd.RangeIndex)), end="")
    elif args.format == "json":
        if "month" in frame:  # JSON has no Period: the month as "YYYY-MM"
            frame = frame.assign(month=frame["month"].astype(str))
        print(frame.to_json(orient="split", indent=2, date_format="iso"))
    else:
        print(frame.to_string())
    return ExitCode.OK


def _config(args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(profile_schema(), indent=2, ensure_ascii=False))
    else:
        _read_profile(args.check)  # a ConfigError lists every problem (exit 2, a usage error)
        print(f"{args.check}: a valid profile")
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
