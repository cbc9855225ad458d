"""Reading the record tables from a database: a SQLAlchemy URL or Engine (the ``sql`` extra).

Each schema table comes from the database table of its own name, or from the
table or query the profile's ``[sql]`` section names for it. Rows are fetched
in chunks (a server-side cursor where the driver has one) and each chunk
becomes an Arrow table that goes down the same path as a file's: columns the
driver returns as text, numbers or booleans are typed by the loader's
parsers, and DATE and TIMESTAMP columns arrive typed, as a Parquet file's do
(a TIMESTAMP WITH TIME ZONE as its UTC instant, dated on the profile's
calendar by the loader). Messages name the table or query and the 1-based row
of its result, never a value; the URL's password is never shown (``***``).

SQLAlchemy is imported on first use, so ``import vipreport`` does not need it.
See docs/loading.md, "Databases".
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa

from ..config import Config
from ..errors import ArgumentError, DatabaseError, MissingDependencyError, NoDataError, Problem
from ..schema import TABLES
from .readers import Chunk, RawTable, cell_text, duplicate_columns

CHUNK_ROWS = 100_000  # rows fetched and converted at a time: Python objects cost memory until they are Arrow
EXTRA = "pip install 'vipreport[sql]'"
# A URL as SQLAlchemy writes one: dialect[+driver]://...
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
# The password of user:password@host, up to the last '@' before the query string (a raw '@' or '/' in a
# password, which should have been written %40 and %2F, is still hidden whole), and a password parameter.
_NETLOC_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*://[^:/@?]*:)[^?]*@")
_QUERY_PASSWORD = re.compile(r"([?&](?:password|passwd|pwd)=)[^&]*", re.IGNORECASE)
# SQLSTATE classes whose messages speak of the query (names of tables, columns, schemas, databases), not of a
# row's values; other classes (22 data exception, 23 integrity, ...) may quote a value, so only the code is shown.
_QUERY_CLASSES = ("42", "3F", "3D", "0A")
log = logging.getLogger(__name__)


def is_database(source: object) -> bool:
    """Whether ``source`` names a database: a URL such as ``postgresql://...``, or a SQLAlchemy Engine or URL."""
    if isinstance(source, str):
        return bool(_URL.match(source))
    kind = type(source)
    return kind.__module__.startswith("sqlalchemy.") and kind.__name__ in ("Engine", "URL")


def redact(url: str) -> str:
    """A database URL as text with its password, if any, written ``***``."""
    return _QUERY_PASSWORD.sub(r"\1***", _NETLOC_PASSWORD.sub(r"\1***@", url))


def _written_password(source: object) -> str | None:
    """The password as written in a URL's text (between ``user:`` and the '@'), or None."""
    found = _NETLOC_PASSWORD.match(source) if isinstance(source, str) else None
    return found.group(0)[len(found.group(1)) : -1] if found else None


def _sqlalchemy() -> Any:
    try:
        import sqlalchemy
    except ImportError:
        raise MissingDependencyError(
            f"reading from a database needs SQLAlchemy, which is not installed: {EXTRA} "
            "(it installs psycopg for PostgreSQL too)"
        ) from None
    return sqlalchemy


