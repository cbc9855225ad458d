"""Area trends: monthly referral series per area command, year-on-year change and a fitted trend."""

from __future__ import annotations

import pandas as pd

from .. import _core
from ..config import Config
from ..io import Dataset
from ..calendar import month_index
from .counts import monthly_counts


def area_series(data: Dataset, month: str, *, months: int | None = None,
                config: Config | None = None) -> pd.DataFrame:
    """Referrals per month (rows, ``months`` ending at ``month``) and area command (columns)."""
    config = config or data.config
    n = months or config.trend_months
    last = month_index(month)
    return monthly_counts(data.table("referrals"), date="referral_date", category="area_command",
                          first_month=last - n + 1, n_months=n)


def area_trends(data: Dataset, month: str, *, months: int | None = None,
                config: Config | None = None) -> pd.DataFrame:
    """Per area command: this month, a year earlier, the change, and a fitted linear trend.

    The trend is an ordinary-least-squares line through the ``trends.months``
    monthly counts ending at ``month`` (fitted in the core with Eigen), with a
    ``trends.confidence`` interval for the slope from Student's t. An area is
    flagged ``significant`` only when that interval excludes zero.

    Returns
    -------
    DataFrame
        Indexed by area: ``last_3_months, same_3_months_year_before, change,
        change_pct, slope_per_month, slope_ci_low, slope_ci_high, significant``
        (``change_pct`` is NaN when the year-earlier count is zero).
    """
    config = config or data.config
    n = months or config.trend_months
    series = area_series(data, month, months=max(n, 15), config=config)
    recent = series.iloc[-3:].sum()
    year_before = series.iloc[-15:-12].sum()
    fit = _core.linear_trends(series.iloc[-n:].to_numpy(float), confidence=config.trend_confidence)
    table = pd.DataFrame({
        "last_3_months": recent,
        "same_3_months_year_before": year_before,
        "change": recent - year_before,
        "change_pct": 100 * (recent - year_before) / year_before.where(year_before > 0),
        "slope_per_month": fit["slope"],
        "slope_ci_low": fit["ci_low"],
        "slope_ci_high": fit["ci_high"],
        "significant": fit["significant"].astype(bool),
    })
    table.index.name = "area_command"
    return table
