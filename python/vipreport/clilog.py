"""Logging for the ``vipreport`` command: one stderr handler on the ``vipreport`` logger.

The library only logs (``logging.getLogger(__name__)``); the command decides
what reaches stderr. Messages never hold cell values, so no level leaks
personal data.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TextIO

LOGGER = "vipreport"


def level_for(verbosity: int) -> int:
    """-q (-1): warnings and errors; default (0): progress notes too; -v (1 or more): debug."""
    if verbosity < 0:
        return logging.WARNING
    return logging.INFO if verbosity == 0 else logging.DEBUG


class _Formatter(logging.Formatter):
    """``vipreport: message``; warnings and errors say so; debug lines name their module."""

    def format(self, record: logging.LogRecord) -> str:
        prefix = "vipreport: "
        if record.levelno >= logging.WARNING:
            prefix += f"{record.levelname.lower()}: "
        elif record.levelno < logging.INFO:
            prefix += f"debug: {record.name}: "
        text = prefix + record.getMessage()
        if record.exc_info:
            text += "\n" + self.formatException(record.exc_info)
        return text


@contextmanager
def cli_logging(verbosity: int, stream: TextIO | None = None) -> Iterator[logging.Logger]:
    """Route the ``vipreport`` logger to ``stream`` (default: the current stderr) while the block runs.

    With ``verbosity`` 2 or more (``-vv``), other libraries' debug messages are shown too.
    """
    logger = logging.getLogger(LOGGER)
    handler = logging.StreamHandler(sys.stderr if stream is None else stream)
    handler.setFormatter(_Formatter())
    saved = logger.level, logger.propagate
    logger.setLevel(level_for(verbosity))
    logger.addHandler(handler)
    logger.propagate = False  # the command owns stderr: no second copy through the root logger
    root = logging.getLogger()
    root_saved = root.level
    if verbosity >= 2:
        root.addHandler(handler)
        root.setLevel(logging.DEBUG)
    try:
        yield logger
    finally:
        handler.flush()
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        if verbosity >= 2:
            root.removeHandler(handler)
            root.setLevel(root_saved)
