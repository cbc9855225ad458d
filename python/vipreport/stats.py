"""Intervals for shares and their differences.

Wilson (1927) score interval for one proportion, and Newcombe's (1998,
method 10) hybrid score interval for a difference of two independent
proportions. Both are what statsmodels computes with ``method="wilson"`` and
``method="newcomb"``; tests hold them to it within 1e-9.

Examples
--------
>>> from vipreport import stats
>>> low, high = stats.wilson_interval(11, 30)
>>> round(float(low), 3), round(float(high), 3)
(0.219, 0.545)
>>> difference, low, high = stats.newcombe_interval(19, 31, 11, 30)
>>> round(float(difference), 3), round(float(low), 3), round(float(high), 3)
(0.246, -0.003, 0.457)
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import numpy.typing as npt

from .errors import ArgumentError


def check_confidence(confidence: object) -> float:
    """``confidence`` as a float strictly between 0 and 1, else :class:`ArgumentError` (a ValueError)."""
    ok = isinstance(confidence, (int, float, np.integer, np.floating)) and not isinstance(confidence, bool)
    if not ok or not 0 < float(confidence) < 1:  # type: ignore[arg-type]
        raise ArgumentError(f"confidence must be a number strictly between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(confidence)  # type: ignore[arg-type]


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + check_confidence(confidence) / 2)


def wilson_interval(
    successes: npt.ArrayLike, trials: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Lower and upper Wilson score bounds of successes / trials (NaN where trials == 0)."""
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = x / n
        denominator = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denominator
    low, high = centre - half, centre + half
    empty = n == 0
    return np.where(empty, np.nan, low), np.where(empty, np.nan, high)


def newcombe_interval(
    successes_1: npt.ArrayLike,
    trials_1: npt.ArrayLike,
    successes_2: npt.ArrayLike,
    trials_2: npt.ArrayLike,
    *,
    confidence: float = 0.95,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Difference p1 - p2 with Newcombe's hybrid score interval: (difference, low, high)."""
    x1, n1 = np.asarray(successes_1, float), np.asarray(trials_1, float)
    x2, n2 = np.asarray(successes_2, float), np.asarray(trials_2, float)
    l1, u1 = wilson_interval(x1, n1, confidence=confidence)
    l2, u2 = wilson_interval(x2, n2, confidence=confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p1, p2 = x1 / n1, x2 / n2
    difference = p1 - p2
    low = difference - np.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = difference + np.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return difference, low, high


def loglog_interval(
    survival: npt.ArrayLike, greenwood: npt.ArrayLike, *, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan-Meier bounds on the log(-log S) scale ("exponential Greenwood", lifelines' default).

    Where S is 1 (no event yet) or 0 the transform is undefined and both bounds are 1, as in lifelines.
    """
    s = np.asarray(survival, dtype=float)
    var = np.asarray(greenwood, dtype=float)
    z = _z(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.log(s)
        low = np.exp(-np.exp(np.log(-v) - z * np.sqrt(var) / v))
        high = np.exp(-np.exp(np.log(-v) + z * np.sqrt(var) / v))
    return np.nan_to_num(low, nan=1.0), np.nan_to_num(high, nan=1.0)
