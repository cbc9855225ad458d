"""The ``vipreport`` command: build | validate | table | audit | config."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from . import datasets
from .config import Config, profile_schema
from .errors import ValidationError, VipReportError
from .io import Dataset, load
from .published import DocumentError
from .metrics._months import month_index
from .tables import TABLE_FUNCTIONS

EXIT_OK, EXIT_INVALID_DATA, EXIT_USAGE = 0, 1, 2
EXIT_FINDINGS = 1  # audit found figures that cannot all be true


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except DocumentError as exc:
        print(f"vipreport: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        print(f"vipreport: the input is not valid.\n{exc}", file=sys.stderr)
        return EXIT_INVALID_DATA
    except VipReportError as exc:
        print(f"vipreport: error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vipreport",
        description="Monthly Informational Reports for violence intervention programs.",
    )
    commands = parser.add_subparsers(title="commands", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a directory of exports and print the data-quality summary")
    _add_data_arguments(validate, demo=False)
    validate.set_defaults(run=_validate)

    build = commands.add_parser("build", help="build the month's report as PDF or HTML")
    build.add_argument("--month", required=True, help="report month, YYYY-MM")
    build.add_argument("--out", type=Path, required=True, help="output file: report.pdf or report.html")
    build.add_argument("--public", action="store_true",
                       help="the public edition: hide small counts (config [publication]); default internal")
    _add_data_arguments(build, demo=True)
    build.set_defaults(run=_build)

    audit = commands.add_parser("audit", help="find published figures that cannot all be true")
    audit.add_argument("files", nargs="+", type=Path, help="published-figures JSON files")
    audit.add_argument("--json", action="store_true", help="print the findings as JSON")
    audit.add_argument("--config", type=Path, help="a TOML profile (default: Albuquerque)")
    audit.set_defaults(run=_audit)

    table = commands.add_parser("table", help="print one of the report's tables")
    table.add_argument("name", choices=sorted(TABLE_FUNCTIONS), help="which table")
    table.add_argument("--month", required=True, help="report month, YYYY-MM")
    table.add_argument("--format", choices=("text", "csv", "json"), default="text")
    _add_data_arguments(table, demo=True)
    table.set_defaults(run=_table)

    profile = commands.add_parser("config", help="print the profile's JSON Schema, or check a profile file")
    action = profile.add_mutually_exclusive_group(required=True)
    action.add_argument("--schema", action="store_true", help="print the JSON Schema of a profile to stdout")
    action.add_argument("--check", type=Path, metavar="PATH",
                        help="check a TOML profile; lists every problem and exits 2 when there is one")
    profile.set_defaults(run=_config)
    return parser


def _add_data_arguments(parser: argparse.ArgumentParser, *, demo: bool) -> None:
    if demo:
        source = parser.add_mutually_exclusive_group(required=True)
        source.add_argument("--data", type=Path, help="directory of export files (referrals.csv, ...)")
        source.add_argument("--demo", action="store_true", help="use the bundled synthetic demo data")
    else:
        parser.add_argument("--data", type=Path, required=True, help="directory of export files")
    parser.add_argument("--config", type=Path, help="a TOML profile (default: Albuquerque)")
    parser.add_argument("--salt-env", metavar="VAR",
                        help="pseudonymise person ids with the salt held in environment variable VAR")


def _load(args: argparse.Namespace) -> Dataset:
    config = Config.from_toml(args.config) if args.config else Config.default()
    if getattr(args, "demo", False):
        return datasets.demo(config=config)
    salt = None
    if args.salt_env:
        salt = os.environ.get(args.salt_env)
        if not salt:
            raise VipReportError(f"environment variable {args.salt_env} is not set or empty")
    return load(args.data, config=config, salt=salt)


def _validate(args: argparse.Namespace) -> int:
    data = _load(args)
    print(f"{args.data}: valid. {data!r}")
    print(data.quality.to_string(index=False))
    return EXIT_OK


def _build(args: argparse.Namespace) -> int:
    from .report import build_report

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".html", ".htm"):
        raise VipReportError(f"--out must end in .pdf or .html, got {args.out.name!r}")
    month_index(args.month)  # a bad month fails before any data is read
    data = _load(args)
    report = build_report(data, args.month, public=args.public)
    if suffix == ".pdf":
        report.to_pdf(args.out)
    else:
        report.to_html(args.out)
    print(f"wrote {args.out} ({report.month}: {len(report.tables)} tables, {len(report.figures)} charts)")
    for section in report.missing_sections:
        print(f"note: left out {section}", file=sys.stderr)
    return EXIT_OK


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
            where = " ".join(x for x in (f.table, f"row {f.row!r}" if f.row else "", f"[{f.columns}]") if x)
            print(f"{i}. {f.kind} | {f.reports} | {where}\n   {f.values}\n   {f.explanation}\n")
    return EXIT_FINDINGS if len(findings) else EXIT_OK


def _table(args: argparse.Namespace) -> int:
    data = _load(args)
    function: Callable[..., pd.DataFrame] = TABLE_FUNCTIONS[args.name]
    frame = function(data, args.month)
    if args.format == "csv":
        print(frame.to_csv(), end="")
    elif args.format == "json":
        print(frame.to_json(orient="split", indent=2))
    else:
        print(frame.to_string())
    return EXIT_OK


def _config(args: argparse.Namespace) -> int:
    if args.schema:
        print(json.dumps(profile_schema(), indent=2, ensure_ascii=False))
    else:
        Config.from_toml(args.check)  # a ConfigError lists every problem (exit 2, a usage error)
        print(f"{args.check}: a valid profile")
    return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
