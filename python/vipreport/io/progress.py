"""Progress while loading: rows read per file, shown only when stderr is a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any, TextIO

import pandas as pd
from tqdm import tqdm


def progress_wanted(stream: TextIO | None = None) -> bool:
    """Whether to draw progress bars on ``stream`` (default: stderr): only on a terminal.

    A scheduler's log file or a pipe gets no carriage-return output.
    """
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def counted(chunks: Iterator[pd.DataFrame], *, source: str, total: int | None, enabled: bool) -> Iterator[pd.DataFrame]:
    """``chunks`` unchanged; with ``enabled``, a bar counts the rows of each chunk once it is handled."""
    with tqdm(
        total=total, desc=source, unit=" rows", leave=False, disable=not enabled, file=sys.stderr, dynamic_ncols=True
    ) as bar:
        for chunk in chunks:
            yield chunk
            bar.update(len(chunk))


def rows_bar(source: str, total: int | None, *, enabled: bool) -> tqdm[Any]:
    """A bar counting the rows read from ``source`` (the caller updates it per chunk)."""
    return tqdm(
        total=total, desc=source, unit=" rows", leave=False, disable=not enabled, file=sys.stderr, dynamic_ncols=True
    )
