"""Area trends: monthly referral counts per area command, modelled as counts, over the months observed."""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd

from ..calendar import month_index, month_label
from ..config import Config
from ..io import Dataset
from ..stats import check_confidence
from .counts import first_record_month, monthly_counts
from .glm import benjamini_hochberg, poisson_irls, two_sided_p
from .tidy import long_counts, month_ends

SEASONAL_FROM = 24  # observed months from which a yearly harmonic is fitted


def area_series(data: Dataset, month: str, *, months: int | None = None, config: Config | None = None) -> pd.DataFrame:
    """Referrals per month (rows) and area command (columns): up to ``months`` months ending at ``month``.

    Months before the first referral in the data are absent, not zero.

    Parameters
    ----------
    data
        A loaded :class:`Dataset` with a ``referrals`` table.
    month
        The last month, ``"YYYY-MM"``.
    months
        How many months; default the profile's ``trends.months``.
    config
        Overrides ``data.config`` (only ``trends.months`` is read).

    Returns
    -------
    DataFrame
        Long, oldest month first, then the area commands in report order and
        the missing-area label: ``month`` (a monthly Period), ``area_command``,
        ``referrals`` and ``as_of`` (the month's last day). ``.vip.wide().T``
        gives months as rows and areas as columns.

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> monthly = vr.area_series(data, "2024-11", months=12)
    >>> str(monthly["month"].min()), str(monthly["month"].max()), monthly.shape
    ('2023-12', '2024-11', (84, 4))
    >>> november = monthly[monthly["month"] == "2024-11"]
    >>> dict(zip(november["area_command"], november["referrals"].tolist()))
    {'Southeast': 16, 'Northeast': 3, 'Northwest': 3, 'Foothills': 3, 'Southwest': 6, 'Valley': 6, 'N/A': 7}
    """
    grid = _area_grid(data, month, months=months, config=config)
    first = month_index(month) - len(grid) + 1
    return long_counts(
        grid.to_numpy(),
        None,
        list(range(first, first + len(grid))),
        list(grid.columns),
        dimension="area_command",
        value="referrals",
    )


def _area_grid(data: Dataset, month: str, *, months: int | None, config: Config | None) -> pd.DataFrame:
    """Referrals per month (rows, ``"YYYY-MM"``) and area command (columns), from the first referral on."""
    config = config or data.config
    n = months or config.trend_months
    last = month_index(month)
    start = first_record_month(data.table("referrals"), "referral_date")
    first = last - n + 1 if start is None else max(last - n + 1, start)
    return monthly_counts(
        data.table("referrals"),
        date="referral_date",
        category="area_command",
        first_month=first,
        n_months=max(0, last - first + 1),
    )


