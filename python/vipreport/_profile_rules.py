"""The rules of a profile that relate one key to another, which a JSON Schema cannot state.

Each rule reads the whole (merged) profile document and skips any value of
the wrong type: the schema already reports that one, and a rule must not
add a second, confusing message about it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import string
from collections.abc import Callable
from typing import Any

from ._profile import ConfigProblem, key_path
from .schema import TABLES


def category_key(text: str) -> str:
    """The form in which category spellings are compared: case, spaces, dots and hyphens ignored."""
    return re.sub(r"[\s.\-_]+", "", str(text)).casefold()


def relation_problems(document: dict[str, Any]) -> list[ConfigProblem]:
    """Every broken relation between keys of a full profile document."""
    found: list[ConfigProblem] = []
    for rule in _RULES:
        found.extend(rule(document))
    return found


def _get(document: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(document, dict):
            return None
        document = document.get(part)
    return document


def _names(document: Any, dotted: str) -> list[str] | None:
    value = _get(document, dotted)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _near_duplicates(document: dict[str, Any]) -> list[ConfigProblem]:
    """Two spellings of one category ("Self-Referral", "self referral") in one list."""
    found = []
    for dotted in (
        "areas.commands",
        "referrals.sources",
        "referrals.programs",
        "services.types",
        "services.statuses",
        "services.programs",
        "engagement.statuses",
        "offenses.violent",
        "offenses.nonviolent",
        "trc.sources",
        "cora.incident_types",
    ):
        names = _names(document, dotted) or []
        first: dict[str, str] = {}
        for name in names:
            other = first.setdefault(category_key(name), name)
            if other != name:  # exact repeats are the schema's uniqueItems
                found.append(
                    ConfigProblem(
                        dotted, f"{other!r} and {name!r} are the same name (case, spaces, dots and hyphens are ignored)"
                    )
                )
    return found


def _aliases(document: dict[str, Any]) -> list[ConfigProblem]:
    commands, missing = _names(document, "areas.commands"), _get(document, "areas.missing")
    aliases = _get(document, "areas.aliases")
    if not commands or not isinstance(missing, str) or not isinstance(aliases, dict):  # no areas: the schema's
        return []
    areas = {category_key(a) for a in (*commands, missing)}
    return [
        ConfigProblem(
            key_path(["areas", "aliases", alias]),
            f"maps to {target!r}, which is neither in areas.commands nor areas.missing",
        )
        for alias, target in aliases.items()
        if isinstance(target, str) and category_key(target) not in areas
    ]


def _engagement(document: dict[str, Any]) -> list[ConfigProblem]:
    statuses, known = _names(document, "engagement.statuses"), _names(document, "services.statuses")
    if statuses is None or not known:  # no statuses at all is the schema's to report
        return []
    return [
        ConfigProblem("engagement.statuses", f"{s!r} is not one of services.statuses")
        for s in statuses
        if s not in known
    ]


def _offenses(document: dict[str, Any]) -> list[ConfigProblem]:
    violent, nonviolent = _names(document, "offenses.violent"), _names(document, "offenses.nonviolent")
    if violent is None or nonviolent is None:
        return []
    both = sorted({category_key(o) for o in violent} & {category_key(o) for o in nonviolent})
    return [ConfigProblem("offenses", f"listed as both violent and nonviolent: {both}")] if both else []


def _age_groups(document: dict[str, Any]) -> list[ConfigProblem]:
    groups = document.get("age_groups")
    if not isinstance(groups, list):
        return []
    found, bands = [], []
    for i, group in enumerate(groups):
        if not isinstance(group, dict):
            continue
        lo, hi, label = _int(group.get("min")), _int(group.get("max")), group.get("label")
        name = repr(label) if isinstance(label, str) else f"entry {i}"
        if lo is None or hi is None:
            continue
        if lo > hi:
            found.append(ConfigProblem(key_path(["age_groups", i]), f"{name} has min {lo} above max {hi}"))
        else:
            bands.append((lo, hi, name))
    bands.sort()
    for (_, a_hi, a), (b_lo, _, b) in itertools.pairwise(bands):
        if b_lo <= a_hi:
            found.append(ConfigProblem("age_groups", f"{a} and {b} overlap (ages {b_lo} to {a_hi} are in both)"))
    labels: list[str] = [g["label"] for g in groups if isinstance(g, dict) and isinstance(g.get("label"), str)]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        found.append(ConfigProblem("age_groups", f"two bands are labelled {label!r}"))
    return found


def _publication(document: dict[str, Any]) -> list[ConfigProblem]:
    lo, hi = _int(_get(document, "publication.suppress_min")), _int(_get(document, "publication.suppress_max"))
    if lo is not None and hi and hi < lo:
        return [ConfigProblem("publication", "suppress_max is below suppress_min (use 0 to suppress nothing)")]
    return []


def _dates(document: dict[str, Any]) -> list[ConfigProblem]:
    try:
        first = dt.date.fromisoformat(_get(document, "validation.earliest_date"))
        last = dt.date.fromisoformat(_get(document, "validation.latest_date"))
    except (TypeError, ValueError):  # not dates: the schema says so
        return []
    if first >= last:
        return [ConfigProblem("validation.latest_date", "must be after validation.earliest_date")]
    return []


def _reading(document: dict[str, Any]) -> list[ConfigProblem]:
    """The export reader's keys: a real time zone, file patterns and database sources of known tables."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    found = []
    zone = _get(document, "timezone")
    if isinstance(zone, str):  # otherwise the schema says so
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            found.append(ConfigProblem("timezone", f"{zone!r} is not an IANA time zone (such as 'America/Denver')"))
    patterns = _get(document, "files.patterns")
    for table in sorted(set(patterns or {}) - set(TABLES)) if isinstance(patterns, dict) else ():
        found.append(
            ConfigProblem(
                key_path(["files", "patterns", table]), f"{table!r} is not a table; tables are {', '.join(TABLES)}"
            )
        )
    sql = {part: _get(document, f"sql.{part}") for part in ("tables", "queries")}
    for part, named in sql.items():
        for table in sorted(set(named or {}) - set(TABLES)) if isinstance(named, dict) else ():
            found.append(
                ConfigProblem(
                    key_path(["sql", part, table]), f"{table!r} is not a table; tables are {', '.join(TABLES)}"
                )
            )
    if isinstance(sql["tables"], dict) and isinstance(sql["queries"], dict):
        for table in sorted(set(sql["tables"]) & set(sql["queries"])):
            found.append(
                ConfigProblem(
                    key_path(["sql", "tables", table]), "is given both a table and a query (sql.queries); keep one"
                )
            )
    return found


