"""Printing numbers the way the report does: exact half-up rounding of true fractions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction


def percent(numerator: int, denominator: int, *, digits: int = 1) -> float | None:
    """100 * numerator / denominator rounded half up to ``digits`` decimals; None when denominator is 0.

    The rounding works on the exact fraction, so 94.45% prints as 94.5 (a
    float would give 94.4 for some such values).
    """
    if denominator == 0:
        return None
    exact = Fraction(100 * int(numerator), int(denominator))
    value = Decimal(exact.numerator) / Decimal(exact.denominator)
    return float(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent_text(numerator: int, denominator: int, *, digits: int = 1) -> str:
    value = percent(numerator, denominator, digits=digits)
    return "n/a" if value is None else f"{value:.{digits}f}%"
