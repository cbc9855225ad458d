"""The ``vipreport`` command: build | validate | table | audit | config.

The exit status follows :class:`~vipreport.exitcodes.ExitCode`, so a
scheduler can tell bad data (1) from a bad command line (2) and from a bug
(70). ``--json`` prints one object on stdout describing the run, on failure
too (its shape: docs/cli.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

import pandas as pd

from . import datasets
from .clilog import cli_logging
from .config import Config, profile_schema
from .errors import MissingSectionsError, ValidationError, VipReportError
from .exitcodes import ExitCode, UsageError, exit_code_for
from .io import Dataset, load
from .io.discover import find_table_files
from .metrics._months import month_index, month_label
from .tables import TABLE_FUNCTIONS

log = logging.getLogger(__name__)
OUTPUT_SUFFIXES = (".pdf", ".html", ".htm")

EPILOG = """\
exit status:
  0    success
  1    invalid data: the input breaks validation rules (every problem is
       listed), the data folder holds no export file, the report month is not
       covered by the data (before the first record, after the last complete
       month, or in the future), a section would be left out under --strict,
       or audit found figures that cannot all be true
  2    usage error: an unknown option, a malformed --month, --as-of or --out,
       a path that does not exist or cannot be read, an invalid profile
  70   internal error (a bug in vipreport): one line on stderr; add --debug
       for the traceback
  130  interrupted; 141 when stdout is closed early (a pipe into head)

A month is complete when the data hold a record dated after its last day,
or when --as-of names an export date on or after it.

validate and build take --json: one JSON object on stdout (files read, rows
per table, every problem by table, row, column and rule, outputs written,
sections left out, exit status), on failure too. See docs/cli.md.

