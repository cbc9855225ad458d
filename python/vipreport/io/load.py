"""``vipreport.load``: read, validate and type the record tables."""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..config import Config
from ..errors import ArgumentError, NoDataError, Problem, ValidationError
from . import parse, schema
from .dataset import Dataset
from .ids import assign_person_keys
from .progress import counted, progress_wanted
from .readers import RawTable, find_table_files, read_table_file

ACTIVITIES_FILES = ("activities.md", "activities.txt")
_VALUE_SHOWN = 40
log = logging.getLogger(__name__)
# The rule a bad value breaks, by the kind of its column (a blank one breaks "blank_value").
_RULE_OF_KIND = {schema.DATE: "invalid_date", schema.BIRTH_DATE: "invalid_birth_date",
                 schema.AREA: "unknown_category", "category": "unknown_category",
                 schema.OFFENSE: "unknown_offense", schema.BOOL: "invalid_boolean",
                 schema.COUNT: "invalid_count", schema.AGE: "invalid_age", schema.ID: "invalid_id"}


def load(source: str | Path | Mapping[str, pd.DataFrame], *, config: Config | None = None,
         salt: str | bytes | None = None, progress: bool | None = None) -> Dataset:
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
    progress
        Show the rows read per file while loading: ``None`` (default) when
        stderr is a terminal, ``True`` always, ``False`` never.

    Returns
    -------
    Dataset
        Typed tables and the data-quality summary (``Dataset.quality``).

    Raises
    ------
    ValidationError
        Listing every problem found, each with table, row and column.
    NoDataError
        ``source`` is a directory without any export file vipreport recognises.
    """
    config = config or Config.default()
    raw_tables, problems, activities = _read_source(source)
    loader = _TableLoader(config, progress=progress_wanted() if progress is None else progress)
    tables = {}
    for name, raw in raw_tables.items():
        frame = loader.load(name, raw)
        if frame is not None:
            tables[name] = frame
    problems += loader.problems
    rows_read = {table: rows for table, action, _, rows in loader.quality if action == "read"}
    if problems:
        log.debug("validation found %d problem(s)", len(problems))
        raise ValidationError(problems, rows_read=rows_read)
    for table, reason, rows in assign_person_keys(tables, salt=salt):
        loader.note(table, "recoded", reason, rows)
    quality = pd.DataFrame(loader.quality, columns=["table", "action", "reason", "rows"])
    log.debug("loaded %s", ", ".join(f"{n}: {len(t)} rows" for n, t in tables.items()))
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
            raw[name] = RawTable.of(frame, "DataFrame")
        return raw, [], None
    directory = Path(source)
    if not directory.is_dir():
        raise ArgumentError(f"data directory not found: {directory}")
    files, problems = find_table_files(directory)
    if not files:
        raise NoDataError(
            f"no table files in {directory}: expected files named like referrals.csv, "
            f"notifications.parquet or services.xlsx (tables: {', '.join(schema.TABLES)})"
        )
    raw = {}
    for name, path in files.items():
        log.debug("%s: table %s", path.name, name)
        try:
            raw[name] = read_table_file(name, path)
        except _unreadable() as error:  # a damaged or mislabelled file is bad input, not a crash
            kind = {".csv": "CSV", ".parquet": "Parquet", ".xlsx": "Excel (.xlsx)"}[path.suffix.lower()]
            problems.append(Problem(name, None, None, f"{path.name} is not a valid {kind} file "
                                    f"({type(error).__name__})", rule="malformed_file", file=path.name))
    activities = next(
        ((directory / f).read_text("utf-8") for f in ACTIVITIES_FILES if (directory / f).is_file()), None
    )
    return raw, problems, activities


def _unreadable() -> tuple[type[Exception], ...]:
    """What the readers raise on a file that is not what its suffix says (pyarrow loaded on demand)."""
    from openpyxl.utils.exceptions import InvalidFileException
    from pyarrow import ArrowException

    return pd.errors.ParserError, zipfile.BadZipFile, InvalidFileException, ArrowException


def _malformed_line(error: pd.errors.ParserError) -> int | None:
    """The line pandas names in a CSV parsing error (its message holds no cell value)."""
    found = re.search(r"\bline (\d+)", str(error))
    return int(found.group(1)) if found else None


class _TableLoader:
    """Validates and types one table at a time, chunk by chunk, collecting every problem."""

    def __init__(self, config: Config, *, progress: bool = False) -> None:
        self.config = config
        self.progress = progress
        self.problems: list[Problem] = []
        self.quality: list[tuple[str, str, str, int]] = []
        self.raw: RawTable | None = None  # the table being loaded: where its rows come from

    def problem(self, table: str, row: int | None, column: str | None, message: str, rule: str) -> None:
        raw = self.raw
        line = raw.first_line + row - 1 if raw is not None and raw.first_line and row else None
        self.problems.append(Problem(table, row, column, message, rule=rule,
                                     file=raw.file if raw is not None else None, line=line))

    def note(self, table: str, action: str, reason: str, rows: int) -> None:
        if rows:
            self.quality.append((table, action, reason, int(rows)))

    def load(self, name: str, raw: RawTable) -> pd.DataFrame | None:
        table = schema.TABLES[name]
        limit = self.config.max_rows[name]
        typed, hashes, recoded, rows_read, columns = [], [], {}, 0, None
        self.raw = raw
        malformed: list[int | None] = []
        for chunk in self._chunks(name, raw, malformed):
            if chunk.shape[1] == 0:
                self.problem(name, None, None, f"{raw.source} is empty: it has no header row", "empty_file")
                return None
            chunk = chunk.rename(columns=lambda c: str(c).strip().lower().replace(" ", "_"))
            if columns is None:
                columns = list(chunk.columns)
                missing = [c for c in table.required if c not in columns]
                for column in missing:
                    self.problem(name, None, column, "required column is missing", "missing_column")
                if missing:
                    return None
            known = [c.name for c in table.columns if c.name in chunk.columns]
            if rows_read + len(chunk) > limit:
                self.problem(name, None, None, f"more than {limit:,} rows (the limit for this table in the "
                                               f"config's [limits]); reading stopped there", "too_many_rows")
                return None
            # Exact duplicates are judged on the whole row as exported, extra columns included:
            # two rows that differ only in a column vipreport does not use are two events.
            hashes.append(pd.util.hash_pandas_object(chunk, index=False).to_numpy())
            chunk = chunk[known].reset_index(drop=True)
            rows = np.arange(rows_read + 1, rows_read + len(chunk) + 1)
            out = {}
            for column in known:
                parsed = self._parse(table.column(column), chunk, column)
                self._collect(name, column, parsed, chunk[column], rows)
                for reason, mask in parsed.recoded.items():
                    key = f"{column}: {reason}"
                    recoded[key] = recoded.get(key, 0) + int(np.count_nonzero(mask & ~parsed.bad))
                out[column] = self._compact(table.column(column), parsed.values.reset_index(drop=True))
            typed.append(pd.DataFrame(out))
            rows_read += len(chunk)
        if malformed:
            return None
        self.quality.append((name, "read", f"rows read from {raw.source}", rows_read))
        if raw.file:
            log.info("%s: %s rows read (table %s)", raw.file, f"{rows_read:,}", name)
        else:
            log.debug("%s: %s rows (from a DataFrame)", name, f"{rows_read:,}")
        for reason, count in raw.notes:
            self.note(name, "recoded", reason, count or rows_read)
        for extra in sorted(set(columns) - {c.name for c in table.columns}):
            self.note(name, "ignored", f"column {extra!r} is not used and was not loaded", rows_read)
        frame = _concat(typed)
        duplicate = _duplicates(np.concatenate(hashes) if hashes else np.array([], np.uint64))
        for reason, count in recoded.items():
            self.note(name, "recoded", reason, count)
        if duplicate.any():
            self.note(name, "dropped", "exact duplicate of an earlier row", int(duplicate.sum()))
        row_numbers = np.flatnonzero(~duplicate) + 1
        frame = frame[~duplicate].reset_index(drop=True)
        return self._finish(name, frame, row_numbers)

    def _chunks(self, name: str, raw: RawTable, malformed: list[int | None]) -> Iterator[pd.DataFrame]:
        """The raw chunks, counted for progress; a CSV file pandas cannot split into rows is a problem."""
        try:
            yield from counted(raw.chunks, source=raw.source, total=raw.rows, enabled=self.progress)
        except pd.errors.ParserError as error:
            line = _malformed_line(error)
            malformed.append(line)
            self.problems.append(Problem(
                name, None, None, f"{raw.source} is not well-formed CSV" + (f" at line {line}" if line else "")
                + " (a row with more fields than the header, or an unclosed quote)",
                rule="malformed_file", file=raw.file, line=line))

    def _compact(self, column: schema.Column, values: pd.Series) -> pd.Series:
        """Categoricals for repeated text, so millions of rows stay small."""
        if column.kind == schema.AREA:
            return pd.Series(pd.Categorical(values, categories=self.config.area_rows))
        if column.kind == "category":
            return pd.Series(pd.Categorical(values, categories=getattr(self.config, column.categories)))
        if column.kind == schema.ID and not pd.api.types.is_integer_dtype(values):
            return values.astype("category")
        return values

    def _parse(self, column: schema.Column, frame: pd.DataFrame, column_name: str) -> parse.Parsed:
        raw = frame[column_name]
        c = self.config
        if column.kind in (schema.DATE, schema.BIRTH_DATE):
            earliest = c.earliest_date if column.kind == schema.DATE else c.earliest_date.replace(year=1900)
            parsed = parse.parse_dates(raw, earliest=earliest, latest=c.latest_date)
            if column.required:  # an event needs its date; optional dates (end, discharge) may be blank
                parsed.bad = parsed.bad | parse.blank_mask(raw)
            return parsed
        if column.kind == schema.AREA:
            return parse.parse_categories(raw, c.area_rows, aliases=c.area_aliases, missing_label=c.area_missing)
        if column.kind == "category":
            parsed = parse.parse_categories(raw, getattr(c, column.categories))
            if not column.required:  # a blank optional category is simply unknown
                parsed.bad = parsed.bad & ~parse.blank_mask(raw)
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
                parsed.bad = parsed.bad & ~parse.blank_mask(raw)
            return parsed
        return parse.Parsed(raw.astype(object), np.zeros(len(raw), bool))

    def _collect(self, name: str, column: str, parsed: parse.Parsed, raw: pd.Series, rows: np.ndarray) -> None:
        kind = schema.TABLES[name].column(column).kind
        personal = kind in schema.PERSONAL_KINDS
        bad = np.flatnonzero(parsed.bad)
        blank = parse.blank_mask(raw.iloc[bad]) if len(bad) else np.zeros(0, bool)
        for i, is_blank in zip(bad, blank):
            if personal:
                message = f"value {parsed.reason}" if parsed.reason else "value is invalid"
            else:
                shown = str(raw.iloc[i])
                shown = shown if len(shown) <= _VALUE_SHOWN else shown[:_VALUE_SHOWN] + "..."
                message = f"{shown!r} {parsed.reason}" if shown.strip() else f"blank value {parsed.reason}"
            rule = "blank_value" if is_blank else _RULE_OF_KIND.get(kind, "invalid_value")
            self.problem(name, int(rows[i]), column, message, rule)

    def _finish(self, name: str, frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
        if name == "enrollments" and "end_date" in frame:
            before = (frame["end_date"] < frame["start_date"]).to_numpy()
            for i in np.flatnonzero(before):
                self.problem(name, int(rows[i]), "end_date", "end_date is before start_date", "end_before_start")
        if name == "notifications":
            frame = self._ages_at_notification(frame, rows)
        if name == "incidents":
            # The parsed offense column already holds the violent flag; an
            # explicit violent column overrides the offense map.
            flag = frame.pop("violent") if "violent" in frame else frame["offense"]
            frame = frame.drop(columns="offense")
            frame["violent"] = flag.astype(bool)
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
                self.problem("notifications", int(rows[i]), "birth_date",
                             "birth date gives an impossible age at notification", "impossible_age")
            age = from_birth.where(from_birth.notna(), age)
        frame["age"] = age.astype(float)
        groups = self.config.age_groups
        codes = np.full(len(frame), len(groups), dtype=np.int8)  # "Unknown" unless a group holds the age
        ages = frame["age"].to_numpy()
        for i, group in reversed(list(enumerate(groups))):
            codes[(ages >= group.min) & (ages <= group.max)] = i
        frame["age_group"] = pd.Categorical.from_codes(codes, categories=list(self.config.age_group_labels))
        return frame


def _concat(chunks: list[pd.DataFrame]) -> pd.DataFrame:
    if len(chunks) == 1:
        return chunks[0]
    out = {}
    for column in chunks[0].columns:
        parts = [c[column] for c in chunks]
        if isinstance(parts[0].dtype, pd.CategoricalDtype):
            out[column] = pd.Series(union_categoricals([p.array for p in parts]))
        else:
            out[column] = pd.concat(parts, ignore_index=True)
    return pd.DataFrame(out)


def _duplicates(hashes: np.ndarray) -> np.ndarray:
    """Rows whose raw values hash like an earlier row's (64-bit hashes of the whole raw row)."""
    order = np.argsort(hashes, kind="stable")
    repeat = np.zeros(len(hashes), dtype=bool)
    repeat[order[1:]] = hashes[order[1:]] == hashes[order[:-1]]
    return repeat
