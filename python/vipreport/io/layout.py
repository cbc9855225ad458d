"""Where each record of a CSV file starts, found from its bytes with NumPy.

pyarrow reads a CSV file fast but does not say on which physical line a
record began: it skips blank lines, and a quoted field may run over several
lines. Messages must name the line a person sees in an editor, so when (and
only when) a table has a problem to report, this module indexes the file's
bytes: a newline ends a record when an even number of quote characters
precede it (a doubled quote inside a quoted field keeps the count even), and
a comma separates fields under the same rule. Everything is vectorised; the
index is built once per file and only on the error path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEWLINE, CARRIAGE_RETURN, QUOTE, COMMA = 10, 13, 34, 44


@dataclass(frozen=True)
class Layout:
    """The records of one CSV file: physical start line and field count of each non-blank record."""

    lines: np.ndarray  # 1-based physical line on which each non-blank record starts
    fields: np.ndarray  # number of fields of each non-blank record
    open_quote_line: int | None  # line of a quote that is never closed, if any
    open_quote_field: int | None = None  # 1-based field of that record where it opens


def scan(data: np.ndarray) -> Layout:
    """Index ``data`` (the file's bytes as uint8, any ASCII-compatible encoding)."""
    newlines = np.flatnonzero(data == NEWLINE)
    quotes = np.flatnonzero(data == QUOTE)
    closed = np.searchsorted(quotes, newlines) % 2 == 0
    ends = newlines[closed]
    starts = np.concatenate(([0], ends + 1))
    stops = np.concatenate((ends, [len(data)]))
    open_quote_line = open_quote_field = None
    commas = np.flatnonzero(data == COMMA)
    separators = commas[np.searchsorted(quotes, commas) % 2 == 0]
    if len(quotes) % 2:
        # The unterminated field opens at the first quote of the last record.
        first = quotes[np.searchsorted(quotes, starts[-1])]
        open_quote_line = int(np.searchsorted(newlines, first)) + 1
        open_quote_field = int(np.searchsorted(separators, first) - np.searchsorted(separators, starts[-1])) + 1
    length = stops - starts
    last = np.clip(stops - 1, 0, max(len(data) - 1, 0))
    blank = (length == 0) | ((length == 1) & (data[last] == CARRIAGE_RETURN) if len(data) else True)
    starts, stops = starts[~blank], stops[~blank]
    fields = np.searchsorted(separators, stops) - np.searchsorted(separators, starts) + 1
    lines = np.searchsorted(newlines, starts) + 1
    return Layout(lines.astype(np.int64), fields.astype(np.int64), open_quote_line, open_quote_field)
