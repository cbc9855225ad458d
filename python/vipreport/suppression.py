"""Small-number rules for public output (in the manner of CDC/NCHS publication standards).

A count from ``suppress_min`` to ``suppress_max`` is hidden (primary
suppression). A hidden cell could still be recovered by subtraction when its
line has a total printed somewhere: every column of a report table does (the
FYTD totals block, the other tables of the same events), and a row does when
its cells add up to a printed value. So, while any such line has exactly one
hidden cell, the smallest other cell of that line is hidden too
(complementary suppression). A hidden cell is shown as ``*``; a true zero
stays ``0``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pandas as pd

from .config import Config

SUPPRESSED = "*"
UNSTABLE = "\u2020"  # dagger


def primary_mask(values: np.ndarray, config: Config) -> np.ndarray:
    if config.suppress_max < config.suppress_min:
        return np.zeros(values.shape, dtype=bool)
    return (values >= config.suppress_min) & (values <= config.suppress_max)


def suppression_mask(
    table: pd.DataFrame, config: Config, *, columns_add_up: bool = True, rows_add_up: bool = False
) -> pd.DataFrame:
    """Which cells public output hides: primary, then complementary until no line gives one away."""
    values = table.to_numpy(dtype=float)
    mask = primary_mask(values, config)
    lines: list[tuple[int | slice, int | slice]] = []
    if columns_add_up:
        lines += [(slice(None), j) for j in range(values.shape[1])]
    if rows_add_up:
        lines += [(i, slice(None)) for i in range(values.shape[0])]
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = mask[line]
            if hidden.sum() != 1 or hidden.size < 2:
                continue
            candidates = np.where(hidden, np.inf, values[line])
            mask[line][int(np.argmin(candidates))] = True  # the smallest other cell, first on ties
            changed = True
    return pd.DataFrame(mask, index=table.index, columns=table.columns)


def unstable(denominators: npt.ArrayLike, config: Config) -> np.ndarray:
    """Rates over fewer than ``unstable_below`` persons (and more than none)."""
    n = np.asarray(denominators, dtype=float)
    return (n > 0) & (n < config.unstable_below)


Cell = tuple[str, object, object]  # (table key, row, column): one number of the report


def linked_suppression(
    values: dict[Cell, float],
    relations: list[list[Cell]],
    config: Config,
    *,
    shown: set[Cell],
    unknown: frozenset[Cell] = frozenset(),
) -> set[Cell]:
    """The cells to hide when numbers are linked by sums across tables.

    Each relation is a line of cells whose first cell is the sum of the others
    (a column total, a fiscal-year-to-date total, a denominator split into a
    numerator and its complement). A count from ``suppress_min`` to
    ``suppress_max`` is hidden wherever it is, printed or only derivable (a
    derived count is kept from being worked out by hiding one of the printed
    cells it comes from). While a line has exactly one hidden or unknown cell,
    the smallest printed cell of that line is hidden too, preferring the parts
    to the total: subtraction then leaves at least two unknowns in every line.
    Because a cell printed in two tables is one cell here, every table hides it
    alike. ``unknown`` cells (months of the fiscal year not in this report)
    count as unknown but are never hidden: they are not printed.
    """
    cells = list(values)
    lo, hi = config.suppress_min, config.suppress_max
    hidden = {c for c in cells if lo <= values[c] <= hi and hi >= lo}
    changed = True
    while changed:
        changed = False
        for line in relations:
            if len(line) < 2 or sum(c in hidden for c in line) != 1 or any(c in unknown for c in line):
                continue
            total, parts = line[0], line[1:]
            candidates = [c for c in parts if c in shown and c not in hidden] or (
                [total] if total in shown and total not in hidden else []
            )
            if not candidates:
                continue  # nothing printed left to hide: the line reveals nothing new
            hidden.add(min(candidates, key=lambda c: values[c]))  # smallest first; first on ties
            changed = True
    return hidden & shown