def _words(document: dict[str, Any]) -> list[ConfigProblem]:
    """The success sentence names exactly its two fields; the brand colour carries white text legibly."""
    found = []
    sentence = _get(document, "text.success_sentence")
    if isinstance(sentence, str):
        try:
            fields = {name for _, name, _, _ in string.Formatter().parse(sentence) if name is not None}
        except ValueError:
            fields = {"?"}
        if fields != {"rate", "period"}:
            found.append(
                ConfigProblem(
                    "text.success_sentence",
                    "must contain {rate} and {period}, and no other {...} field (write {{ and }} for a brace)",
                )
            )
    colour = _get(document, "branding.colour")
    if isinstance(colour, str) and len(colour) == 7 and colour.startswith("#"):
        ratio = _contrast_with_white(colour)
        if ratio < 4.5:
            found.append(
                ConfigProblem(
                    "branding.colour",
                    f"white text on it has a contrast ratio of {ratio:.1f}; "
                    "WCAG 2.1 AA needs 4.5 or more: choose a darker colour",
                )
            )
    return found


def _contrast_with_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio of white on ``#RRGGBB``."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


_RULES: tuple[Callable[[dict[str, Any]], list[ConfigProblem]], ...] = (
    _near_duplicates,
    _aliases,
    _engagement,
    _offenses,
    _age_groups,
    _publication,
    _dates,
    _reading,
    _words,
)
