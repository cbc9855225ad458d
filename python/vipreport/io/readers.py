"""Reading export files (CSV, Parquet, Excel) as streams of raw DataFrame chunks.

CSV and Parquet are read in chunks, so a large export is validated and typed
piece by piece and memory stays bounded. Each reader also reports what it had
to recode to read the file at all (an encoding, title rows above the header,
merged spreadsheet cells), so the data-quality summary can say so.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import Problem
from .schema import TABLES

SUFFIXES = (".csv", ".parquet", ".xlsx")
CHUNK_ROWS = 1_000_000
HEADER_SEARCH_ROWS = 10


@dataclass
class RawTable:
    """A table as read from disk, before validation: chunks of raw values plus reading notes."""

    chunks: Iterator[pd.DataFrame]
    source: str
    notes: list[tuple[str, int]] = field(default_factory=list)  # (recoding reason, rows or cells)
    file: str | None = None         # the export file's name, when read from one
    rows: int | None = None         # the number of data rows, when known before reading (progress)
    first_line: int | None = None   # the line of data row 1, when rows map to lines exactly

    @classmethod
    def of(cls, frame: pd.DataFrame, source: str) -> RawTable:
        return cls(iter([frame]), source, rows=len(frame))


def find_table_files(directory: Path) -> tuple[dict[str, Path], list[Problem]]:
    """Map each known table name to its file in ``directory``; two files for one table is a problem."""
    found: dict[str, Path] = {}
    problems: list[Problem] = []
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in SUFFIXES:
            continue
        name = path.stem.lower()
        if name not in TABLES:
            continue
        if name in found:
            problems.append(Problem(name, None, None,
                                    f"two files for one table: {found[name].name} and {path.name}",
                                    rule="duplicate_table_file", file=path.name))
            continue
        found[name] = path
    return found, problems


def read_table_file(name: str, path: Path) -> RawTable:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(name, path)
    if suffix == ".parquet":
        return _read_parquet(path)
    return _read_excel(name, path)


def _normalised(cell) -> str:
    return str(cell).strip().lower().replace(" ", "_")


def header_row(rows: list[list], name: str) -> int:
    """Index of the header among the first rows: the first row naming every required column.

    Exports sometimes carry a title line or two above the header. When no row
    names them all, the first row is the header (and the missing columns are
    reported by validation).
    """
    required = set(TABLES[name].required)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if required <= {_normalised(c) for c in row if c is not None}:
            return i
    return 0


def _csv_encoding(path: Path) -> str:
    """utf-8-sig when the whole file decodes as UTF-8, else cp1252 (older Windows exports)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as handle:
        try:
            while block := handle.read(16 << 20):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8-sig"


def _read_csv(name: str, path: Path) -> RawTable:
    table = RawTable(iter(()), path.name, file=path.name)
    if path.stat().st_size == 0:
        table.chunks = iter([pd.DataFrame()])
        return table
    encoding = _csv_encoding(path)
    with open(path, encoding=encoding, errors="replace", newline="") as handle:
        first_rows = [row for _, row in zip(range(HEADER_SEARCH_ROWS), csv.reader(handle))]
    skip = header_row(first_rows, name)
    if skip:
        table.notes.append(("title rows above the header skipped", skip))
    options = dict(dtype=str, keep_default_na=False, na_values=[], skipinitialspace=True, encoding=encoding,
                   encoding_errors="replace", skiprows=skip)
    if encoding == "cp1252":
        table.notes.append(("file decoded as Windows-1252 (not UTF-8)", 0))

    def chunks() -> Iterator[pd.DataFrame]:
        try:
            yield from pd.read_csv(path, chunksize=CHUNK_ROWS, **options)
        except pd.errors.EmptyDataError:
            yield pd.DataFrame()

    table.chunks = chunks()
    return table


def _read_parquet(path: Path) -> RawTable:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(path)

    def chunks() -> Iterator[pd.DataFrame]:
        empty = True
        for batch in source.iter_batches(batch_size=CHUNK_ROWS):
            empty = False
            yield batch.to_pandas()
        if empty:
            yield source.schema_arrow.empty_table().to_pandas()

    return RawTable(chunks(), path.name, file=path.name, rows=source.metadata.num_rows)


def _read_excel(name: str, path: Path) -> RawTable:
    """The first sheet; merged cells are filled from their top-left cell (counted), title rows skipped."""
    import openpyxl

    workbook = openpyxl.load_workbook(path, data_only=True)
    sheet = workbook.worksheets[0]
    table = RawTable(iter(()), path.name, file=path.name)
    filled = 0
    for merged in list(sheet.merged_cells.ranges):
        value = sheet.cell(merged.min_row, merged.min_col).value
        sheet.unmerge_cells(str(merged))
        for row in sheet.iter_rows(min_row=merged.min_row, max_row=merged.max_row,
                                   min_col=merged.min_col, max_col=merged.max_col):
            for cell in row:
                cell.value = value
        filled += (merged.max_row - merged.min_row + 1) * (merged.max_col - merged.min_col + 1) - 1
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    workbook.close()
    if not rows:
        table.chunks = iter([pd.DataFrame()])
        return table
    skip = header_row(rows, name)
    if skip:
        table.notes.append(("title rows above the header skipped", skip))
    if filled:
        table.notes.append(("merged spreadsheet cells filled from their first cell", filled))
    header = [str(c) if c is not None else f"unnamed_{i}" for i, c in enumerate(rows[skip])]
    frame = pd.DataFrame(rows[skip + 1:], columns=header, dtype=object)
    table.chunks = iter([frame])
    table.rows = len(frame)
    table.first_line = skip + 2  # every sheet row is listed, blank ones too, so row n is on line skip + 1 + n
    return table