-v shows debug messages, -q only warnings and errors. Progress while loading
is drawn only when stderr is a terminal.
"""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
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
    missing_sections: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)
    error: dict[str, str] | None = None

    def to_dict(self, code: ExitCode) -> dict[str, Any]:
        return {"vipreport": version(), "command": self.command, "status": code.status,
                "exit_status": int(code), "month": self.month, "source": self.source, "files": self.files,
                "rows": self.rows, "coverage": self.coverage, "problems": self.problems,
                "missing_sections": self.missing_sections, "outputs": self.outputs, "error": self.error}


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
    shared.add_argument("-v", "--verbose", action="count", default=argparse.SUPPRESS,
                        help="more detail on stderr (-v: debug messages; -vv: other libraries' too)")
    shared.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="only warnings and errors on stderr, and no progress")
    shared.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="print the traceback of an internal error (it may show data values)")

    parser = _Parser(
        prog="vipreport",
        description="Monthly Informational Reports for violence intervention programs.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter, parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"vipreport {version()}")
    parser.commands = {}
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND", dest="command")

    def command(name: str, help: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                                  parents=[common], epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.set_defaults(run=run)
        parser.commands[name] = sub
        return sub

    validate = command("validate", "check a directory of exports and print the data-quality summary",
                       _validate)
    _add_data_arguments(validate, demo=False)
    validate.add_argument("--as-of", type=_as_of_date, metavar="YYYY-MM-DD",
                          help="the date the exports were taken (to say which months are complete)")
    validate.add_argument("--strict", action="store_true",
                          help="fail (exit 1) when a table that a report section needs is absent")
    validate.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    build = command("build", "build the month's report as PDF or HTML", _build)
    build.add_argument("--month", required=True, type=_month, help="report month, YYYY-MM")
    build.add_argument("--out", type=_output_file, required=True, help="output file: report.pdf or report.html")
    build.add_argument("--public", action="store_true",
                       help="the public edition: hide small counts (config [publication]); default internal")
    _add_data_arguments(build, demo=True)
    build.add_argument("--as-of", type=_as_of_date, metavar="YYYY-MM-DD",
                       help="the date the exports were taken: months ending on or before it are complete")
    build.add_argument("--strict", action="store_true",
                       help="fail (exit 1) instead of leaving out a section whose table is absent")
    build.add_argument("--json", action="store_true", help="print the outcome as one JSON object")

    audit = command("audit", "find published figures that cannot all be true", _audit)
    audit.add_argument("files", nargs="+", type=_readable_file, help="published-figures JSON files")
    audit.add_argument("--json", action="store_true", help="print the findings as JSON")
    audit.add_argument("--config", type=_readable_file, help="a TOML profile (default: Albuquerque)")

    table = command("table", "print one of the report's tables", _table)
    table.add_argument("name", choices=sorted(TABLE_FUNCTIONS), metavar="TABLE",
                       help="which table: " + ", ".join(sorted(TABLE_FUNCTIONS)))
    table.add_argument("--month", required=True, type=_month, help="report month, YYYY-MM")
    table.add_argument("--format", choices=("text", "csv", "json"), default="text")
    _add_data_arguments(table, demo=True)
    table.add_argument("--as-of", type=_as_of_date, metavar="YYYY-MM-DD",
                       help="the date the exports were taken: months ending on or before it are complete")

    profile = command("config", "print the profile's JSON Schema, or check a profile file", _config)
    action = profile.add_mutually_exclusive_group(required=True)
    action.add_argument("--schema", action="store_true", help="print the JSON Schema of a profile to stdout")
    action.add_argument("--check", type=_readable_file, metavar="PATH",
                        help="check a TOML profile; lists every problem and exits 2 when there is one")
    return parser


def _add_data_arguments(parser: argparse.ArgumentParser, *, demo: bool) -> None:
    if demo:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--data", type=_data_directory,
                            help="directory of export files (referrals.csv, ...)")
        source.add_argument("--demo", action="store_true", help="use the bundled synthetic demo data")
    else:
        parser.add_argument("--data", type=_data_directory, required=True, help="directory of export files")
    parser.add_argument("--config", type=_readable_file, help="a TOML profile (default: Albuquerque)")
    parser.add_argument("--salt-env", metavar="VAR",
                        help="pseudonymise person ids with the salt held in environment variable VAR")


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


def _data_directory(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"data directory not found: {path}")
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a directory: {path}")
    if not os.access(path, os.R_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"data directory cannot be read: {path}")
    return path


def _readable_file(text: str) -> Path:
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"file not found: {path}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"not a file: {path}")
    if not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"file cannot be read: {path}")
    return path


def _output_file(text: str) -> Path:
    path = Path(text)
    if path.suffix.lower() not in OUTPUT_SUFFIXES:
        raise argparse.ArgumentTypeError(f"the output must end in .pdf or .html, got {path.name!r}")
    # A missing folder is made when the report is written (out/report.pdf on a
    # fresh clone); what must hold now is that the nearest existing one is a
    # folder that can be written.
    folder = next(parent for parent in path.absolute().parents if parent.exists())
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"the output's folder is a file: {folder}")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"the output's folder cannot be written: {folder}")
    return path


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
        message = (f"internal error: {type(error).__name__} at {_where(error)}. This is a bug in vipreport "
                   f"{version()}; run again with --debug to see the traceback, and report it.")
    elif code is ExitCode.INTERRUPTED:
        message = "interrupted"
    elif isinstance(error, ValidationError):
        message = f"the input is not valid.\n{error}"
        result.problems = [p.to_dict() for p in error.problems]
        for table, rows in error.rows_read.items():
            result.rows.setdefault(table, {"read": rows, "loaded": None})
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
    config = Config.from_toml(args.config) if args.config else Config.default()
    if getattr(args, "demo", False):
        result.source = "demo"
        data = datasets.demo(config=config)
    else:
        result.source = str(args.data)
        data_dir = Path(args.data)
        found = find_table_files(data_dir, config).tables if data_dir.is_dir() else {}
        result.files = [{"table": name, "path": str(f.path), **({"part": str(f.member or f.sheet)} if f.member or f.sheet
                                                                 else {})}
                        for name, files in found.items() for f in files]
        salt = None
        if args.salt_env:
            salt = os.environ.get(args.salt_env)
            if not salt:
                raise UsageError(f"environment variable {args.salt_env} is not set or empty")
        data = load(args.data, config=config, salt=salt, progress=args.progress)
    read = {table: rows for table, action, _, rows in data.quality.itertuples(index=False) if action == "read"}
    result.rows = {name: {"read": read.get(name), "loaded": len(frame)} for name, frame in data.tables.items()}
    return data


def _validate(args: argparse.Namespace) -> int:
    from .report.build import missing_sections

    result: Result = args.result
    data = _load(args)
    covered = data.coverage(data_as_of=args.as_of)
    result.coverage = covered.to_dict()
    result.missing_sections = missing_sections(data.tables)
    if not args.json:
        print(f"{args.data}: valid. {data!r}")
        print(f"Months: {covered.describe()}.")
        print(data.quality.to_string(index=False))
    _note_missing(result.missing_sections, strict=args.strict)
    return ExitCode.OK


def _build(args: argparse.Namespace) -> int:
    from .report import build_report

    result: Result = args.result
    result.month = args.month
    data = _load(args)
    result.coverage = data.coverage(data_as_of=args.as_of).to_dict()
    report = build_report(data, args.month, public=args.public, data_as_of=args.as_of)
    result.missing_sections = list(report.missing_sections)
    _note_missing(result.missing_sections, strict=args.strict)
    if args.out.suffix.lower() == ".pdf":
        report.to_pdf(args.out)
    else:
        report.to_html(args.out)
    result.outputs.append(str(args.out))
    if not args.json:
        print(f"wrote {args.out} ({report.month}: {len(report.tables)} tables, {len(report.figures)} charts)")
    return ExitCode.OK


def _note_missing(sections: list[str], *, strict: bool) -> None:
    if sections and strict:
        raise MissingSectionsError(sections)
    for section in sections:
        log.warning("left out %s", section)


def _audit(args: argparse.Namespace) -> int:
    from .published import audit

    config = Config.from_toml(args.config) if args.config else Config.default()
    findings = audit(args.files, config=config)
    if args.json:
        print(json.dumps(findings.to_dict(orient="records"), indent=2))
    elif findings.empty:
        print(f"{len(args.files)} report(s): no inconsistencies found.")
    else:
        print(f"{len(findings)} finding(s) in {len(args.files)} report(s):\n")
        for i, f in enumerate(findings.itertuples(index=False), 1):
            where = " ".join(str(x) for x in (f.table, f"row {f.row!r}" if f.row else "", f"[{f.columns}]") if x)
            print(f"{i}. {f.kind} | {f.reports} | {where}\n   {f.values}\n   {f.explanation}\n")
    return ExitCode.INVALID_DATA if len(findings) else ExitCode.OK


def _table(args: argparse.Namespace) -> int:
    data = _load(args)
    data.check_month(args.month, data_as_of=args.as_of)
    function: Callable[..., pd.DataFrame] = TABLE_FUNCTIONS[args.name]
    frame = function(data, args.month)
    if args.format == "csv":
        print(frame.to_csv(), end="")
    elif args.format == "json":
        print(frame.to_json(orient="split", indent=2))
    else:
        print(frame.to_string())
    return ExitCode.OK


def _config(args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(profile_schema(), indent=2, ensure_ascii=False))
    else:
        Config.from_toml(args.check)  # a ConfigError lists every problem (exit 2, a usage error)
        print(f"{args.check}: a valid profile")
    return ExitCode.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
