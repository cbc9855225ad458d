"""``diff``: which figures changed between two records of a month, by how much, and why.

The cause comes from the records' provenance (``ledger.py``): the input
data's fingerprint, the profile's digest and the package version. Thresholds
follow the practice of "sameness" checks between releases: a change is
flagged only when it is larger than an absolute amount *and* a share of the
old value (``[restatement]`` in the profile), so a late record that moves a
count from 48 to 49 is listed but not flagged, while 7 to 12 is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..config import Config, current_sections
from .document import PublishedReport, read_document

COLUMNS = ["figure", "old", "new", "change", "relative_change", "beyond_threshold", "cause"]


def figures(doc: PublishedReport) -> dict[str, float]:
    """Every figure of a document by its name: ``table[row, column]`` or the scalar's key."""
    out = {key: float(value) for key, value in doc.scalars.items()}
    for name, table in doc.tables.items():
        for row in table.index:
            for column in table.columns:
                out[f"{name}[{row}, {column}]"] = float(table.loc[row, column])
    return out


def diff(
    old: PublishedReport | str | Path, new: PublishedReport | str | Path, *, config: Config | None = None
) -> pd.DataFrame:
    """Every figure that differs between two records, with its size and likely cause.

    Parameters
    ----------
    old, new
        Records (``vipreport build --record``) or any published-figures
        documents, as paths or :class:`PublishedReport` objects. Figures are
        matched by table, row and column, so two reports of different months
        are compared on the months both print.
    config
        Supplies the thresholds (``[restatement]``); default: the new
        record's own profile, else the Albuquerque profile.

    Returns
    -------
    DataFrame
        One row per changed figure: ``figure, old, new, change,
        relative_change, beyond_threshold, cause``. A figure printed in only
        one of the two has NaN for the other. Empty when nothing changed.

    Examples
    --------
    >>> import vipreport as vr
    >>> from vipreport.published import parse_document
    >>> a = parse_document({"report_month": "2024-11", "scalars": {"trc.active_clients": 50}})
    >>> b = parse_document({"report_month": "2024-11", "scalars": {"trc.active_clients": 53}})
    >>> changed = vr.diff(a, b)
    >>> changed.loc[0, "figure"], float(changed.loc[0, "change"]), bool(changed.loc[0, "beyond_threshold"])
    ('trc.active_clients', 3.0, True)
    """
    old_doc = old if isinstance(old, PublishedReport) else read_document(old)
    new_doc = new if isinstance(new, PublishedReport) else read_document(new)
    config = config or _config_of(new_doc) or Config.default()
    before, after = figures(old_doc), figures(new_doc)
    cause = "; ".join(changes_between(old_doc.provenance, new_doc.provenance)) or _no_provenance(old_doc, new_doc)
    rows = []
    for figure in [*before, *(f for f in after if f not in before)]:
        a, b = before.get(figure, np.nan), after.get(figure, np.nan)
        if a == b:
            continue
        change = b - a
        relative = abs(change) / abs(a) if a else (np.inf if change else 0.0)
        beyond = bool(
            np.isnan(change) or (abs(change) > config.restatement_absolute and relative > config.restatement_relative)
        )
        rows.append(
            [
                figure,
                a,
                b,
                change,
                relative,
                beyond,
                cause if not np.isnan(change) else "printed in only one of the two",
            ]
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def changes_between(old: dict[str, Any] | None, new: dict[str, Any] | None) -> list[str]:
    """What differs between two provenances, in words: data, definitions, package.

    Never a value from the records: tables are named with their row counts,
    and the profile's changed keys with their old and new settings.
    """
    if not old or not new:
        return []
    out = []
    data = data_changes(old, new.get("tables", {}))
    if old.get("data_sha256") != new.get("data_sha256"):
        out.append("the data changed (" + (", ".join(data) or "content") + ")")
    # A record written before a section was renamed ([recidivism] -> [success]) has another digest for the
    # same definitions: compare the settings under their current names.
    old_profile, new_profile = (current_sections(p.get("profile") or {}) for p in (old, new))
    keys = profile_changes(old_profile, new_profile)
    renamed_only = bool(old_profile and new_profile and not keys)
    if old.get("profile_sha256") != new.get("profile_sha256") and not renamed_only:
        out.append("the definitions changed (" + (", ".join(keys) or "profile") + ")")
    elif out:
        out.append("the definitions did not")
    if old.get("package") != new.get("package"):
        out.append(f"the package changed ({old.get('package')} to {new.get('package')})")
    if old.get("edition") != new.get("edition"):
        out.append(f"the edition changed ({old.get('edition')} to {new.get('edition')})")
    if not out:
        out.append("neither the data nor the definitions changed")
    return out


def data_changes(old: dict[str, Any], tables: dict[str, Any]) -> list[str]:
    """Tables whose rows differ from a record's, as ``referrals: 1,659 rows then, 1,660 now``."""
    recorded = old.get("tables", {})
    out = []
    for name in sorted(set(recorded) | set(tables)):
        was, now = recorded.get(name), tables.get(name)
        if was is None or now is None:
            out.append(f"{name}: {'added' if was is None else 'absent now'}")
        elif was.get("sha256") != now.get("sha256"):
            rows_was, rows_now = int(was.get("rows", 0)), int(now.get("rows", 0))
            change = (
                f"{rows_was:,} rows then, {rows_now:,} now"
                if rows_was != rows_now
                else f"{rows_now:,} rows, some of them corrected"
            )
            out.append(f"{name}: {change}")
    return out


def profile_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = "") -> list[str]:
    """The profile keys that differ, dotted, with both settings (profiles hold no personal data)."""
    out = []
    for key in sorted(set(old) | set(new)):
        a, b = old.get(key), new.get(key)
        name = f"{prefix}{key}"
        if isinstance(a, dict) and isinstance(b, dict):
            out += profile_changes(a, b, name + ".")
        elif a != b:
            out.append(f"{name}: {_short(a)} to {_short(b)}")
    return out


def _short(value: Any) -> str:
    """A setting as written, or its size when it is too long to read in a sentence."""
    text = repr(value)
    if len(text) <= 60:
        return text
    return f"a list of {len(value)}" if isinstance(value, list) else "a longer value"


def _config_of(doc: PublishedReport) -> Config | None:
    profile = (doc.provenance or {}).get("profile")
    if not profile:
        return None
    try:
        return Config.from_dict(current_sections(profile), source=f"{doc.label} provenance")
    except Exception:  # a record from another package version may carry keys this one lacks
        return None


def _no_provenance(old: PublishedReport, new: PublishedReport) -> str:
    missing = [d.label for d in (old, new) if not d.provenance]
    return f"unknown: {' and '.join(missing)} carries no provenance (not written by build --record)"
