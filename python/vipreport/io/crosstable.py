"""Data-quality rules across rows and tables, each with an action from the profile's ``[rules]``.

The rules run on the typed tables after person keys are assigned, in a fixed
order (``ORDER``); each sees only the rows that the rules before it kept, so a
row is counted under one rule at most once and dropped at most once. Every
rule is a handful of NumPy passes over int64 person keys and day numbers: a
person's facts (death day, has a referral, ...) go into an array indexed by
the person key, and each row looks its person up with one ``take``.

A rule's action is ``error`` (the load fails, every row is listed by table,
file, line and column, never by value), ``exclude`` (the rows are dropped and
counted: quality action ``dropped``) or ``keep`` (kept and counted: ``kept``).
Why each default is what it is: docs/loading.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import _core
from ..errors import Problem
from ..schema import EVENT_DATE

Locate = Callable[[np.ndarray], list[tuple[int, str | None, int | None]]]  # frame rows -> (row, file, line)
ACTIONS = ("error", "exclude", "keep")
QUALITY_ACTION = {"exclude": "dropped", "keep": "kept", "error": "error"}
LISTED_PER_RULE = 200  # rows listed per rule and table; the rest are counted in one line

# What each rule catches, as the quality summary and messages say it (no value is ever quoted).
DESCRIPTIONS: dict[str, str] = {
    "exact_duplicate": "exact duplicate of an earlier row",
    "event_after_as_of": "dated after the date the exports were taken",
    "event_after_death": "dated after the person's recorded death",
    "near_duplicate": "same person, date and type as an earlier row",
    "conflicting_birth_date": "the person's notifications give different birth dates",
    "notification_without_referral": "notification for a person with no referral",
    "never_notified": "for a person never notified",
}
# The order the rules run in: impossibilities first, then duplicates, then links between tables.
ORDER = (
    "event_after_as_of",
    "event_after_death",
    "near_duplicate",
    "conflicting_birth_date",
    "notification_without_referral",
    "never_notified",
)
# The program's own person tables: a death ends the events they record.
PERSON_EVENTS = ("referrals", "notifications", "services", "enrollments", "incidents")
# Near duplicates: the same person, the same value in each of these columns (a date first).
NEAR_KEYS: dict[str, tuple[str, ...]] = {
    "referrals": ("referral_date", "source"),
    "notifications": ("notification_date",),
    # A service's status is part of its type: "requested" then "connected" on one day is progress, not a repeat.
    "services": ("service_date", "service_type", "status"),
    "enrollments": ("start_date",),
    "incidents": ("incident_date", "violent"),
    "deaths": ("death_date",),
    "trc_referrals": ("referral_date", "source"),
    "oep_referrals": ("referral_date",),
}
NEVER_NOTIFIED = ("services", "incidents")


def quality_reason(rule: str) -> str:
    """The quality summary's reason for a rule: its stable name, then what it catches."""
    return f"{rule}: {DESCRIPTIONS[rule]}"


