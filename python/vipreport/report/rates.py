"""Which columns of the report's tables, and which headline numbers, are rates.

``Report.tables`` and ``Report.scalars`` hold every rate as a proportion
(0 to 1), like the metric functions. Only the renderers turn one into a
percent, through :func:`~vipreport.report.numbers.percent_of`, and they find
the rates here, by table, rather than by a column's name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

_WILSON = ("ci_low", "ci_high")
# Per table: its columns that are proportions (a rate, its interval, a share), printed as percents.
RATE_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "vip.engagement": ("engagement_rate", *_WILSON, "open_share"),
        "vip.engagement_trend": ("engagement_rate", *_WILSON, "open_share"),
        "vip.success_trend": ("success_rate", *_WILSON),
        "vip.success_by_age": ("success_rate", *_WILSON),
        "vip.success_methods": ("success_rate", *_WILSON),
        "vip.survival": ("survival", *_WILSON),
        "vip.survival_curve": ("survival", *_WILSON),
        # Differences of two proportions (-1 to 1), printed as percentage points.
        "vip.engagement_change": ("engagement_rate", "difference", "difference_ci_low", "difference_ci_high"),
        # A relative change (-1 upward): 0.25 is 25% more than a year earlier.
        "vip.area_trends": ("relative_change",),
    }
)
# The columns above that are differences or relative changes, not proportions in [0, 1].
SIGNED_COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "vip.engagement_change": ("difference", "difference_ci_low", "difference_ci_high"),
        "vip.area_trends": ("relative_change",),
    }
)
# Headline numbers that are rates (proportions 0 to 1).
RATE_SCALARS = frozenset({"vip.engagement_rate", "vip.success_rate"})


def rate_columns(key: str, columns: Iterable[object]) -> list[str]:
    """The rate columns of table ``key`` among ``columns`` (a table's columns), in the table's order."""
    declared = RATE_COLUMNS.get(key, ())
    return [str(c) for c in columns if isinstance(c, str) and c in declared]
