"""``vipreport.load``: read, validate and type the record tables.

The load path is columnar: files are read by pyarrow as text columns, each
column is typed by a vectorised parser (``columns.py``) that decides on its
distinct values only, problems are found as masks and only then described
(for their few rows), and person keys are assigned for all tables in one
pass (``ids.py``). See docs/loading.md.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .. import schema
from ..config import Config
from ..errors import ArgumentError, NoDataError, Problem, ValidationError
from . import columns as parse
from . import coverage, crosstable, rowhash
from .dataset import Dataset
from .discover import TableFile, find_table_files
from .frames import to_arrow
from .ids import MERGED, PersonIds, assign_person_keys
from .progress import progress_wanted, rows_bar
from .readers import Chunk, CsvFile, NotUtf8, RawTable, normalised, read_csv, read_excel, read_parquet
from .sql import Database, is_database

ACTIVITIES_FILES = ("activities.md", "activities.txt")
THREADS = 2  # tables read and typed at once
LISTED_PER_COLUMN = 200  # problems listed per column of a table; the rest are counted in one line
log = logging.getLogger(__name__)
# The rule a bad value breaks, by the kind of its column (a blank one breaks "blank_value").
_RULE_OF_KIND = {
    schema.DATE: "invalid_date",
    schema.BIRTH_DATE: "invalid_birth_date",
    schema.AREA: "unknown_category",
    "category": "unknown_category",
    schema.OFFENSE: "unknown_offense",
    schema.BOOL: "invalid_boolean",
    schema.COUNT: "invalid_count",
    schema.AGE: "invalid_age",
    schema.ID: "invalid_id",
}
_EMPTY = pa.table({})
Progress = Callable[[str, int], None]  # (source, rows read from it so far)


def load(
    source: str | Path | Mapping[str, Any] | Any,
    *,
    config: Config | None = None,
    salt: str | bytes | None = None,
    progress: bool | Progress | None = None,
    data_as_of: coverage.DateLike | None = None,
    tables: Iterable[str] | None = None,
) -> Dataset:
    """Load and validate the record tables of one program.

    Parameters
    ----------
    source
        A folder of export files (``referrals.csv``, ``Referrals_Export_2024-11-30.csv``,
        ``incidents.csv.gz``, ``services.xlsx``, a ``notifications/`` folder of
        Parquet parts, ...; see docs/loading.md); a database, as a SQLAlchemy
        URL (``"postgresql://user@host/db"``, ``"sqlite:///vip.db"``) or
        Engine, read by the profile's ``[sql]`` tables and queries (needs the
        ``sql`` extra); or a mapping from table name to a pandas or polars
        DataFrame or a pyarrow Table. Tables that are absent are simply not
        loaded.
    config
        The metric definitions; default :meth:`Config.default` (Albuquerque).
    salt
        When given, every ``person_id`` is replaced by a keyed hash
        (HMAC-SHA256) of itself, so raw ids never leave the loader. The same
        salt gives the same pseudonyms; keep it secret and constant.
    progress
        Show the rows read per file while loading: ``None`` (default) when
        stderr is a terminal, ``True`` always, ``False`` never. Or a callable,
        called as ``progress(source, rows)`` after each chunk a file yields
        with the rows read from it so far.
        Two tables are read at once, so calls may come from two threads.
    data_as_of
        The date the exports were taken (``YYYY-MM-DD``, a date or a
        Timestamp). A row dated after it breaks the ``event_after_as_of``
        rule; without it, a row dated after today does.
    tables
        Load only these tables (names as in ``vipreport.schema.TABLES``), for
        example ``["notifications", "incidents"]`` for the success rate: the
        other files or database tables are not read, and a rule across tables
        that needs one of them is not judged. Default: every table present.

    Returns
    -------
    Dataset
        Typed tables and the data-quality summary (``Dataset.quality``),
        with the count of every data-quality rule the profile's ``[rules]``
        keeps or excludes (see docs/loading.md).

    Raises
    ------
    ValidationError
        Listing every problem found, each with table, file, physical line
        (or row, for a frame or a database result) and column; never a cell's value.
    DatabaseError
        The database cannot be reached (its URL is named with the password hidden).
    MissingDependencyError
        A database was given and SQLAlchemy (or its driver) is not installed.

    Examples
    --------
    Tables can be given as DataFrames (here, two referrals of one person, whose id is
    spelled two ways); a folder of export files or a database URL loads the same way.

    >>> import pandas as pd
    >>> import vipreport as vr
    >>> referrals = pd.DataFrame(
    ...     {
    ...         "person_id": ["AB-12", "ab12"],
    ...         "referral_date": ["2024-11-04", "2024-11-18"],
    ...         "source": ["Law Enforcement", "hospital"],
    ...         "area_command": ["SE", ""],
    ...     }
    ... )
    >>> data = vr.load({"referrals": referrals})
    >>> vr.referrals_by_area(data, "2024-11").vip.wide()["2024-11"].to_dict()
    {'Southeast': 1, 'Northeast': 0, 'Northwest': 0, 'Foothills': 0, 'Southwest': 0, 'Valley': 0, 'N/A': 1}
    >>> int(data.table("referrals")["person_key"].nunique())
    1
    >>> data.quality["action"].tolist()
    ['read', 'recoded', 'recoded', 'recoded', 'recoded']
    """
    config = config or Config.default()
    as_of = coverage.today() if data_as_of is None else coverage.as_of_date(data_as_of).date()
    wanted = None if tables is None else _table_names(tables)
    database = Database(source) if is_database(source) else None
    try:
        return _load(source, config, salt, progress, database, as_of, wanted)
    finally:
        if database is not None:
            database.close()


def _load(
    source: Any,
    config: Config,
    salt: str | bytes | None,
    progress: bool | Progress | None,
    database: Database | None,
    as_of: dt.date,
    wanted: set[str] | None,
) -> Dataset:
    if database is not None:
        raw_tables, problems = database.tables(config)
        activities, unmatched = None, list[str]()
    else:
        raw_tables, problems, activities, unmatched = _read_source(source, config)
    if wanted is not None:  # nothing of the other tables is read, and their files' problems are not theirs to raise
        raw_tables = {name: read for name, read in raw_tables.items() if name in wanted}
        problems = [p for p in problems if p.table in wanted or p.table not in schema.TABLES]
    # One loader per table, so tables can be read and typed on two threads (Arrow and NumPy release
    # the GIL); their problems and quality rows are put together in table order afterwards.
    if progress is None:
        progress = progress_wanted()
    loaders = {name: _TableLoader(config, progress) for name in raw_tables}
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        states = dict(zip(raw_tables, pool.map(lambda n: loaders[n].load(n, raw_tables[n]), raw_tables), strict=True))
        read = {name: state for name, state in states.items() if state is not None}
        # Person keys for every table in one pass, before duplicates (judged with the merged ids).
        persons = assign_person_keys({n: s.ids for n, s in read.items() if s.ids}, salt=salt)
        finished = dict(zip(read, pool.map(lambda n: read[n].finish(persons.get(n)), read), strict=True))
    typed = {name: table for name, table in finished.items() if table is not None}
    for loader in loaders.values():
        problems += loader.problems
    # The rules across rows and tables run on every table that could be typed, even when another
    # failed, so one pass reports everything (a rule that needs a failed table is not judged).
    ruled = crosstable.apply_rules(
        {name: t.frame() for name, t in typed.items()},
        actions=config.quality_rules,
        as_of=as_of,
        locate={name: t.locate for name, t in typed.items()},  # type: ignore[misc]
        births={name: t.birth for name, t in typed.items() if t.birth is not None},
        exact={name: t.exact for name, t in typed.items() if t.exact is not None},
    )
    problems += ruled.problems
    rows = [row for loader in loaders.values() for row in loader.quality] + ruled.quality
    quality = pd.DataFrame(rows, columns=["table", "action", "reason", "rows"])
    for name in unmatched:  # said before any ValidationError, so a failed validate lists them too
        log.warning("%s matches no table and was not read", name)
    if problems:
        log.debug("validation found %d problem(s)", len(problems))
        rows_read = {name: loader.rows_read for name, loader in loaders.items() if loader.rows_read is not None}
        raise ValidationError(problems, rows_read=rows_read, quality=quality)
    tables = ruled.tables
    for row in rows:
        if row[1] == "read":
            log.info("%s: %s rows read (table %s)", row[2].removeprefix("rows read from "), f"{row[3]:,}", row[0])
    log.debug("loaded %s", ", ".join(f"{n}: {len(t)} rows" for n, t in tables.items()))
    return Dataset(tables, quality, config, activities, unmatched_files=unmatched)


def _table_names(tables: Iterable[str]) -> set[str]:
    if isinstance(tables, str):
        tables = [tables]
    names = set(tables)
    unknown = sorted(names - set(schema.TABLES))
    if unknown:
        raise ArgumentError(f"unknown table name(s) {unknown} in tables=; known: {sorted(schema.TABLES)}")
    return names


def _read_source(
    source: str | Path | Mapping[str, Any], config: Config
) -> tuple[dict[str, Callable[[], RawTable]], list[Problem], str | None, list[str]]:
    if isinstance(source, Mapping):
        unknown = sorted(set(source) - set(schema.TABLES))
        if unknown:
            raise ArgumentError(f"unknown table name(s) {unknown}; known: {sorted(schema.TABLES)}")
        raw: dict[str, Callable[[], RawTable]] = {}
        for name, frame in source.items():
            table, kind = to_arrow(name, frame)
            raw[name] = lambda t=table, k=kind: RawTable(k, iter([Chunk(t, None)]))  # type: ignore[misc]
        return raw, [], None, []
    directory = Path(source)
    if not directory.is_dir():
        raise ArgumentError(f"data directory not found: {directory}")
    found = find_table_files(directory, config)
    if not found.tables and not found.problems:
        raise NoDataError(
            f"no table files in {directory}: expected files named like referrals.csv, "
            f"Referrals_Export_2024-11-30.csv, notifications.parquet or services.xlsx "
            f"(tables: {', '.join(schema.TABLES)})"
        )
    sources: dict[str, Callable[[], RawTable]] = {
        name: functools.partial(_read_files, name, files, config) for name, files in found.tables.items() if files
    }
    activities = next(((directory / f).read_text("utf-8") for f in ACTIVITIES_FILES if (directory / f).is_file()), None)
    return sources, found.problems, activities, found.unmatched


def _read_files(name: str, files: list[TableFile], config: Config) -> RawTable:
    """One table from one or more files (files.choose = "all" reads every match, oldest first)."""
    mapping = {k.strip().lower(): v for k, v in config.column_map.items()}
    for file in files:
        log.debug("%s: table %s", file.name, name)
    parts = [_read_file(name, f, mapping) for f in files]
    if len(parts) == 1:
        return parts[0]
    table = RawTable(", ".join(p.source for p in parts), iter(()))

    def chained() -> Iterator[Chunk]:
        for part in parts:
            yield from part.chunks
            table.problems += part.problems

    for part in parts:
        table.notes += part.notes
    table.chunks = chained()
    return table


def _read_file(name: str, file: TableFile, mapping: dict[str, str]) -> RawTable:
    try:
        return _open(name, file, mapping)
    except _unreadable() as error:  # a damaged or mislabelled file is bad input, not a crash
        return RawTable(
            file.name,
            iter(()),
            problems=[
                Problem(
                    name,
                    None,
                    None,
                    f"{file.name} cannot be read as its kind of file ({type(error).__name__})",
                    rule="malformed_file",
                    file=file.name,
                )
            ],
        )


def _open(name: str, file: TableFile, mapping: dict[str, str]) -> RawTable:
    if file.kind == "csv":
        return _Utf8OrCp1252(name, CsvFile(file.path, file.member), mapping).table
    if file.kind == "parquet":
        return read_parquet(file.path)
    return read_excel(name, file.path, file.sheet)


class _Utf8OrCp1252:
    """A CSV table read as UTF-8; if the bytes are not UTF-8, read again from the start as Windows-1252."""

    def __init__(self, name: str, file: CsvFile, mapping: dict[str, str]) -> None:
        self.table = read_csv(name, file, mapping)
        self.name, self.file, self.mapping = name, file, mapping
        self.table.chunks = self._chunks(self.table.chunks)

    def _chunks(self, first: Iterator[Chunk]) -> Iterator[Chunk]:
        try:
            yield from first
        except NotUtf8:
            again = read_csv(self.name, self.file, self.mapping, encoding="cp1252")
            self.table.notes[:] = again.notes
            self.table.problems[:] = again.problems
            yield Chunk(pa.table({}), None, -1)  # tells the loader to start this table over
            yield from again.chunks


@dataclass
class _Typed:
    """One validated table: typed columns and its persons."""

    name: str
    columns: dict[str, Any]
    persons: PersonIds | None = None
    keep: np.ndarray | None = None
    locate: crosstable.Locate | None = None  # the frame's rows -> (file row, file, line)
    birth: np.ndarray | None = None  # notifications' birth dates, for the birth-date rule
    exact: np.ndarray | None = None  # exact duplicates kept in (exact_duplicate = "keep")

    def frame(self) -> pd.DataFrame:
        out = dict(self.columns)
        if self.persons is not None:
            out["person_id"] = self.persons.column(self.keep)
            key = self.persons.key
            out["person_key"] = key if self.keep is None else key[self.keep]
        out = {c: v for c, v in out.items() if v is not None}
        return pd.DataFrame(
            {
                c: (v if isinstance(v, (pd.Categorical, pd.Series)) else pd.Series(v, copy=False))
                for c, v in out.items()
            },
            copy=False,
        )


class _TableLoader:
    """Validates and types one table at a time, chunk by chunk, collecting every problem."""

    def __init__(self, config: Config, progress: bool | Progress) -> None:
        self.config = config
        self.progress = progress
        self.problems: list[Problem] = []
        self.quality: list[tuple[str, str, str, int]] = []
        self.rows_read: int | None = None

    def note(self, table: str, action: str, reason: str, rows: int) -> None:
        if rows:
            self.quality.append((table, action, reason, int(rows)))

    def load(self, name: str, make: Callable[[], RawTable]) -> _TableState | None:
        state = _TableState(name, self)
        raw = RawTable(name, iter(()))
        try:
            raw = make()
            with rows_bar(raw.source, raw.rows, enabled=self.progress is True) as bar:
                for chunk in raw.chunks:
                    if chunk.first_record < 0:  # the file is read again in another encoding
                        state = _TableState(name, self)
                        continue
                    if not state.add(chunk, raw.source):
                        break
                    bar.update(state.rows - bar.n)
        except _unreadable() as error:  # a damaged or mislabelled file is bad input, not a crash
            raw.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"{raw.source} cannot be read as its kind of file ({type(error).__name__})",
                    rule="malformed_file",
                    file=raw.source,
                )
            )
        finally:
            # A reader stopped early (a missing column, too many rows) lets go of its file or database
            # connection now, not whenever the generator happens to be collected.
            close = getattr(raw.chunks, "close", None)
            if close is not None:
                close()
        self.rows_read = state.rows
        self.problems += raw.problems
        if raw.problems or state.failed or state.columns is None:
            if state.columns is None and not raw.problems and not state.failed:
                self.problems.append(
                    Problem(
                        name,
                        None,
                        None,
                        f"{raw.source} is empty: it has no header row",
                        rule="empty_file",
                        file=raw.source,
                    )
                )
            return None
        state.raw = raw
        return state


class _TableState:
    """The typed pieces of one table while its chunks arrive."""

    def __init__(self, name: str, loader: _TableLoader) -> None:
        self.name = name
        self.loader = loader
        self.schema = schema.TABLES[name]
        self.config = loader.config
        self.columns: list[str] | None = None
        self.failed = False
        self.pieces: dict[str, list[Any]] = {}
        self.ids: list[pa.Array | pa.ChunkedArray] = []
        self.id_required = True
        self.raw: RawTable | None = None
        self.hashes: list[np.ndarray] = []
        self.recoded: dict[str, int] = {}
        self.rows = 0
        self.spans: list[tuple[int, Chunk]] = []  # (first table row, chunk) to place problems
        self.listed: dict[str, int] = {}
        self.birth: np.ndarray | None = None

    # -- one chunk --------------------------------------------------------------
    def add(self, chunk: Chunk, source: str) -> bool:
        name, table = self.name, chunk.table
        mapping = {k.strip().lower(): v for k, v in self.config.column_map.items()}
        table = table.rename_columns([mapping.get(str(c).strip().lower(), normalised(c)) for c in table.column_names])
        if self.columns is None:
            if table.num_columns == 0:
                return False
            self.columns = list(table.column_names)
            missing = [c for c in self.schema.required if c not in self.columns]
            for absent in missing:
                self.loader.problems.append(
                    Problem(name, None, absent, "required column is missing", rule="missing_column", file=chunk.file)
                )
            if missing:
                self.failed = True
                return False
        limit = self.config.max_rows[name]
        if self.rows + table.num_rows > limit:
            self.loader.problems.append(
                Problem(
                    name,
                    None,
                    None,
                    f"more than {limit:,} rows (the limit for this table in the config's "
                    f"[limits]); reading stopped there",
                    rule="too_many_rows",
                    file=chunk.file,
                )
            )
            self.failed = True
            return False
        self.spans.append((self.rows, chunk))
        known = [c for c in self.schema.columns if c.name in table.column_names]
        encoded: dict[str, Any] = {}
        row_hash = None
        # Exact duplicates are judged on the whole row as exported, extra columns included:
        # two rows that differ only in a column vipreport does not use are two events.
        id_columns = {c.name for c in known if c.kind == schema.ID}
        date_columns = {c.name for c in known if c.kind in (schema.DATE, schema.BIRTH_DATE)}
        for position, column in enumerate(table.column_names):
            values = table.column(position)
            if column in id_columns:  # ids are encoded with every table's ids, in one pass
                encoded[column] = values
                continue
            days = parse.iso_days(values) if column in date_columns and _is_text(values) else None
            if days is not None and not (days == parse.NOT_ISO).any():
                # Every cell YYYY-MM-DD or empty, as exports mostly write dates: read in one pass of the core.
                encoded[column] = parse.Days(days)
                value_hash = rowhash.day_hashes(days)
            elif pa.types.is_timestamp(values.type) or pa.types.is_date(values.type):
                numbers = pc.fill_null(
                    pc.cast(
                        pc.cast(values, pa.timestamp("s")) if pa.types.is_date(values.type) else values, pa.int64()
                    ),
                    0,
                )
                value_hash = rowhash.number_hashes(np.asarray(numbers.to_numpy(), np.int64))
                encoded[column] = values
            else:
                enc = parse.encode(values)
                encoded[column] = enc
                # A date column's YYYY-MM-DD values hash by their day, as in the path above: a table whose
                # files or chunks took different paths still finds its duplicates across them.
                hashes = rowhash.date_text_hashes if column in date_columns else rowhash.text_hashes
                value_hash = enc.rows(hashes(enc.dictionary))
            row_hash = rowhash.combine(row_hash, value_hash)
        self.hashes.append(row_hash if row_hash is not None else np.zeros(table.num_rows, np.uint64))
        for column in known:
            parsed = self._parse(column, encoded[column.name], table.column_names)
            self._collect(column, parsed)
            for reason, count in parsed.recoded.items():
                key = f"{column.name}: {reason}"
                self.recoded[key] = self.recoded.get(key, 0) + count
            if column.kind == schema.ID:
                self.ids.append(parsed.values)
                self.id_required = column.required
            else:
                self.pieces.setdefault(column.name, []).append(parsed.values)
        self.rows += table.num_rows
        chunk.table = _EMPTY  # the span keeps where the rows came from, not their text (memory)
        if callable(self.loader.progress):
            self.loader.progress(source, self.rows)
        log.debug("%s: %d rows read from %s (table %s)", source, self.rows, source, name)
        return True

    def _parse(self, column: schema.Column, values: Any, present: list[str]) -> parse.Parsed:
        c = self.config
        if column.kind in (schema.DATE, schema.BIRTH_DATE):
            earliest = c.earliest_date if column.kind == schema.DATE else c.earliest_date.replace(year=1900)
            # an event needs its date; optional dates (end, discharge) may be blank
            return parse.parse_dates(values, c, earliest=earliest, required=column.required)
        if column.kind == schema.ID:  # checked in the person-key pass
            return parse.parse_text(values)
        if isinstance(values, (pa.Array, pa.ChunkedArray)):
            values = parse.encode(values)
        if column.kind == schema.AREA:
            return parse.parse_categories(values, c.area_rows, aliases=c.area_aliases, missing_label=c.area_missing)
        if column.kind == "category":
            return parse.parse_categories(values, getattr(c, str(column.categories)), required=column.required)
        if column.kind == schema.OFFENSE:
            return parse.parse_offenses(values, c, unknown_allowed="violent" in present)
        if column.kind == schema.BOOL:
            return parse.parse_bools(values)
        if column.kind == schema.COUNT:
            return parse.parse_counts(values)
        if column.kind == schema.AGE:
            return parse.parse_ages(values, c.max_age)
        return parse.parse_text(values)

    def _collect(self, column: schema.Column, parsed: parse.Parsed) -> None:
        bad = np.flatnonzero(parsed.bad)
        if not len(bad):
            return
        _, chunk = self.spans[-1]
        listed = self.listed.get(column.name, 0)
        shown = bad[: max(LISTED_PER_COLUMN - listed, 0)]
        self.listed[column.name] = listed + len(bad)
        lines = chunk.lines(chunk.first_record + shown) if chunk.lines is not None and len(shown) else None
        for k, i in enumerate(shown):
            found = parsed.found(int(i)) if parsed.found else "an unreadable value"
            rule = "blank_value" if found == "a blank" else _RULE_OF_KIND.get(column.kind, "invalid_value")
            self.loader.problems.append(
                Problem(
                    self.name,
                    chunk.first_record + int(i) + 1,
                    column.name,
                    f"expected {parsed.expected}; found {found}",
                    rule=rule,
                    file=chunk.file,
                    line=None if lines is None else int(lines[k]),
                )
            )

    # -- the whole table --------------------------------------------------------
    def finish(self, persons: PersonIds | None) -> _Typed | None:
        name, loader, raw = self.name, self.loader, self.raw
        assert raw is not None
        hashes = np.concatenate(self.hashes) if len(self.hashes) != 1 else self.hashes[0]
        self.hashes = []
        if persons is not None:
            hashes = rowhash.combine(hashes, persons.spelling)
            if self.id_required:
                self._blank_ids(persons.blank)
        for listed_column, count in self.listed.items():
            if count > LISTED_PER_COLUMN:
                known = self.schema.column(listed_column)
                rule = (
                    "invalid_value"
                    if known is None
                    else "blank_value"
                    if known.kind == schema.ID  # _blank_ids
                    else _RULE_OF_KIND.get(known.kind, "invalid_value")
                )
                loader.problems.append(
                    Problem(
                        name,
                        None,
                        listed_column,
                        f"{count - LISTED_PER_COLUMN:,} more rows with a problem in this column (not listed)",
                        rule=rule,
                        file=raw.source,
                        count=count - LISTED_PER_COLUMN,
                    )
                )
        failed = any(self.listed.values())
        loader.quality.append((name, "read", f"rows read from {raw.source}", self.rows))
        for reason, count in raw.notes:
            loader.note(name, "recoded", reason, count or self.rows)
        assert self.columns is not None
        for extra in sorted(set(self.columns) - {c.name for c in self.schema.columns}):
            loader.note(name, "ignored", f"column {extra!r} is not used and was not loaded", self.rows)
        duplicate = rowhash.repeats(hashes)
        action = self.config.quality_rules.get("exact_duplicate", "exclude")
        if persons is not None and persons.merged_rows:
            self.recoded[MERGED] = persons.merged_rows
        for reason, count in self.recoded.items():
            loader.note(name, "recoded", reason, count)
        if duplicate.any():
            loader.note(
                name,
                crosstable.QUALITY_ACTION[action],
                crosstable.quality_reason("exact_duplicate"),
                int(duplicate.sum()),
            )
            if action == "error":
                loader.problems += crosstable.problems(
                    name, "exact_duplicate", None, np.flatnonzero(duplicate), self.locate
                )
        keep = ~duplicate if action == "exclude" else np.ones(len(duplicate), bool)
        rows = np.flatnonzero(keep)
        columns: dict[str, Any] = {}
        for column in self.schema.columns:
            if column.kind == schema.ID and self.ids:
                columns[column.name] = None  # filled by the person-key pass, in its place
            if column.name not in self.pieces:
                continue
            pieces = self.pieces.pop(column.name)
            values = _joined(pieces)
            del pieces
            if column.kind in (schema.AREA, "category"):
                labels = (
                    self.config.area_rows
                    if column.kind == schema.AREA
                    else getattr(self.config, str(column.categories))
                )
                values = pd.Categorical.from_codes(
                    values if keep.all() else values[keep], categories=pd.Index(list(labels))
                )
            elif column.kind == schema.TEXT:
                text = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
                if not keep.all():
                    text = text.filter(pa.array(keep))
                values = pd.Series(pd.arrays.ArrowExtensionArray(pc.cast(text, pa.string())))
            elif not keep.all():
                values = values[keep]
            columns[column.name] = values
        typed = _Typed(
            name, columns, persons, keep=None if keep.all() else keep, locate=lambda at: self.locate(rows[at])
        )
        frame_problems = _finish_checks(name, columns, rows, self, self.config)
        typed.birth = self.birth
        typed.exact = duplicate if action != "exclude" and duplicate.any() else None
        loader.problems += frame_problems
        return None if failed or frame_problems else typed

    def _blank_ids(self, blank: np.ndarray) -> None:
        hits = np.flatnonzero(blank)
        for row, file, line in self.locate(hits[:LISTED_PER_COLUMN]):
            self.loader.problems.append(
                Problem(
                    self.name,
                    row,
                    "person_id",
                    "expected an id; found a blank",
                    rule="blank_value",
                    file=file,
                    line=line,
                )
            )
        if len(hits):
            self.listed["person_id"] = len(hits)

    def locate(self, rows: np.ndarray) -> list[tuple[int, str | None, int | None]]:
        """Table rows (0-based) -> (file row, file, physical line) for messages."""
        out = []
        starts = np.array([s for s, _ in self.spans])
        for row in rows:
            span = int(np.searchsorted(starts, row, side="right")) - 1
            first, chunk = self.spans[span]
            record = chunk.first_record + int(row) - first
            lines = chunk.lines(np.array([record])) if chunk.lines is not None else None
            out.append((record + 1, chunk.file, None if lines is None else int(lines[0])))
        return out


def _is_text(values: pa.Array | pa.ChunkedArray) -> bool:
    return bool(pa.types.is_string(values.type) or pa.types.is_large_string(values.type))


def _unreadable() -> tuple[type[Exception], ...]:
    """What the readers raise on a file that is not what its name says (a damaged Parquet file, ...)."""
    import zipfile

    from openpyxl.utils.exceptions import InvalidFileException

    return zipfile.BadZipFile, InvalidFileException, pa.ArrowException, OSError


def _joined(pieces: list[Any]) -> Any:
    if len(pieces) == 1:
        return pieces[0]
    if isinstance(pieces[0], (pa.Array, pa.ChunkedArray)):
        return pa.chunked_array([p for piece in pieces for p in getattr(piece, "chunks", [piece])])
    return np.concatenate(pieces)


def _finish_checks(
    name: str, columns: dict[str, Any], rows: np.ndarray, state: _TableState, config: Config
) -> list[Problem]:
    """Rules over several columns of a row; they also derive the columns the metrics use."""
    problems: list[Problem] = []

    def report(mask: np.ndarray, column: str, message: str, rule: str) -> None:
        hits = np.flatnonzero(mask)
        for row, file, line in state.locate(rows[hits[:LISTED_PER_COLUMN]]):
            problems.append(Problem(name, row, column, message, rule=rule, file=file, line=line))
        if len(hits) > LISTED_PER_COLUMN:
            problems.append(
                Problem(
                    name,
                    None,
                    column,
                    f"{len(hits) - LISTED_PER_COLUMN:,} more rows with this problem (not listed)",
                    rule=rule,
                    count=len(hits) - LISTED_PER_COLUMN,
                )
            )

    if name == "enrollments" and "end_date" in columns:
        report(
            columns["end_date"] < columns["start_date"], "end_date", "end_date is before start_date", "end_before_start"
        )
    if name == "notifications":
        state.birth = columns.get("birth_date")  # kept for the birth-date rule; never in the frame
        _ages_at_notification(columns, config, report)
    if name == "incidents":
        # The parsed offense column already holds the violent flag; an
        # explicit violent column overrides the offense map.
        flag = columns.pop("violent") if "violent" in columns else columns["offense"]
        columns.pop("offense")
        columns["violent"] = np.asarray(flag, bool)
    return problems


def _ages_at_notification(
    columns: dict[str, Any], config: Config, report: Callable[[np.ndarray, str, str, str], None]
) -> None:
    when = columns["notification_date"]
    age = columns.get("age", np.full(len(when), np.nan)).astype(float)
    if "birth_date" in columns:
        birth = columns.pop("birth_date")
        known = ~np.isnat(birth)
        year, month, day = _civil(when)
        born_year, born_month, born_day = _civil(np.where(known, birth, when))
        before_birthday = (month < born_month) | ((month == born_month) & (day < born_day))
        from_birth = np.where(known, year - born_year - before_birthday, np.nan)
        report(
            known & ((from_birth < 0) | (from_birth > config.max_age)),
            "birth_date",
            "birth date gives an impossible age at notification",
            "impossible_age",
        )
        age = np.where(known, from_birth, age)
    columns["age"] = age
    groups = config.age_groups
    codes = np.full(len(age), len(groups), dtype=np.int8)  # "Unknown" unless a group holds the age
    for i, group in reversed(list(enumerate(groups))):
        codes[(age >= group.min) & (age <= group.max)] = i
    columns["age_group"] = pd.Categorical.from_codes(codes, categories=pd.Index(list(config.age_group_labels)))


def _civil(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day of datetime64 values, by integer arithmetic on day numbers.

    Howard Hinnant's days-to-civil algorithm: several times faster than NumPy's
    conversions to datetime64[Y] and [M]. NaT gives meaningless numbers; callers mask it.
    """
    days = values.astype("datetime64[D]").astype(np.int64) + 719468  # days since 0000-03-01
    era = np.floor_divide(days, 146097)
    of_era = days - era * 146097
    year_of_era = (of_era - of_era // 1460 + of_era // 36524 - of_era // 146096) // 365
    of_year = of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted = (5 * of_year + 2) // 153  # months from March
    day = of_year - (153 * shifted + 2) // 5 + 1
    month = np.where(shifted < 10, shifted + 3, shifted - 9)
    year = year_of_era + era * 400 + (month <= 2)
    return year, month, day
