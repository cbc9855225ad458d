"""The area-trends table as printed in the methods appendix."""

from __future__ import annotations

import pandas as pd


def area_trends_display(trends: pd.DataFrame, confidence: float) -> pd.DataFrame:
    """The area-trends table with short headers: counts, the rate ratio per year with its interval, the words."""

    def count(v: float) -> str:
        return "n/o" if pd.isna(v) else f"{v:,.0f}"  # not observed: before the first referral

    def ratio(v: float) -> str:
        return "" if pd.isna(v) else f"{v:.2f}"

    return pd.DataFrame(
        {
            "last 3 mo": trends["last_3_months"].map(count),
            "year before": trends["same_3_months_year_before"].map(count),
            "change": trends["change"].map(lambda v: "" if pd.isna(v) else f"{v:+,.0f}"),
            "rate ratio / yr": trends["rate_ratio_per_year"].map(ratio),
            f"{confidence:.0%} interval": [
                "" if pd.isna(lo) else f"{lo:.2f} to {hi:.2f}"
                for lo, hi in zip(trends["rr_ci_low"], trends["rr_ci_high"], strict=True)
            ],
            "BH-adjusted p": trends["p_adjusted"].map(lambda v: "" if pd.isna(v) else f"{v:.3f}"),
            "trend": trends["trend"],
        },
        index=trends.index,
    )