def area_trends(
    data: Dataset,
    month: str,
    *,
    months: int | None = None,
    confidence: float | None = None,
    config: Config | None = None,
) -> pd.DataFrame:
    """Per area command: the last three months against a year earlier, and a count-model trend.

    The trend is a Poisson log-linear model of the monthly referral counts over
    the observed months among the ``months`` (default ``trends.months``) ending
    at ``month`` (months before the first referral are left out, never read as
    zeros), with a yearly harmonic (sine and cosine of the month) once there are
    24 or more observed months. Overdispersion is allowed for by the
    quasi-Poisson scale (Pearson chi-squared over residual degrees of freedom,
    used when above 1). The trend is reported as the rate ratio per year with a
    ``trends.confidence`` Wald interval. The areas are tested together:
    Benjamini-Hochberg adjusted p-values control the false discovery rate
    across them, and an area shows a clear increase or decrease only when its
    adjusted p-value is below 1 - confidence. Below ``trends.min_months``
    observed months no trend is fitted ("too few months to say").

    ``confidence`` (between 0 and 1) overrides ``trends.confidence`` for both the
    interval and the test.

    Returns
    -------
    DataFrame
        One row per area command, with a default index: ``area_command,
        last_3_months, same_3_months_year_before, change, relative_change``
        (the change as a proportion of the year-earlier count, -0.06 for 6% fewer;
        NaN when the year-earlier count is zero or not observed),
        ``months_observed, seasonal, rate_ratio_per_year, rr_ci_low, rr_ci_high,
        dispersion, p_value, p_adjusted`` (Benjamini-Hochberg), ``significant``
        ``trend`` (the words printed) and ``as_of`` (``month``'s last day).

    Examples
    --------
    >>> import vipreport as vr
    >>> data = vr.datasets.demo()
    >>> trends = vr.area_trends(data, "2024-11").set_index("area_command")
    >>> trends[["last_3_months", "same_3_months_year_before", "change"]].loc["Southeast"].tolist()
    [44, 47, -3]
    >>> round(float(trends.loc["Southeast", "rate_ratio_per_year"]), 2), trends.loc["Southeast", "trend"]
    (1.03, 'no clear change')
    """
    config = config or data.config
    level = config.trend_confidence if confidence is None else check_confidence(confidence)
    n = months or config.trend_months
    series = _area_grid(data, month, months=n, config=config)
    history = _area_grid(data, month, months=15, config=config)
    last = month_index(month)
    labels = [month_label(m) for m in range(last - 14, last + 1)]
    history = history.reindex(labels)  # unobserved months stay NaN: "not observed", not zero
    recent = history.iloc[-3:].sum(min_count=3)
    year_before = history.iloc[:3].sum(min_count=3)
    table = pd.DataFrame(
        {
            "last_3_months": recent,
            "same_3_months_year_before": year_before,
            "change": recent - year_before,
            "relative_change": (recent - year_before) / year_before.where(year_before > 0),
        }
    )
    observed = len(series)
    fits = _fit_areas(series, level) if observed >= config.trend_min_months else {}
    for column in ("rate_ratio_per_year", "rr_ci_low", "rr_ci_high", "dispersion", "p_value"):
        table[column] = [fits.get(area, {}).get(column, np.nan) for area in table.index]
    table.insert(4, "months_observed", observed)
    table.insert(5, "seasonal", observed >= SEASONAL_FROM)
    table["p_adjusted"] = benjamini_hochberg(table["p_value"].to_numpy())
    alpha = 1 - level
    table["significant"] = (table["p_adjusted"] < alpha).to_numpy()
    totals = series.sum()
    table["trend"] = [_words(row, observed, int(totals.get(row.Index, 0)), config) for row in table.itertuples()]
    table.index.name = "area_command"
    table["as_of"] = month_ends([last])[0]
    return table.reset_index()


def _design(month_indices: np.ndarray, seasonal: bool) -> np.ndarray:
    years = (month_indices - month_indices[0]) / 12.0
    columns = [np.ones(len(month_indices)), years]
    if seasonal:
        angle = 2 * np.pi * (month_indices % 12) / 12.0
        columns += [np.sin(angle), np.cos(angle)]
    return np.column_stack(columns)


def _fit_areas(series: pd.DataFrame, confidence: float) -> dict[str, dict[str, float]]:
    months = np.array([month_index(m) for m in series.index])
    design = _design(months, len(months) >= SEASONAL_FROM)
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    out = {}
    for area in series.columns:
        y = series[area].to_numpy(dtype=float)
        if y.sum() == 0:
            continue  # no referrals at all: no rate to trend
        # A sparse area (one or two referrals, as in a one-area slice of the data) has no finite
        # maximum-likelihood trend: the fit diverges or its information matrix is singular. Such an
        # area gets no trend ("too few referrals to say") rather than a warning or an infinite ratio.
        with np.errstate(all="ignore"):
            try:
                fit = poisson_irls(y, design)
            except np.linalg.LinAlgError:
                continue
            beta, se = fit.coef[1], fit.se[1]
            row = {
                "rate_ratio_per_year": float(np.exp(beta)),
                "rr_ci_low": float(np.exp(beta - z * se)),
                "rr_ci_high": float(np.exp(beta + z * se)),
                "dispersion": fit.dispersion,
            }
        if not all(np.isfinite(v) and v > 0 for k, v in row.items() if k != "dispersion"):
            continue
        row["p_value"] = float(two_sided_p(np.array([beta / se]))[0])
        out[area] = row
    return out


def _words(row: Any, observed: int, total: int, config: Config) -> str:
    if observed < config.trend_min_months:
        return "too few months to say"
    ratio = row.rate_ratio_per_year
    if not np.isfinite(ratio):
        return "too few referrals to say" if total else "no referrals"
    if not row.significant:
        return "no clear change"
    return "increase" if ratio > 1 else "decrease"
