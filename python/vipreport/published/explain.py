"""Why a published figure differs from the same figure computed now: the words shared by the pytest
plugin and ``vipreport reconcile``.

The causes, in the order they are looked for:

1. the published reports disagree among themselves about this table (``audit``),
   so no set of records can reproduce all of them;
2. the figure cannot be computed from these exports (a table or month is missing);
3. from a record's provenance (``build --record``): the records changed since
   it was written (tables with their row counts), the definitions changed
   (profile keys, old and new), or the package changed;
4. without provenance the cause cannot be told apart, and the message says so.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ..config import Config
from .diff import changes_between
from .document import PublishedReport
from .ledger import data_digest, definitions, profile_digest, table_fingerprints

NO_PROVENANCE = (
    "the document carries no provenance, so a change in the records (late entries, corrections) "
    "cannot be told apart from a definition that differs"
)


@dataclass(frozen=True)
class Current:
    """What the figures are computed from now, in the shape of a record's provenance."""

    provenance: dict[str, Any]

    @classmethod
    def of(cls, data: Any, config: Config) -> Current:
        from .. import __version__

        fingerprints = table_fingerprints(data)
        return cls(
            {
                "package": __version__,
                "profile_sha256": profile_digest(config),
                "profile": definitions(config),
                "data_sha256": data_digest(fingerprints),
                "tables": fingerprints,
            }
        )


def explain(doc: PublishedReport, figure: str, note: str, *, disputed: dict[str, str], current: Current) -> str:
    """One sentence or a few, saying why ``figure`` of ``doc`` is not reproduced."""
    table = figure.split("[")[0]
    if table in disputed:
        return disputed[table]
    if note:
        return f"not computable from these exports ({note})"
    if not doc.provenance:
        return NO_PROVENANCE
    recorded = {k: v for k, v in doc.provenance.items() if k != "edition"}
    causes = changes_between(recorded, current.provenance)
    if not any(c.startswith(("the data", "the definitions", "the package")) for c in causes):
        causes.append(
            "the same records and definitions give another number: the record was edited by hand, "
            "or this is a bug to report"
        )
    return "; ".join(causes)


def disputed_tables(findings: pd.DataFrame) -> dict[str, str]:
    """For each table the audit has a finding on, what the finding says, most serious first.

    An error means the published reports contradict each other; a warning,
    that a later report restated the table; a note, that unprinted rows may
    hold a remainder of the size given.
    """
    wording = {
        "error": "the published reports disagree among themselves here",
        "warning": "a later published report restated this table",
        "note": "rows the reports do not print may explain a remainder here",
    }
    out: dict[str, str] = {}
    if findings.empty:
        return out
    rank = {"error": 0, "warning": 1, "note": 2}
    ordered = findings.assign(_rank=findings["severity"].map(rank)).sort_values("_rank", kind="stable")
    for table, severity, explanation in zip(ordered["table"], ordered["severity"], ordered["explanation"], strict=True):
        out.setdefault(str(table), f"{wording[str(severity)]}: {explanation}")
    return out


class ExpectedError(ValueError):
    """The expected-restatements file is malformed; the message names the file and entry."""


def read_expected(path: str | Path | None) -> dict[str, str]:
    """Known restatements, ``{"2024-11::vip.referrals_by_area[Valley, FYTD]": "reason"}``, from a TOML file::

    [[restatement]]
    figure = "2024-11::vip.referrals_by_area[Valley, FYTD]"
    reason = "two referrals entered late, in December"
    """
    if path is None:
        return {}
    path = Path(path)
    try:
        document = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ExpectedError(f"{path}: file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ExpectedError(f"{path}: not valid TOML ({exc})") from None
    problems, out = [], {}
    unknown = sorted(set(document) - {"restatement"})
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)} (only [[restatement]] entries)")
    for i, entry in enumerate(document.get("restatement", []), 1):
        figure, reason = (entry.get("figure"), entry.get("reason")) if isinstance(entry, dict) else (None, None)
        if not isinstance(figure, str) or "::" not in figure or not isinstance(reason, str) or not reason.strip():
            problems.append(f'restatement {i} needs figure = "YYYY-MM::table[row, column]" and a reason')
        else:
            out[figure] = reason
    if problems:
        raise ExpectedError(f"{path}: " + "; ".join(problems))
    return out
