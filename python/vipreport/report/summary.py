"""Sentences and small tables that the PDF and HTML editions both print."""

from __future__ import annotations

import pandas as pd

from ..calendar import month_text
from ..suppression import UNSTABLE
from .model import Report
from .words import success_sentence


def engagement_caption(report: Report) -> str:
    row = report.tables["vip.engagement"].iloc[0]
    counts = "" if "vip.engagement_rate" in report.hidden_scalars else f": {row.engaged} of {row.notified} notified"
    mask = report.masks.get("vip.engagement")
    open_hidden = mask is not None and "open_share" in mask and bool(mask["open_share"].iloc[0])
    share = "" if open_hidden else f": {100 * row.open_share:.0f}% of windows still open"  # share x notified = count
    note = f" (provisional{share}, the rate can only rise)" if row.provisional else ""
    return f"{report.month_short} engagement rate{counts}{note}"


def engagement_change_sentence(report: Report) -> str:
    change = report.display("vip.engagement_change")
    raw = report.tables["vip.engagement_change"]
    now, before = raw.index
    if (change == "*").to_numpy().any():
        return f"Engagement against {_month(before)}: not shown, to protect small numbers."
    d = raw.iloc[0]
    now_pct, before_pct = (_percent(change.iloc[i]["engagement_rate"]) for i in (0, 1))
    open_now, open_before = (bool(raw["provisional"].iloc[i]) if "provisional" in raw else False for i in (0, 1))
    if open_now or open_before:
        # A provisional rate (windows still open) is not compared with a final one as if both were final.
        which = " and ".join(_month(m) for m, o in ((now, open_now), (before, open_before)) if o)
        return (
            f"Engagement in {_month(now)}: {now_pct}; in {_month(before)}: {before_pct}. {which} is provisional "
            f"(some persons' {report.config.engagement_window_days}-day windows are still open), so no "
            f"difference is given until the windows have closed."
        )
    return (
        f"Engagement in {_month(now)} against {_month(before)}: {now_pct} vs "
        f"{before_pct}, a difference of {100 * d.difference:+.1f} points "
        f"(95% Newcombe interval {100 * d.difference_ci_low:+.1f} to {100 * d.difference_ci_high:+.1f})."
    )


def _percent(shown: str) -> str:
    """A printed rate with its % sign, before any unstable-rate dagger."""
    return f"{shown[:-1]}%{UNSTABLE}" if shown.endswith(UNSTABLE) else f"{shown}%"


def _month(label: str) -> str:
    return month_text(label)


def headline(report: Report) -> tuple[str, str, str]:
    """The success-rate tile (number, caption) and the report's sentence."""
    last = report.tables["vip.success_trend"].iloc[-1]
    rate = report.scalar_text("vip.success_rate")
    months = report.config.success_cohort_months
    if "vip.success_rate" in report.hidden_scalars:
        caption = f"hidden: too few participants in the past {months} months to publish"
    else:
        caption = (
            f"of {last.persons:,} participants notified in the past {months} months "
            f"(95% interval {100 * last.ci_low:.1f}% to {100 * last.ci_high:.1f}%)"
        )
        # The public edition names the cohort's deaths only when the count is not small (report/public_edition.py).
        deaths_hidden = "vip.success_deaths" in report.hidden_scalars
        if "deaths" in last and last.deaths and report.config.success_deaths == "exclude":
            caption += (
                ", not counting those who died before any new violent incident"
                if deaths_hidden
                else f", not counting {last.deaths:,} who died before any new violent incident"
            )
    if "vip.success_rate" in report.hidden_scalars:  # no sentence built around a star
        return rate, caption, "The success rate is not published this month, to protect small numbers."
    return rate, caption, success_sentence(report.config, rate, months)


def methods_rows(report: Report) -> pd.DataFrame:
    """Running, fixed-window and Kaplan-Meier side by side, as printed."""
    shown = report.display("vip.success_methods")
    return pd.DataFrame(
        {
            "persons": shown["persons"],
            "failures": shown["failures"],
            "deaths": shown.get("deaths", ""),
            "success %": shown["success_rate"],
            "95% interval": [
                f"{lo} to {hi}" if "*" not in (lo, hi) else "*"
                for lo, hi in zip(shown["ci_low"], shown["ci_high"], strict=True)
            ],
        },
        index=shown.index,
    )
