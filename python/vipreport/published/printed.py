"""The one place where the published-figures format's percentages meet the report's proportions.

The published-figures format (``docs/testing-your-numbers.md``) keys the
headline rates as the city printed them: ``vip.success_rate_pct`` 97.6, a
percent with one decimal. A :class:`~vipreport.Report` holds the same rates
as proportions (``vip.success_rate`` 0.97598...). The format is the city's, and
its files are kept as they are: reading and writing them goes through
:func:`printed_scalars` and :func:`printed_key`, which turn the report's
proportion into the printed percent, rounded half up to one decimal exactly
as the report prints it, so a reconciled figure agrees to the digit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..report.numbers import percent_of

if TYPE_CHECKING:
    from ..report import Report

# The format's key of each headline rate (a percent, 0-100, as printed) and the report's (a proportion, 0-1).
PRINTED_RATES: dict[str, str] = {
    "vip.engagement_rate_pct": "vip.engagement_rate",
    "vip.success_rate_pct": "vip.success_rate",
}
_PRINTED_KEY = {report_key: printed for printed, report_key in PRINTED_RATES.items()}


def printed_key(key: str) -> str:
    """The format's key of the report's scalar ``key``: ``vip.success_rate`` as ``vip.success_rate_pct``."""
    return _PRINTED_KEY.get(key, key)


def printed_scalars(report: Report) -> dict[str, float | int | None]:
    """The report's headline numbers as the format holds them: keyed as printed, rates as printed percents.

    Examples
    --------
    >>> import vipreport as vr
    >>> report = vr.build_report(vr.datasets.demo(), "2024-11")
    >>> round(report.scalars["vip.success_rate"], 3), printed_scalars(report)["vip.success_rate_pct"]
    (0.976, 97.6)
    """
    out: dict[str, float | int | None] = {}
    for key, value in report.scalars.items():
        if key in _PRINTED_KEY:
            out[_PRINTED_KEY[key]] = percent_of(None if value is None else float(value))
        else:
            out[key] = value
    return out
