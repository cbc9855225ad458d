"""The benchmarked metric set, defined once for every implementation.

For the 36 month-ends ending at END:
- running, fixed-window and age-group success rates (persons and failures);
- engagement (persons notified in the month, and engaged), observed to END's last day;
- active caseload (on the last day, and the daily mean);
- referrals by area command, with fiscal-year-to-date.
Every implementation returns the same frames (see ``normalise``); the runner
requires them to be equal.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

END = "2024-12"
MONTHS = 36
COHORT_MONTHS = 24
WINDOW_DAYS = 730
ENGAGEMENT_DAYS = 30
ENGAGEMENT_LAST_DAY = ENGAGEMENT_DAYS - 1  # the window is days 0 .. 29 after the notice, both included
ENGAGING = ("referred", "connected")
FY_START_MONTH = 7
AREAS = ("Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A")
N_GROUPS = 5  # age-group codes 0-3, and 4 = unknown


def months() -> pd.PeriodIndex:
    return pd.period_range(end=END, periods=MONTHS, freq="M")


def as_of_dates() -> pd.DatetimeIndex:
    return pd.DatetimeIndex([p.end_time.normalize() for p in months()])


def cohort_starts() -> pd.DatetimeIndex:
    return pd.DatetimeIndex([(p - (COHORT_MONTHS - 1)).start_time for p in months()])


def fiscal_year(period: pd.Period) -> int:
    return period.year + (period.month >= FY_START_MONTH)


RESULT_COLUMNS = {
    "running": ["month", "group", "persons", "failures"],
    "fixed": ["month", "persons", "failures"],
    "engagement": ["month", "notified", "engaged"],
    "caseload": ["month", "active_last_day", "average_daily"],
    "areas": ["month", "area_command", "referrals", "fytd"],
}


def normalise(results: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Same columns, dtypes and row order; missing month x group cells filled with 0."""
    out = {}
    labels = [str(p) for p in months()]
    for name, columns in RESULT_COLUMNS.items():
        frame = results[name][columns].copy()
        frame["month"] = frame["month"].astype(str)
        keys = ["month"] + [c for c in ("group", "area_command") if c in columns]
        if name == "running":
            full = pd.MultiIndex.from_product([labels, range(N_GROUPS)], names=keys)
            frame["group"] = frame["group"].astype(int)
        elif name == "areas":
            full = pd.MultiIndex.from_product([labels, AREAS], names=keys)
        else:
            full = pd.Index(labels, name="month")
        frame = frame.set_index(keys).reindex(full, fill_value=0).reset_index()
        for column in columns:
            if column not in keys:
                frame[column] = frame[column].astype(float if column == "average_daily" else np.int64)
        out[name] = frame
    return out


def differences(expected: dict[str, pd.DataFrame], got: dict[str, pd.DataFrame]) -> list[str]:
    """Every cell where two normalised results differ (floats to 1e-9 relative)."""
    problems = []
    for name in RESULT_COLUMNS:
        a, b = expected[name], got[name]
        if a.shape != b.shape:
            problems.append(f"{name}: shape {b.shape} instead of {a.shape}")
            continue
        for column in a.columns:
            x, y = a[column].to_numpy(), b[column].to_numpy()
            same = np.isclose(x, y, rtol=1e-9, atol=0) if x.dtype.kind == "f" else x == y
            for i in np.flatnonzero(~same)[:5]:
                row = ", ".join(f"{k}={v}" for k, v in a.iloc[i].items())
                problems.append(f"{name}[{i}].{column}: {y[i]} instead of {x[i]} ({row})")
    return problems
