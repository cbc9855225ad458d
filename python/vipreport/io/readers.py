"""Reading export files (CSV, Parquet, Excel) into raw DataFrames."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .schema import TABLES

SUFFIXES = (".csv", ".parquet", ".xlsx", ".xls")


@dataclass
class RawTable:
    """A table as read from disk, before validation."""

    frame: pd.DataFrame
    source: str
    notes: list[tuple[str, int]] = field(default_factory=list)  # (recoding reason, rows)


def find_table_files(directory: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map each known table name to its file in ``directory``; two files for one table is a problem."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUFFIXES:
            continue
        name = path.stem.lower()
        if name not in TABLES:
            continue
        if name in found:
            problems.append(Problem(name, None, None,
                                    f"two files for one table: {found[name].name} and {path.name}"))
            continue
        found[name] = path
    return found, problems


def read_table_file(name: str, path: Path) -> RawTable:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix == ".parquet":
        return RawTable(pd.read_parquet(path), path.name)
    return RawTable(pd.read_excel(path, dtype=object), path.name)


def _read_csv(path: Path) -> RawTable:
    notes: list[tuple[str, int]] = []
    options = dict(dtype=str, keep_default_na=False, na_values=[], skipinitialspace=True)
    if path.stat().st_size == 0:
        return RawTable(pd.DataFrame(), path.name, notes)
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", **options)
    except UnicodeDecodeError:
        # Exports from older Windows tools arrive in cp1252/Latin-1; decode
        # them as such and say so, rather than fail or garble silently.
        frame = pd.read_csv(path, encoding="cp1252", encoding_errors="replace", **options)
        notes.append(("file decoded as Windows-1252 (not UTF-8)", len(frame)))
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame()
    return RawTable(frame, path.name, notes)
