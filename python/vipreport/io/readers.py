"""Reading export files as Arrow tables of text, chunk by chunk.

Every reader returns the table's cells as text (``pa.string``), except cells
that a typed format already stores as a date or timestamp; the loader types
each column deliberately afterwards. CSV is read with pyarrow's
multi-threaded reader (its streaming reader for large files, so memory stays
bounded). Each reader reports what it had to recode to read the file at all
(an encoding, title rows, merged spreadsheet cells) and the structural
problems it met (unterminated quotes, rows with the wrong number of fields,
duplicate column names), each at the physical line a person sees.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.csv as pv

from ..errors import Problem
from ..schema import TABLES
from .layout import Layout, scan

HEADER_SEARCH_ROWS = 10
# Files up to this size are read whole with every thread; larger ones are streamed.
STREAM_BYTES = 256 << 20
STREAM_BLOCK_BYTES = 32 << 20
CHUNK_ROWS = 2_000_000
NOT_UTF8 = "file decoded as Windows-1252 (not UTF-8)"


def normalised(name: object) -> str:
    """A column name as the schema spells it: trimmed, lower case, spaces as underscores."""
    return str(name).strip().lower().replace(" ", "_")


@dataclass
class Chunk:
    """Up to a few million rows of one file, as Arrow columns, with a way to find their lines."""

    table: pa.Table
    file: str | None  # the name messages give (None for a frame)
    first_record: int = 0  # index of the chunk's first row among the file's data rows
    lines: Callable[[np.ndarray], np.ndarray | None] | None = None  # data-row indices -> physical lines


@dataclass
class RawTable:
    """One table before validation: its chunks, reading notes and structural problems."""

    source: str
    chunks: Iterator[Chunk]
    notes: list[tuple[str, int]] = field(default_factory=list)  # (recoding reason, rows or cells; 0 = all)
    rows: int | None = None  # data rows, when known before reading (a progress bar's total)
    problems: list[Problem] = field(default_factory=list)  # filled as the chunks are read


class NotUtf8(Exception):
    """Raised inside a CSV read when the bytes are not UTF-8; the file is read again as cp1252."""


def header_row(rows: list[list[Any]], name: str) -> int:
    """Index of the header among the first rows: the first row naming every required column.

    Exports sometimes carry a title line or two above the header. When no row
    names them all, the first row is the header (and the missing columns are
    reported by validation).
    """
    required = set(TABLES[name].required)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if row and required <= {normalised(c) for c in row if c is not None}:
            return i
    return 0


def duplicate_columns(
    table: str, header: list[str], file: str, line: int | None, mapping: dict[str, str]
) -> list[Problem]:
    """A column named twice (after case, spaces and the profile's mapping) is ambiguous: an error."""
    seen: dict[str, int] = {}
    problems = []
    for position, name in enumerate(header, 1):
        key = mapping.get(name.strip(), normalised(name))
        if key in seen and key:
            problems.append(
                Problem(
                    table,
                    None,
                    key,
                    f"column {key!r} appears twice in the header (fields {seen[key]} and {position}); rename one",
                    rule="duplicate_column",
                    file=file,
                    line=line,
                )
            )
        seen.setdefault(key, position)
    return problems


class CsvFile:
    """One CSV export: plain, ``.gz``, or a member of a ``.zip``."""

    def __init__(self, path: Path, member: str | None = None) -> None:
        self.path = path
        self.member = member
        self.label = f"{path.name}[{member}]" if member else path.name

    def stream(self) -> pa.NativeFile:
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:
                return pa.BufferReader(archive.read(self.member))
        if self.path.name.lower().endswith(".gz"):
            return pa.input_stream(str(self.path), compression="gzip")
        return pa.input_stream(str(self.path))

    @property
    def size(self) -> int:
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive:
                return archive.getinfo(self.member).file_size
        return self.path.stat().st_size

    def head(self, size: int = 1 << 16) -> bytes:
        if self.member is not None:
            with zipfile.ZipFile(self.path) as archive, archive.open(self.member) as handle:
                return handle.read(size)
        opener = gzip.open if self.path.name.lower().endswith(".gz") else open
        with opener(self.path, "rb") as handle:
            return handle.read(size)

    @cached_property
    def has_quotes(self) -> bool:
        """Whether the file holds a quote character (compressed files are assumed to)."""
        if self.member is not None or self.path.name.lower().endswith(".gz") or not self.size:
            return True
        import mmap

        with open(self.path, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return data.find(b'"') >= 0

    @cached_property
    def layout(self) -> Layout:
        """The record index of the whole file (built on the error path only)."""
        if self.member is None and not self.path.name.lower().endswith(".gz"):
            data = np.memmap(self.path, dtype=np.uint8, mode="r") if self.size else np.zeros(0, np.uint8)
        else:
            data = np.frombuffer(self.stream().read(), dtype=np.uint8)
        return scan(np.asarray(data))


def read_csv(name: str, file: CsvFile, mapping: dict[str, str], *, encoding: str = "utf8") -> RawTable:
    """Stream one CSV file as chunks of text columns; problems land in ``RawTable.problems``."""
    table = RawTable(file.label, iter(()))
    head = file.head()
    if not head.strip():
        table.problems.append(
            Problem(
                name, None, None, f"{file.label} is empty: it has no header row", rule="empty_file", file=file.label
            )
        )
        return table
    text = head.decode("utf-8-sig" if encoding == "utf8" else encoding, errors="replace")
    rows = list(_first_rows(text))
    skip = header_row(rows, name)
    header = rows[skip]
    header_line = skip + 1 + sum(r.count("\n") for row in rows[: skip + 1] for r in row)
    if skip:
        table.notes.append(("title rows above the header skipped", sum(1 for r in rows[:skip] if r)))
    if encoding != "utf8":
        table.notes.append((NOT_UTF8, 0))
    table.problems += duplicate_columns(name, header, file.label, header_line, mapping)
    if table.problems:
        return table
    title_records = sum(1 for r in rows[:skip] if r)
    table.chunks = _csv_chunks(name, file, header, skip, title_records, encoding, table)
    return table


def _first_rows(text: str) -> Iterator[list[str]]:
    reader = csv.reader(io.StringIO(text.replace("\r\n", "\n"), newline=""))
    try:
        for i, row in enumerate(reader):
            if i > HEADER_SEARCH_ROWS:
                return
            yield row
    except csv.Error:  # a quote opened in the first block; the full read reports it
        return


def _csv_chunks(
    name: str, file: CsvFile, header: list[str], skip: int, title_records: int, encoding: str, table: RawTable
) -> Iterator[Chunk]:
    invalid = [0]

    def on_invalid_row(row: pv.InvalidRow) -> str:
        # Counted only: the row's text is never kept. The layout pass finds its line.
        invalid[0] += 1
        return "skip"

    def lines(records: np.ndarray) -> np.ndarray | None:
        layout = file.layout
        data = np.flatnonzero(layout.fields[title_records + 1 :] == len(header)) + title_records + 1
        records = np.asarray(records)
        return layout.lines[data[records]] if len(data) > int(records.max(initial=-1)) else None

    # Our own column names, so that every column is typed as text whatever its header says.
    names = [f"f{i}" for i in range(len(header))]
    streamed = file.size > STREAM_BYTES
    read_options = pv.ReadOptions(
        skip_rows=skip + 1,
        column_names=names,
        encoding=encoding,
        use_threads=True,
        **({"block_size": STREAM_BLOCK_BYTES} if streamed else {}),
    )
    # A value may run over lines only inside quotes; a file without a quote is split faster.
    parse_options = pv.ParseOptions(newlines_in_values=file.has_quotes, invalid_row_handler=on_invalid_row)
    convert_options = pv.ConvertOptions(
        column_types={n: pa.string() for n in names},
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
        null_values=[],
        check_utf8=True,
    )
    first = 0
    last: pa.Table | None = None
    try:
        if not streamed:
            batches: Iterator[pa.Table] = iter(
                [pv.read_csv(file.stream(), read_options, parse_options, convert_options)]
            )
        else:
            batches = _grouped(pv.open_csv(file.stream(), read_options, parse_options, convert_options))
        for part in batches:
            last = part
            yield Chunk(part.rename_columns(header), file.label, first, lines)
            first += part.num_rows
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error) and encoding == "utf8":
            raise NotUtf8 from None
        # pyarrow's message may quote the row: it is never shown. The layout says what is wrong.
        table.problems += structure_problems(name, file, header, title_records) or [
            Problem(
                name,
                None,
                None,
                "could not be read as CSV (its structure is broken)",
                rule="malformed_file",
                file=file.label,
            )
        ]
        return
    if invalid[0] or (last is not None and _ends_inside_a_field(last)):
        table.problems += structure_problems(name, file, header, title_records)


def _grouped(reader: pv.CSVStreamingReader) -> Iterator[pa.Table]:
    """Batches of the streaming reader grouped into chunks of about CHUNK_ROWS rows."""
    pending: list[pa.RecordBatch] = []
    rows = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_ROWS:
            yield pa.Table.from_batches(pending)
            pending, rows = [], 0
    if pending or rows == 0:
        yield pa.Table.from_batches(pending, schema=reader.schema)


def _ends_inside_a_field(part: pa.Table) -> bool:
    """An unterminated quote swallows the rest of the file into the last row's last fields."""
    if part.num_rows == 0:
        return False
    tail = part.slice(part.num_rows - 1)
    return any("\n" in (v or "") for v in tail.to_pylist()[0].values() if isinstance(v, str))


def structure_problems(name: str, file: CsvFile, header: list[str], title_records: int) -> list[Problem]:
    """Unterminated quotes and rows whose field count differs from the header's, at their lines."""
    layout = file.layout
    problems = []
    if layout.open_quote_line is not None:
        field = layout.open_quote_field or 0
        column = normalised(header[field - 1]) if 0 < field <= len(header) else None
        problems.append(
            Problem(
                name,
                None,
                column,
                "a quote opened on this line is never closed, so the rest of the file would be read as one value",
                rule="unterminated_quote",
                file=file.label,
                line=layout.open_quote_line,
            )
        )
    data = slice(title_records + 1, None)
    wrong = np.flatnonzero(layout.fields[data] != len(header))
    for i in wrong:
        if layout.open_quote_line is not None and layout.lines[data][i] >= layout.open_quote_line:
            break
        problems.append(
            Problem(
                name,
                int(i) + 1,
                None,
                f"{int(layout.fields[data][i])} fields where the header has {len(header)}",
                rule="field_count",
                file=file.label,
                line=int(layout.lines[data][i]),
            )
        )
    return problems


def read_parquet(path: Path) -> RawTable:
    """A Parquet file, or a folder of parts (hive partitions such as ``year=2024/`` are read too)."""
    import pyarrow.dataset as ds

    dataset = ds.dataset(str(path), format="parquet", partitioning="hive" if path.is_dir() else None)
    partition_keys = set(dataset.schema.names) - set(_file_columns(dataset))
    columns = [c for c in dataset.schema.names if c not in partition_keys]
    label = path.name + ("/" if path.is_dir() else "")

    def chunks() -> Iterator[Chunk]:
        empty = True
        first = 0  # each chunk's first row among the file's, so messages give the row in the file
        for batch in dataset.to_batches(columns=columns, batch_size=CHUNK_ROWS):
            empty = False
            yield Chunk(pa.Table.from_batches([batch]), label, first)
            first += batch.num_rows
        if empty:
            yield Chunk(dataset.schema.empty_table().select(columns), label)

    return RawTable(label, chunks(), rows=dataset.count_rows())


def _file_columns(dataset: Any) -> list[str]:  # a pyarrow.dataset.Dataset
    files = dataset.files
    if not files:
        return list(dataset.schema.names)
    import pyarrow.parquet as pq

    return list(pq.read_schema(files[0]).names)


def read_excel(name: str, path: Path, sheet: str | None) -> RawTable:
    """One sheet (the first, or ``sheet``) as text; merged cells filled from their first cell (counted)."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    label = f"{path.name}[{worksheet.title}]" if sheet else path.name
    table = RawTable(label, iter(()))
    filled = 0
    for merged in list(worksheet.merged_cells.ranges):
        value = worksheet.cell(merged.min_row, merged.min_col).value
        worksheet.unmerge_cells(str(merged))
        for row in worksheet.iter_rows(
            min_row=merged.min_row, max_row=merged.max_row, min_col=merged.min_col, max_col=merged.max_col
        ):
            for cell in row:
                cell.value = value
        filled += (merged.max_row - merged.min_row + 1) * (merged.max_col - merged.min_col + 1) - 1
    rows = [list(r) for r in worksheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows:
        table.problems.append(
            Problem(name, None, None, f"{label} is empty: it has no header row", rule="empty_file", file=label)
        )
        return table
    skip = header_row(rows, name)
    if skip:
        table.notes.append(("title rows above the header skipped", skip))
    if filled:
        table.notes.append(("merged spreadsheet cells filled from their first cell", filled))
    header = [str(c) if c is not None else f"unnamed_{i}" for i, c in enumerate(rows[skip])]
    table.problems += duplicate_columns(name, header, label, skip + 1, {})
    body = rows[skip + 1 :]
    columns = {}
    for j, column in enumerate(header):
        columns[column] = pa.array([cell_text(r[j]) if j < len(r) else None for r in body], pa.string())
    first_line = skip + 2

    def lines(records: np.ndarray) -> np.ndarray:
        return np.asarray(records) + first_line

    table.rows = len(body)
    if not table.problems:
        table.chunks = iter([Chunk(pa.table(columns) if columns else pa.table({}), label, 0, lines)])
    return table


def _missing(value: object) -> bool:
    try:
        return value is None or bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):
        return True  # pandas.NA refuses to compare


def cell_text(value: object) -> str | None:
    """A spreadsheet or object cell as the text an export would hold (dates ISO, whole floats as integers)."""
    if isinstance(value, str):
        return value
    if _missing(value):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value)
    return str(value)