@dataclass
class Outcome:
    """The tables after the rules, the quality rows (table, action, reason, rows) and the problems."""

    tables: dict[str, pd.DataFrame]
    quality: list[tuple[str, str, str, int]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def apply_rules(
    tables: Mapping[str, pd.DataFrame],
    *,
    actions: Mapping[str, str],
    as_of: dt.date,
    locate: Mapping[str, Locate],
    births: Mapping[str, np.ndarray],
    exact: Mapping[str, np.ndarray] | None = None,
) -> Outcome:
    """Run every rule of ``ORDER`` on ``tables`` with the profile's ``actions``.

    Parameters
    ----------
    tables
        Typed tables with ``person_key`` (int64, -1 for a blank id) where a person is named.
    actions
        Rule name -> ``"error"``, ``"exclude"`` or ``"keep"``.
    as_of
        The date the exports were taken: a later event date breaks ``event_after_as_of``.
    locate
        Per table: frame row positions -> (file row, file, physical line), for messages.
    births
        ``"notifications"`` -> its birth dates (datetime64, NaT when blank), when the table had them.
    exact
        Per table, the exact duplicates that ``exact_duplicate = "keep"`` left in: they are counted
        under that rule, so they are not counted again as near duplicates.
    """
    run = _Run(dict(tables), actions, locate)
    size = 1 + max((int(f["person_key"].max()) for f in tables.values() if "person_key" in f and len(f)), default=-1)
    as_of_day = (as_of - dt.date(1970, 1, 1)).days
    for name in run.tables:
        if name in EVENT_DATE:
            run.flag("event_after_as_of", name, EVENT_DATE[name], run.days(name, EVENT_DATE[name]) > as_of_day)
    if "deaths" in run.tables:
        death = np.full(size, np.iinfo(np.int64).max)
        key = run.key("deaths")
        dated = (key >= 0) & ~np.isnat(run.tables["deaths"]["death_date"].to_numpy())  # a blank is no death day
        np.minimum.at(death, key[dated], run.days("deaths", "death_date")[dated])
        for name in PERSON_EVENTS:
            if name in run.tables:
                key = run.key(name)
                after = (key >= 0) & (run.days(name, EVENT_DATE[name]) > death[np.maximum(key, 0)])
                run.flag("event_after_death", name, EVENT_DATE[name], after)
    for name, columns in NEAR_KEYS.items():
        if name in run.tables and all(c in run.tables[name] for c in ("person_key", *columns)):
            near = _near_duplicates(run, name, columns)
            if exact and name in exact:
                near &= ~exact[name]
            run.flag("near_duplicate", name, "person_id", near)
    if "notifications" in run.tables and births.get("notifications") is not None:
        run.flag(
            "conflicting_birth_date",
            "notifications",
            "birth_date",
            _conflicting(run, "notifications", births["notifications"], size),
        )
    if "notifications" in run.tables and "referrals" in run.tables:
        referred = _present(run, "referrals", size)
        key = run.key("notifications")
        run.flag(
            "notification_without_referral", "notifications", "person_id", (key >= 0) & ~referred[np.maximum(key, 0)]
        )
    if "notifications" in run.tables:
        notified = _present(run, "notifications", size)
        for name in NEVER_NOTIFIED:
            if name in run.tables:
                key = run.key(name)
                run.flag("never_notified", name, "person_id", (key >= 0) & ~notified[np.maximum(key, 0)])
    return run.finish()


class _Run:
    """The tables and, per table, which rows the rules so far have kept (``alive``)."""

    def __init__(
        self, tables: dict[str, pd.DataFrame], actions: Mapping[str, str], locate: Mapping[str, Locate]
    ) -> None:
        self.tables = tables
        self.actions = actions
        self.locate = locate
        self.alive = {name: np.ones(len(frame), bool) for name, frame in tables.items()}
        self.outcome = Outcome({})
        self._days: dict[tuple[str, str], np.ndarray] = {}

    def key(self, name: str) -> np.ndarray:
        """The person keys of the rows still kept (-1 for a blank id, and for every row dropped so far)."""
        key = np.asarray(self.tables[name]["person_key"], np.int64)
        alive = self.alive[name]
        return key if alive.all() else np.where(alive, key, -1)

    def days(self, name: str, column: str) -> np.ndarray:
        """A date column as int64 day numbers (since 1970); a blank date is far in the past, so it breaks no rule."""
        if (name, column) not in self._days:
            values = self.tables[name][column].to_numpy()
            unit, count = np.datetime_data(values.dtype)
            per_day = np.timedelta64(1, "D") // np.timedelta64(count, unit)  # type: ignore[call-overload]
            # One integer division of the stored ticks (floor, so a time of day stays on its day); a blank
            # (NaT, the smallest int64) stays the smallest day, before every other.
            self._days[name, column] = values.view(np.int64) // per_day
        return self._days[name, column]

    def flag(self, rule: str, name: str, column: str, mask: np.ndarray) -> None:
        """Rows of ``name`` that break ``rule``: listed, dropped or kept by the rule's action; counted."""
        mask = mask & self.alive[name]
        count = int(mask.sum())
        if not count:
            return
        action = self.actions.get(rule, "keep")
        self.outcome.quality.append((name, QUALITY_ACTION[action], quality_reason(rule), count))
        if action == "exclude":
            self.alive[name] &= ~mask
        elif action == "error":
            self.outcome.problems += problems(name, rule, column, np.flatnonzero(mask), self.locate.get(name))

    def finish(self) -> Outcome:
        for name, frame in self.tables.items():
            alive = self.alive[name]
            self.outcome.tables[name] = frame if alive.all() else frame[alive].reset_index(drop=True)
        return self.outcome


def problems(name: str, rule: str, column: str | None, rows: np.ndarray, locate: Locate | None) -> list[Problem]:
    """One problem per row (at most ``LISTED_PER_RULE``, then one line counting the rest), by place only."""
    message = f"{DESCRIPTIONS[rule]} (rule {rule})"
    shown = rows[:LISTED_PER_RULE]
    places = locate(shown) if locate is not None else [(int(r) + 1, None, None) for r in shown]
    found = [Problem(name, row, column, message, rule=rule, file=file, line=line) for row, file, line in places]
    if len(rows) > LISTED_PER_RULE:
        more = len(rows) - LISTED_PER_RULE
        found.append(
            Problem(name, None, column, f"{more:,} more rows break rule {rule} (not listed)", rule=rule, count=more)
        )
    return found


def _present(run: _Run, name: str, size: int) -> np.ndarray:
    """Per person key: does ``name`` hold a kept row for them?"""
    present = np.zeros(size, bool)
    key = run.key(name)
    present[key[key >= 0]] = True
    return present


def _near_duplicates(run: _Run, name: str, columns: tuple[str, ...]) -> np.ndarray:
    """Rows whose (person, date, type...) equals an earlier kept row's; rows without an id are never flagged.

    The values are packed into one int64 (person key, day offset and type code in bit fields) when they
    fit, which they do for any real export; else the columns are compared as a frame.
    """
    frame = run.tables[name]
    key = run.key(name)
    out = np.zeros(len(key), bool)
    named = key >= 0
    if not named.any():
        return out
    # Only a person with two or more rows can have a near duplicate: one bincount finds them, and the
    # hash table below sees only their rows (a minority in most tables).
    several = np.bincount(key[named])[np.where(named, key, 0)] > 1
    rows = np.flatnonzero(named & several)
    parts = [key[rows], run.days(name, columns[0])[rows]]
    for column in columns[1:]:
        values = frame[column]
        codes = (
            np.asarray(values.cat.codes, np.int64)
            if isinstance(values.dtype, pd.CategoricalDtype)
            else np.asarray(values, np.int64)
        )
        parts.append(codes[rows])
    packed = _pack(parts)
    repeats = (
        _core.repeated(packed) if packed is not None else pd.DataFrame(dict(enumerate(parts))).duplicated().to_numpy()
    )
    out[rows[repeats]] = True
    return out


def _pack(parts: list[np.ndarray]) -> np.ndarray | None:
    """Non-negative offsets of each part in bit fields of one int64, or None when they need more than 63 bits."""
    if not len(parts[0]):
        return np.zeros(0, np.int64)
    packed = np.zeros(len(parts[0]), np.int64)
    bits = 0
    for part in parts:
        low = int(part.min())
        width = max(int(part.max()) - low, 0).bit_length()
        bits += width
        if bits > 63:
            return None
        packed = (packed << width) | (part - low)
    return packed


def _conflicting(run: _Run, name: str, birth: np.ndarray, size: int) -> np.ndarray:
    """Rows with a birth date whose person has another, different birth date on a kept row."""
    days = np.asarray(birth, "datetime64[D]")
    known = ~np.isnat(days)
    day = np.where(known, days.astype(np.int64), 0)
    key = np.where(known, run.key(name), -1)
    low = np.full(size, np.iinfo(np.int64).max)
    high = np.full(size, np.iinfo(np.int64).min)
    named = key >= 0
    np.minimum.at(low, key[named], day[named])
    np.maximum.at(high, key[named], day[named])
    safe = np.maximum(key, 0)
    same: np.ndarray = named & (low[safe] != high[safe])
    return same
