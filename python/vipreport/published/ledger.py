"""The ledger: what a built report printed, recorded beside it so later runs can be checked against it.

A record is a published-figures document (see ``document.py``) with one more
key, ``provenance``, that says what the figures were computed from::

    "provenance": {
      "as_of": "2024-11-30",              # the day the report's rates are as of
      "data_as_of": null,                 # the export date, when it was given
      "package": "0.1.0",                 # the vipreport version that computed them
      "edition": "internal",              # or "public"
      "profile_sha256": "...",            # the definitions: sha256 of the profile without its words
      "profile": {...},                   # ... and those definitions, to name what changed
      "data_sha256": "...",               # the input: sha256 of every table's fingerprint
      "tables": {"referrals": {"rows": 1659, "sha256": "..."}, ...},
      "figure_rows": {"vip.engagement_rate_pct": {"numerator": 11, "denominator": 30}},
      "suppressed": ["vip.referrals_by_area[Valley, 2024-11]"]
    }

Fingerprints are order-free (a re-export that lists the same rows in another
order has the same fingerprint) and hold no value: they are hashes of
row hashes, so no identifier or date can be read back from them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..calendar import month_end, month_index
from ..config import Config
from .document import PublishedReport
from .printed import printed_key, printed_scalars

if TYPE_CHECKING:
    from ..io.dataset import Dataset
    from ..report.model import Report

_MONTH_COLUMN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# The profile's presentation: words, and whether a missing page is warned about. They change what a
# report says, never a figure, so they are not definitions.
PRESENTATION = (
    "name",
    "program_name",
    "department",
    "short_name",
    "branding",
    "text",
    "areas.label",
    "trc.title",
    "trc.description",
    "trc.services",
    "trc.required",
    "cora.title",
    "cora.description",
    "cora.required",
    "oep.title",
    "oep.description",
    "oep.required",
)


def definitions(config: Config) -> dict[str, Any]:
    """The profile as data, without its presentation (``PRESENTATION``): what the figures depend on."""
    document = config.to_dict()
    for key in PRESENTATION:
        *tables, last = key.split(".")
        node = document
        for table in tables:
            node = node.get(table, {})
        node.pop(last, None)
    return document


def profile_digest(config: Config) -> str:
    """sha256 of the definitions' canonical JSON: equal digests mean equal definitions."""
    return hashlib.sha256(_canonical(definitions(config)).encode()).hexdigest()


def table_fingerprints(data: Dataset) -> dict[str, dict[str, Any]]:
    """Rows and an order-free sha256 of each loaded table."""
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(data.tables):
        frame = data.tables[name]
        rows = np.sort(pd.util.hash_pandas_object(frame, index=False).to_numpy(dtype=np.uint64))
        digest = hashlib.sha256(np.ascontiguousarray(rows).tobytes())
        digest.update(_canonical(list(map(str, frame.columns))).encode())
        out[name] = {"rows": len(frame), "sha256": digest.hexdigest()}
    return out


def data_digest(fingerprints: dict[str, dict[str, Any]]) -> str:
    return hashlib.sha256(_canonical(fingerprints).encode()).hexdigest()


def record_document(report: Report, data: Dataset, *, data_as_of: dt.date | None = None) -> dict[str, Any]:
    """The published-figures document of ``report``, with its provenance.

    Every table printed by month and FYTD, and every headline number, is
    recorded. In the public edition, a cell the page hides is still recorded
    (the ledger is an internal file, kept with the records) and listed in
    ``provenance.suppressed``, so a comparison knows it was never printed.
    """
    from .. import __version__

    tables: dict[str, Any] = {}
    suppressed: list[str] = []
    for name, table in report.tables.items():
        if not _printed_by_month(table) or name in NOT_RECORDED:
            continue
        columns = [str(c) for c in table.columns]
        rows = zip(table.index, table.to_numpy(), strict=True)
        tables[name] = {"columns": columns, "rows": {str(row): [int(v) for v in values] for row, values in rows}}
        mask = report.masks.get(name)
        if mask is not None:
            suppressed += [
                f"{name}[{row}, {column}]"
                for row in mask.index
                for column in mask.columns
                if bool(mask.loc[row, column])
            ]
    # Headline rates are recorded as the format prints them: vip.success_rate_pct, a percent (see printed.py).
    scalars = {key: _number(value) for key, value in printed_scalars(report).items() if _number(value) is not None}
    suppressed += sorted(printed_key(k) for k in report.hidden_scalars if printed_key(k) in scalars)
    fingerprints = table_fingerprints(data)
    last_day = month_end(month_index(report.month)).date()
    return {
        "report_month": report.month,
        "source": f"vipreport {__version__} build",
        "scalars": scalars,
        "tables": tables,
        "provenance": {
            "as_of": last_day.isoformat(),
            "data_as_of": data_as_of.isoformat() if data_as_of else None,
            "package": __version__,
            "edition": "public" if report.public else "internal",
            "profile_sha256": profile_digest(report.config),
            "profile": definitions(report.config),
            "data_sha256": data_digest(fingerprints),
            "tables": fingerprints,
            "figure_rows": _figure_rows(report),
            "suppressed": suppressed,
        },
    }


