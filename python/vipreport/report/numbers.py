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


def percent_of(proportion: float | None, *, digits: int = 1) -> float | None:
    """A proportion (0-1) as a percent rounded half up to ``digits`` decimals; None for a missing value.

    The rounding works on the proportion's shortest decimal form (``repr``), so a
    rate stored as ``23 / 80`` prints as 28.8, exactly as :func:`percent`
    prints it from its counts: multiplying the float by 100 first gives
    28.749999999999996, which rounds down.
    """
    if proportion is None or proportion != proportion:
        return None
    value = Decimal(repr(float(proportion))) * 100
    return float(value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def percent_of_text(proportion: float | None, *, digits: int = 1, sign: bool = False) -> str:
    """A proportion as printed: ``0.9445`` as ``"94.5"`` (no % sign: the caller adds it where it is printed);
    ``"n/a"`` when missing. ``sign`` prints a + before a positive value (a difference)."""
    value = percent_of(proportion, digits=digits)
    if value is None:
        return "n/a"
    return f"{value:+,.{digits}f}" if sign else f"{value:,.{digits}f}"