class Database:
    """One database, opened from a URL (the engine is ours to dispose) or given as an Engine."""

    def __init__(self, source: Any) -> None:
        sa = _sqlalchemy()
        self.owned = not isinstance(source, sa.engine.Engine)
        if not self.owned:
            self.engine = source
            url = source.url
        else:
            try:
                url = sa.engine.make_url(source)
            except sa.exc.ArgumentError:
                raise ArgumentError(f"not a database URL: {redact(str(source))}") from None
            if url.drivername == "postgresql":  # no driver named: psycopg (3), which the extra installs
                url = url.set(drivername="postgresql+psycopg")
            database = url.database or ""
            if (
                url.get_backend_name() == "sqlite"
                and database not in ("", ":memory:")
                and not database.startswith("file:")
                and not Path(database).is_file()
            ):
                # SQLite would create an empty database there: reading must not write anything.
                raise ArgumentError(f"SQLite database file not found: {database}")
        # What to hide: the password as SQLAlchemy reads it, and as the text of the URL holds it.
        self.secrets = [s for s in (url.password, _written_password(source)) if s]
        self.label = redact(source) if isinstance(source, str) else url.render_as_string(hide_password=True)
        if self.owned:
            try:
                self.engine = sa.create_engine(url)
            except ModuleNotFoundError as error:
                raise MissingDependencyError(
                    f"the database driver {error.name!r} for {url.drivername} URLs is not installed ({self.label}); "
                    f"for PostgreSQL: {EXTRA}"
                ) from None
            except sa.exc.NoSuchModuleError:
                raise ArgumentError(f"unknown kind of database {url.drivername!r} in {self.label}") from None
            except sa.exc.ArgumentError as error:
                raise ArgumentError(f"not a usable database URL: {self.label} ({self.scrub(str(error))})") from None

    def __repr__(self) -> str:
        return f"<vipreport Database {self.label}>"

    def close(self) -> None:
        if self.owned:
            self.engine.dispose()

    def scrub(self, text: str) -> str:
        """``text`` without the password, wherever a driver may have put it."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(str(secret), "***")
        return text

    def connect(self) -> Any:
        sa = _sqlalchemy()
        try:
            return self.engine.connect()
        except sa.exc.SQLAlchemyError as error:
            raise DatabaseError(f"cannot connect to the database {self.label}: {self.reason(error)}") from None

    def reason(self, error: BaseException) -> str:
        """The driver's first line (never SQLAlchemy's, which appends the statement and its parameters)."""
        original = getattr(error, "orig", None) or error
        message = str(original).strip().splitlines()
        return self.scrub(message[0]) if message else type(original).__name__

    def refusal(self, error: BaseException) -> str:
        """Why the database refused a query, without anything that may quote a row's value."""
        original = getattr(error, "orig", None) or error
        name = type(original).__name__
        state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
        if type(original).__module__ == "sqlite3" or (isinstance(state, str) and state[:2] in _QUERY_CLASSES):
            diag = getattr(original, "diag", None)
            primary = getattr(diag, "message_primary", None) or self.reason(error)
            code = f", SQLSTATE {state}" if state else ""
            return f"the database refused the query ({name}{code}): {self.scrub(primary)}"
        code = f"SQLSTATE {state}" if state else "no SQLSTATE"
        return (
            f"the database refused the query ({name}, {code}); its message is not shown because it may "
            "quote a value: run the query in the database's own client to see it"
        )

    # -- the tables ---------------------------------------------------------------
    def tables(self, config: Config) -> tuple[dict[str, Callable[[], RawTable]], list[Problem]]:
        """What to read for each schema table the database or the profile provides, and the profile's misses."""
        sa = _sqlalchemy()
        with self.connect() as connection:
            inspector = sa.inspect(connection)
            try:
                present = {n.lower(): n for n in [*inspector.get_table_names(), *inspector.get_view_names()]}
            except sa.exc.SQLAlchemyError as error:
                raise DatabaseError(f"cannot list the tables of {self.label}: {self.reason(error)}") from None
        raw: dict[str, Callable[[], RawTable]] = {}
        problems: list[Problem] = []
        for name in TABLES:
            if name in config.sql_queries:
                statement, label = sa.text(config.sql_queries[name]), f"query sql.queries.{name}"
            elif name in config.sql_tables:
                target = config.sql_tables[name]
                schema, _, table = target.rpartition(".")
                if not schema and table.lower() not in present:
                    problems.append(
                        Problem(
                            name,
                            None,
                            None,
                            f"sql.tables.{name} names {table!r}, which is not a table or view of the database",
                            rule="query_failed",
                        )
                    )
                    continue
                table = present.get(table.lower(), table) if not schema else table
                statement, label = self._select(table, schema or None), f"table {target}"
            elif name in present:
                statement, label = self._select(present[name], None), f"table {present[name]}"
            else:
                continue
            raw[name] = functools.partial(self._read, name, statement, label, config)
            log.debug("%s: table %s, from %s", label, name, self.label)
        if not raw and not problems:
            raise NoDataError(
                f"no tables in the database {self.label}: expected tables named like the schema's "
                f"({', '.join(TABLES)}), or [sql] tables and queries in the profile"
            )
        return raw, problems

    @staticmethod
    def _select(table: str, schema: str | None) -> Any:
        sa = _sqlalchemy()
        return sa.select(sa.text("*")).select_from(sa.table(table, schema=schema))  # names quoted by the dialect

    def _read(self, name: str, statement: Any, label: str, config: Config) -> RawTable:
        table = RawTable(label, iter(()))
        mapping = {k.strip().lower(): v for k, v in config.column_map.items()}
        table.chunks = self._chunks(name, statement, label, mapping, table)
        return table

    def _chunks(
        self, name: str, statement: Any, label: str, mapping: dict[str, str], table: RawTable
    ) -> Iterator[Chunk]:
        sa = _sqlalchemy()
        with self.connect() as connection:
            try:
                result = connection.execution_options(stream_results=True, yield_per=CHUNK_ROWS).execute(statement)
                columns = [str(c) for c in result.keys()]  # noqa: SIM118 (a Result, not a dict)
                table.problems += duplicate_columns(name, columns, label, None, mapping)
                if table.problems:
                    return
                first = 0
                for rows in result.partitions():
                    yield Chunk(_arrow(columns, rows), label, first)
                    first += len(rows)
                if first == 0:
                    yield Chunk(_arrow(columns, []), label, 0)
            except sa.exc.DBAPIError as error:
                if error.connection_invalidated:
                    raise DatabaseError(
                        f"the connection to {self.label} was lost while reading {label}: {self.reason(error)}"
                    ) from None
                table.problems.append(
                    Problem(name, None, None, f"{label}: {self.refusal(error)}", rule="query_failed", file=label)
                )


def _arrow(columns: list[str], rows: Any) -> pa.Table:
    values = list(zip(*rows, strict=True)) if len(rows) else [() for _ in columns]
    return pa.Table.from_arrays([_column(list(v)) for v in values], names=columns)


def _column(values: list[Any]) -> pa.Array:
    """One column of a chunk as Arrow: dates and timestamps typed, numbers and booleans as such, the rest text."""
    kinds = {type(v) for v in values} - {type(None)}
    try:
        if not kinds or kinds == {str}:
            return pa.array(values, pa.string())
        if kinds == {dt.date}:
            return pa.array(values, pa.date32())
        if kinds == {dt.datetime}:
            zoned = {v.tzinfo is not None for v in values if v is not None}
            if zoned == {True}:  # an instant: the loader dates it on the profile's calendar
                utc = [None if v is None else v.astimezone(dt.UTC) for v in values]
                return pa.array(utc, pa.timestamp("us", "UTC"))
            if zoned == {False}:
                return pa.array(values, pa.timestamp("us"))
        if kinds == {bool}:
            return pa.array(values, pa.bool_())
        if kinds == {int}:
            return pa.array(values, pa.int64())
        if kinds <= {int, float}:
            return pa.array(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, OverflowError):
        pass  # beyond Arrow's range (a huge integer): as text, like the rest
    return pa.array([_text(v) for v in values], pa.string())


def _text(value: object) -> str | None:
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", errors="replace")
    return cell_text(value)