def write_record(report: Report, data: Dataset, directory: str | Path, *, data_as_of: dt.date | None = None) -> Path:
    """Write ``<directory>/<month>.json`` (replacing an earlier record of the month) and return its path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{report.month}.json"
    document = record_document(report, data, data_as_of=data_as_of)
    temporary = path.with_suffix(".json.partial")
    temporary.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", "utf-8")
    temporary.replace(path)
    return path


def restatements(
    path: str | Path, *, replaced: PublishedReport | None = None, config: Config | None = None
) -> list[str]:
    """Warnings for figures of earlier months that the record at ``path`` prints differently.

    Compared: the record it replaced (same month), and every other record in
    its folder on the months both print (a month's count is one number in any
    report; FYTD and headline numbers belong to their own month and are not
    compared across months). Only changes beyond the profile's
    ``[restatement]`` thresholds are returned.
    """
    from .diff import diff
    from .document import read_document

    path = Path(path)
    new = read_document(path)
    out = []
    if replaced is not None:
        changed = diff(replaced, new, config=config)
        flagged = changed[changed["beyond_threshold"]]
        if len(flagged):
            out.append(
                f"{new.report_month}: {len(flagged)} figure(s) differ from the record this build replaced, "
                f"beyond the threshold ({', '.join(flagged['figure'][:5])}"
                f"{', ...' if len(flagged) > 5 else ''}); cause: {flagged['cause'].iloc[0]}"
            )
    for other_path in sorted(path.parent.glob("*.json")):
        if other_path == path:
            continue
        try:
            other = read_document(other_path)
        except Exception:  # not a record: the folder may hold other JSON files
            continue
        changed = diff(_months_only(other), _months_only(new), config=config)
        flagged = changed[changed["beyond_threshold"] & changed["old"].notna() & changed["new"].notna()]
        if len(flagged):
            out.append(
                f"{new.report_month} restates {len(flagged)} figure(s) recorded in {other_path.name} "
                f"beyond the threshold ({', '.join(flagged['figure'][:5])}"
                f"{', ...' if len(flagged) > 5 else ''}); cause: {flagged['cause'].iloc[0]}"
            )
    return out


def _months_only(doc: PublishedReport) -> PublishedReport:
    tables = {name: t[[c for c in t.columns if c != "FYTD"]] for name, t in doc.tables.items()}
    return dataclasses.replace(doc, scalars={}, tables={n: t for n, t in tables.items() if t.shape[1]})


# Tables of months and FYTD that the published reports do not print as a table: the notifications are drawn in a
# chart, and their FYTD persons are distinct persons, not the sum of the months that audit expects of a FYTD.
NOT_RECORDED = frozenset({"vip.custom_notifications"})


def _printed_by_month(table: pd.DataFrame) -> bool:
    """A count table laid out like the published ones: month columns and FYTD, whole numbers."""
    columns = list(table.columns)
    if not columns or not all(isinstance(c, str) and (c == "FYTD" or _MONTH_COLUMN.match(c)) for c in columns):
        return False
    return all(pd.api.types.is_integer_dtype(t) for t in table.dtypes) and bool((table.to_numpy() >= 0).all())


def _figure_rows(report: Report) -> dict[str, dict[str, int]]:
    """The persons behind each headline rate: cheap to keep, and what a restatement changes first."""
    out: dict[str, dict[str, int]] = {}
    engagement = report.tables.get("vip.engagement")
    if engagement is not None and len(engagement) and {"engaged", "notified"} <= set(engagement.columns):
        row = engagement.iloc[-1]
        out["vip.engagement_rate_pct"] = {"numerator": int(row["engaged"]), "denominator": int(row["notified"])}
    methods = report.tables.get("vip.success_methods")
    if methods is not None and len(methods) and {"persons", "failures"} <= set(methods.columns):
        row = methods.iloc[0]
        persons, failures = int(row["persons"]), int(row["failures"])
        out["vip.success_rate_pct"] = {"numerator": persons - failures, "denominator": persons}
    return out


def _number(value: object) -> float | int | None:
    if value is None or isinstance(value, bool):
        return None
    number = float(value)  # type: ignore[arg-type]
    if not np.isfinite(number):
        return None
    return int(number) if number.is_integer() and isinstance(value, (int, np.integer)) else number


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
