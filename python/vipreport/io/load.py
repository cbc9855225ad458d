"""``vipreport.load``: read, validate and type the record tables."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..config import Config
from ..errors import ArgumentError, Problem, ValidationError
from . import parse, schema
from .dataset import Dataset
from .readers import RawTable, find_table_files, read_table_file

ACTIVITIES_FILES = ("activities.md", "activities.txt")
_VALUE_SHOWN = 40


def load(source: str | Path | Mapping[str, pd.DataFrame], *, config: Config | None = None,
         salt: str | bytes | None = None) -> Dataset:
    """Load and validate the record tables of one program.

    Parameters
    ----------
    source
        A directory holding one file per table (``referrals.csv``,
        ``incidents.parquet``, ``services.xlsx``, ...), or a mapping from table
        name to DataFrame. Tables that are absent are simply not loaded.
    config
        The metric definitions; default :meth:`Config.default` (Albuquerque).
    salt
        When given, every ``person_id`` is replaced by a keyed hash
        (HMAC-SHA256) of itself, so raw ids never leave the loader. The same
        salt gives the same pseudonyms; keep it secret and constant.

    Returns
    -------
    Dataset
        Typed tables and the data-quality summary (``Dataset.quality``).

    Raises
    ------
    ValidationError
        Listing every problem found, each with table, row and column.
    """
    config = config or Config.default()
    raw_tables, problems, activities = _read_source(source)
    loader = _TableLoader(config, salt)
    tables = {}
    for name, raw in raw_tables.items():
        frame = loader.load(name, raw)
        if frame is not None:
            tables[name] = frame
    problems += loader.problems
    if problems:
        raise ValidationError(problems)
    _assign_person_keys(tables)
    quality = pd.DataFrame(loader.quality, columns=["table", "action", "reason", "rows"])
    return Dataset(tables, quality, config, activities)


def _read_source(source) -> tuple[dict[str, RawTable], list[Problem], str | None]:
    if isinstance(source, Mapping):
        unknown = sorted(set(source) - set(schema.TABLES))
        if unknown:
            raise ArgumentError(f"unknown table name(s) {unknown}; known: {sorted(schema.TABLES)}")
        raw = {}
        for name, frame in source.items():
            if not isinstance(frame, pd.DataFrame):
                raise ArgumentError(f"table {name!r} must be a pandas DataFrame, got {type(frame).__name__}")
            raw[name] = RawTable(frame, "DataFrame")
        return raw, [], None
    directory = Path(source)
    if not directory.is_dir():
        raise ArgumentError(f"data directory not found: {directory}")
    files, problems = find_table_files(directory)
    if not files:
        raise ArgumentError(
            f"no table files in {directory}: expected files named like referrals.csv, "
            f"notifications.parquet or services.xlsx (tables: {', '.join(schema.TABLES)})"
        )
    raw = {name: read_table_file(name, path) for name, path in files.items()}
    activities = next(
        ((directory / f).read_text("utf-8") for f in ACTIVITIES_FILES if (directory / f).is_file()), None
    )
    return raw, problems, activities


class _TableLoader:
    def __init__(self, config: Config, salt: str | bytes | None) -> None:
        self.config = config
        self.salt = salt.encode() if isinstance(salt, str) else salt
        self.problems: list[Problem] = []
        self.quality: list[tuple[str, str, str, int]] = []

    def note(self, table: str, action: str, reason: str, rows: int) -> None:
        if rows:
            self.quality.append((table, action, reason, int(rows)))

    def load(self, name: str, raw: RawTable) -> pd.DataFrame | None:
        table = schema.TABLES[name]
        frame = raw.frame
        if frame.shape[1] == 0:
            self.problems.append(Problem(name, None, None, f"{raw.source} is empty: it has no header row"))
            return None
        frame = frame.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_"))
        missing = [c for c in table.required if c not in frame.columns]
        for column in missing:
            self.problems.append(Problem(name, None, column, "required column is missing"))
        if missing:
            return None
        self.note(name, "read", f"rows read from {raw.source}", len(frame))
        for reason, rows in raw.notes:
            self.note(name, "recoded", reason, rows)
        known = [c.name for c in table.columns if c.name in frame.columns]
        for extra in sorted(set(frame.columns) - set(known)):
            self.note(name, "ignored", f"column {extra!r} is not used and was not loaded", len(frame))
        frame = frame[known]
        row_numbers = np.arange(1, len(frame) + 1)
        duplicated = frame.duplicated().to_numpy()
        if duplicated.any():
            self.note(name, "dropped", "exact duplicate of an earlier row", int(duplicated.sum()))
            frame = frame[~duplicated]
            row_numbers = row_numbers[~duplicated]
        frame = frame.reset_index(drop=True)
        out = {}
        for column in known:
            parsed = self._parse(name, table.column(column), frame, column)
            self._collect(name, column, parsed, frame[column], row_numbers)
            out[column] = parsed.values.reset_index(drop=True)
        result = pd.DataFrame(out)
        return self._finish(name, result, row_numbers)

    def _parse(self, name: str, column: schema.Column, frame: pd.DataFrame, column_name: str) -> parse.Parsed:
        raw = frame[column_name]
        c = self.config
        if column.kind in (schema.DATE, schema.BIRTH_DATE):
            earliest = c.earliest_date if column.kind == schema.DATE else c.earliest_date.replace(year=1900)
            return parse.parse_dates(raw, earliest=earliest, latest=c.latest_date)
        if column.kind == schema.AREA:
            return parse.parse_categories(raw, c.area_rows, aliases=c.area_aliases, missing_label=c.area_missing)
        if column.kind == "category":
            parsed = parse.parse_categories(raw, getattr(c, column.categories))
            if not column.required:  # a blank optional category is simply unknown
                parsed.bad &= ~parse.blank_mask(raw)
            return parsed
        if column.kind == schema.OFFENSE:
            return parse.parse_offenses(raw, c, unknown_allowed="violent" in frame.columns)
        if column.kind == schema.BOOL:
            return parse.parse_bools(raw)
        if column.kind == schema.COUNT:
            return parse.parse_counts(raw)
        if column.kind == schema.AGE:
            return parse.parse_ages(raw, c.max_age)
        if column.kind == schema.ID:
            parsed = parse.parse_ids(raw)
            if not column.required:
                parsed.bad &= ~parse.blank_mask(raw)
            return parsed
        return parse.Parsed(raw.astype(object), np.zeros(len(raw), bool))

    def _collect(self, name: str, column: str, parsed: parse.Parsed, raw: pd.Series, rows: np.ndarray) -> None:
        personal = schema.TABLES[name].column(column).kind in schema.PERSONAL_KINDS
        for i in np.flatnonzero(parsed.bad):
            if personal:
                message = f"value {parsed.reason}" if parsed.reason else "value is invalid"
            else:
                shown = str(raw.iloc[i])
                shown = shown if len(shown) <= _VALUE_SHOWN else shown[:_VALUE_SHOWN] + "..."
                message = f"{shown!r} {parsed.reason}" if shown.strip() else f"blank value {parsed.reason}"
            self.problems.append(Problem(name, int(rows[i]), column, message))
        for reason, mask in parsed.recoded.items():
            self.note(name, "recoded", f"{column}: {reason}", int(np.count_nonzero(mask & ~parsed.bad)))

    def _finish(self, name: str, frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        c = self.config
        if name == "enrollments" and "end_date" in frame:
            before = (frame["end_date"] < frame["start_date"]).to_numpy()
            for i in np.flatnonzero(before):
                self.problems.append(Problem(name, int(rows[i]), "end_date", "end_date is before start_date"))
        if name == "notifications":
            frame = self._ages_at_notification(frame, rows)
        if name == "incidents":
            # The parsed offense column already holds the violent flag; an
            # explicit violent column overrides the offense map.
            flag = frame.pop("violent") if "violent" in frame else frame["offense"]
            frame = frame.drop(columns="offense")
            frame["violent"] = flag.astype(bool)
        for column in schema.TABLES[name].columns:
            if column.name in frame and column.kind == schema.AREA:
                frame[column.name] = pd.Categorical(frame[column.name], categories=c.area_rows)
            elif column.name in frame and column.kind == "category":
                frame[column.name] = pd.Categorical(frame[column.name], categories=getattr(c, column.categories))
            elif column.name in frame and column.kind == schema.ID and self.salt is not None:
                frame[column.name] = _pseudonymise(frame[column.name], self.salt)
        return frame

    def _ages_at_notification(self, frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        age = frame["age"].astype("Float64") if "age" in frame else pd.Series(pd.NA, index=frame.index, dtype="Float64")
        if "birth_date" in frame:
            birth = frame.pop("birth_date")
            when = frame["notification_date"]
            years = when.dt.year - birth.dt.year
            before_birthday = (when.dt.month < birth.dt.month) | (
                (when.dt.month == birth.dt.month) & (when.dt.day < birth.dt.day)
            )
            from_birth = (years - before_birthday.astype(int)).astype("Float64")
            invalid = (from_birth < 0) | (from_birth > self.config.max_age)
            for i in np.flatnonzero(invalid.fillna(False).to_numpy()):
                self.problems.append(Problem("notifications", int(rows[i]), "birth_date",
                                             "birth date gives an impossible age at notification"))
            age = from_birth.where(from_birth.notna(), age)
        frame["age"] = age.astype(float)
        codes = [self.config.age_group_code(a) if a == a else len(self.config.age_groups) for a in frame["age"]]
        frame["age_group"] = pd.Categorical.from_codes(codes, categories=list(self.config.age_group_labels))
        return frame


def _pseudonymise(ids: pd.Series, salt: bytes) -> pd.Series:
    uniques = pd.unique(ids.dropna().astype(str))
    mapping = {u: hmac.new(salt, u.encode(), hashlib.sha256).hexdigest()[:20] for u in uniques}
    return ids.astype(object).map(lambda v: mapping.get(str(v)) if v is not None and v == v else None)


def _assign_person_keys(tables: dict[str, pd.DataFrame]) -> None:
    """One int64 key per person, shared across tables (ids sorted, so keys are stable)."""
    columns = [t["person_id"] for t in tables.values() if "person_id" in t]
    if not columns:
        return
    if all(pd.api.types.is_integer_dtype(c) for c in columns):
        for t in tables.values():
            if "person_id" in t:
                t["person_key"] = t["person_id"].astype(np.int64)
        return
    everyone = pd.concat([c.dropna().astype(str) for c in columns], ignore_index=True)
    uniques = np.sort(pd.unique(everyone))
    for t in tables.values():
        if "person_id" in t:
            ids = t["person_id"]
            keys = np.full(len(t), -1, dtype=np.int64)
            present = ids.notna().to_numpy()
            keys[present] = np.searchsorted(uniques, ids[present].astype(str).to_numpy())
            t["person_key"] = keys
