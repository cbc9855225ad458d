"""Finding each table's files in a data folder, named the way systems name their exports.

A file belongs to a table when its name, compared ignoring case (spaces and
hyphens read as underscores), is the table's name or starts with
``<table>_export``, ``<table>_<date>``, or matches one of the profile's
patterns (``files.patterns``, case-insensitive globs). The readable kinds
are ``.csv``, ``.csv.gz``, ``.zip`` (its CSV members), ``.parquet``, a folder
of Parquet parts (hive partitions such as ``year=2024/`` included) and
``.xlsx`` (a workbook named for a table, or one sheet per table named for
it). Several files for one table: the newest by the date in the name, or all
of them (``files.choose``). Files that match no table are listed, so
``validate`` can warn about them.
"""

from __future__ import annotations

import fnmatch
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..config import Config
from ..errors import Problem
from ..schema import TABLES

KINDS = ((".csv.gz", "csv"), (".csv", "csv"), (".zip", "zip"), (".parquet", "parquet"), (".xlsx", "excel"))
OTHER_FILES = ("activities.md", "activities.txt")
_DATE = re.compile(r"(\d{4})[-_]?(\d{2})(?:[-_]?(\d{2}))?")


@dataclass(frozen=True)
class TableFile:
    """One source of a table's rows: a file, a zip member, a workbook sheet or a Parquet folder."""

    path: Path
    kind: str  # csv, parquet or excel
    member: str | None = None  # a CSV inside a zip
    sheet: str | None = None  # a sheet of a workbook holding several tables

    @property
    def name(self) -> str:
        inner = self.member or self.sheet
        return f"{self.path.name}[{inner}]" if inner else self.path.name

    @property
    def date(self) -> str:
        """The date in the name (YYYYMMDD, or YYYYMM), or '' when there is none."""
        found = _DATE.findall(self.member or self.path.name)
        return "".join(found[-1]) if found else ""


@dataclass
class Found:
    tables: dict[str, list[TableFile]] = field(default_factory=dict)
    unmatched: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _kind(name: str) -> tuple[str, str] | None:
    lower = name.lower()
    for suffix, kind in KINDS:
        if lower.endswith(suffix):
            return name[: -len(suffix)], kind
    return None


def table_of(stem: str, file_name: str, config: Config) -> str | None:
    """The table a file name belongs to, or None."""
    key = re.sub(r"[\s\-]+", "_", stem.strip().lower())
    lower = file_name.lower()
    for table, globs in config.file_patterns.items():
        if any(fnmatch.fnmatchcase(lower, g.lower()) for g in globs):
            return table
    for table in sorted(TABLES, key=len, reverse=True):  # trc_referrals before referrals
        if key == table or re.fullmatch(rf"{table}_(export(_.*)?|\d{{4}}_?\d{{2}}.*)", key):
            return table
    return None


def find_table_files(directory: Path, config: Config) -> Found:
    found = Found()
    for path in sorted(directory.iterdir()):
        if path.name.startswith(".") or path.name.lower() in OTHER_FILES:
            continue
        if path.is_dir():
            table = table_of(path.name, path.name, config)
            if table and any(path.rglob("*.parquet")):
                found.tables.setdefault(table, []).append(TableFile(path, "parquet"))
            else:
                found.unmatched.append(path.name + "/")
            continue
        kind = _kind(path.name)
        table = table_of(kind[0], path.name, config) if kind else None
        if kind and kind[1] == "zip":
            _zip_members(path, table, config, found)
        elif kind and kind[1] == "excel" and table is None:
            _sheets(path, config, found)
        elif kind and table:
            found.tables.setdefault(table, []).append(TableFile(path, kind[1]))
        else:
            found.unmatched.append(path.name)
    for table, files in list(found.tables.items()):
        found.tables[table] = _choose(table, files, config, found.problems)
    return found


def _zip_members(path: Path, table: str | None, config: Config, found: Found) -> None:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.lower().endswith(".csv") and not m.endswith("/")]
    matched = False
    for member in members:
        inner = table_of(Path(member).name[:-4], Path(member).name, config)
        inner = inner or (table if len(members) == 1 else None)
        if inner:
            found.tables.setdefault(inner, []).append(TableFile(path, "csv", member=member))
            matched = True
    if not matched:
        found.unmatched.append(path.name)


def _sheets(path: Path, config: Config, found: Found) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(path, read_only=True)
    names = list(workbook.sheetnames)
    workbook.close()
    matched = False
    for sheet in names:
        table = table_of(sheet, sheet, config)
        if table:
            found.tables.setdefault(table, []).append(TableFile(path, "excel", sheet=sheet))
            matched = True
    if not matched:
        found.unmatched.append(path.name)


def _choose(table: str, files: list[TableFile], config: Config, problems: list[Problem]) -> list[TableFile]:
    if len(files) == 1:
        return files
    ordered = sorted(files, key=lambda f: (f.date, f.name))
    if config.file_choice == "all":
        return ordered
    dates = [f.date for f in ordered]
    if all(dates) and dates[-1] != dates[-2]:
        return ordered[-1:]
    problems.append(
        Problem(
            table,
            None,
            None,
            f"{len(files)} files for one table ({', '.join(f.name for f in files)})"
            f" and no newer date in their names to choose by; keep one, or set "
            f'files.choose = "all" in the profile',
            rule="duplicate_table_file",
        )
    )
    return []
