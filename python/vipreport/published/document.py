"""Published reports in the published-figures format (tests/historical/*.json).

One document per published report, with every figure exactly as printed::

    {"report_month": "2023-06", "source": "000_61a809b2a5bb6fc0.txt",
     "scalars": {"vip.success_rate_pct": 94.4},
     "tables": {"vip.referrals_by_area": {
        "columns": ["2023-04", "2023-05", "2023-06", "FYTD"],
        "rows": {"Southeast": [14, 8, 24, 103]}}}}
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..calendar import is_month
from ..errors import VipReportError


class DocumentError(VipReportError, ValueError):
    """A published-figures document breaks the format; the message names the file and the key."""


@dataclass(frozen=True)
class PublishedReport:
    report_month: str
    source: str
    scalars: dict[str, float]
    tables: dict[str, pd.DataFrame]  # rows x columns ("YYYY-MM" months, then "FYTD")
    notes: str = ""
    name: str = field(default="", compare=False)  # the file it came from, for messages
    # What the figures were computed from, in a record written by ``build --record`` (see ledger.py).
    provenance: dict[str, Any] | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.name or self.report_month


def read_document(path: str | Path) -> PublishedReport:
    """Read and check one JSON document; raises :class:`DocumentError` listing every format problem."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise DocumentError(f"{path}: file not found") from None
    except json.JSONDecodeError as exc:
        raise DocumentError(f"{path.name}: not valid JSON ({exc})") from None
    return parse_document(raw, name=path.name)


def parse_document(raw: Any, *, name: str = "document") -> PublishedReport:
    problems: list[str] = []
    if not isinstance(raw, dict):
        raise DocumentError(f"{name}: the top level must be an object")
    allowed = {"report_month", "source", "notes", "scalars", "tables", "provenance"}
    for key in sorted(set(raw) - allowed):
        problems.append(f"unknown key {key!r} (allowed: {', '.join(sorted(allowed))})")
    month = raw.get("report_month")
    if not is_month(month):
        problems.append(f"report_month must be 'YYYY-MM', got {month!r}")
    if not isinstance(raw.get("source", ""), str):
        problems.append("source must be a string")
    provenance = raw.get("provenance")
    if provenance is not None and not (
        isinstance(provenance, dict)
        and isinstance(provenance.get("tables", {}), dict)
        and isinstance(provenance.get("profile", {}), dict)
    ):
        problems.append("provenance must be an object (see docs/testing-your-numbers.md)")
        provenance = None
    scalars = raw.get("scalars", {})
    if not isinstance(scalars, dict):
        problems.append("scalars must be an object of name -> number")
        scalars = {}
    for key, value in scalars.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            problems.append(f"scalars.{key} must be a number of zero or more, got {value!r}")
    tables = {}
    raw_tables = raw.get("tables", {})
    if not isinstance(raw_tables, dict):
        problems.append("tables must be an object of name -> {columns, rows}")
        raw_tables = {}
    for table_name, table in raw_tables.items():
        where = f"tables.{table_name}"
        if not isinstance(table, dict) or set(table) != {"columns", "rows"}:
            problems.append(f"{where} must have exactly the keys 'columns' and 'rows'")
            continue
        columns, rows = table["columns"], table["rows"]
        if not isinstance(columns, list) or not columns:
            problems.append(f"{where}.columns must be a non-empty list")
            continue
        for column in columns:
            if column != "FYTD" and not is_month(column):
                problems.append(f"{where}.columns: {column!r} is neither 'YYYY-MM' nor 'FYTD'")
        if len(set(columns)) != len(columns):
            problems.append(f"{where}.columns repeat a column")
        if not isinstance(rows, dict):
            problems.append(f"{where}.rows must be an object of row name -> list of numbers")
            continue
        for row, values in rows.items():
            if not isinstance(values, list) or len(values) != len(columns):
                problems.append(f"{where}.rows.{row} must list {len(columns)} values, one per column")
            elif not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values):
                problems.append(f"{where}.rows.{row} must hold whole numbers of zero or more")
        if not problems:
            tables[table_name] = pd.DataFrame.from_dict(rows, orient="index", columns=columns).astype("int64")
    if problems:
        raise DocumentError(f"{name}: " + "; ".join(problems))
    return PublishedReport(
        str(month),
        raw.get("source", ""),
        {k: float(v) for k, v in scalars.items()},
        tables,
        raw.get("notes", ""),
        name,
        provenance,
    )


def read_documents(paths: Iterable[PublishedReport | str | Path]) -> list[PublishedReport]:
    return [p if isinstance(p, PublishedReport) else read_document(p) for p in paths]
