"""The metric set in polars, written as a polars user would (NumPy for the daily caseload counts).

The same plan as the DuckDB baseline (see impl_duckdb.py): the cohort reduced to
counts per (first-notice month, failure month, age group) before the 36 months
are joined; integer months; distinct persons counted once per month for
engagement; one running maximum for caseload.
Everything is lazy and collected once per result.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from . import metric_set as ms

FIRST_DAY = ms.months()[0].start_time.date()
LAST_DAY = ms.as_of_dates()[-1].date()
FAR = pd.Timestamp("2262-01-01").date()  # an open episode's end
PACK = 1 << 18  # more than any day number up to FAR


def month_number(period: pd.Period) -> int:
    return period.year * 12 + period.month - 1


def _m(column: str | pl.Expr) -> pl.Expr:
    date = pl.col(column) if isinstance(column, str) else column
    return date.dt.year().cast(pl.Int32) * 12 + date.dt.month().cast(pl.Int32) - 1


def _report_months() -> pl.LazyFrame:
    return pl.LazyFrame(
        {"month": [str(m) for m in ms.months()], "m": pl.Series([month_number(m) for m in ms.months()], dtype=pl.Int32)}
    )


def prepare(folder: Path) -> dict[str, pl.DataFrame]:
    tables = {}
    for name in ("notifications", "incidents", "services", "enrollments", "referrals"):
        frame = pl.read_parquet(folder / f"{name}.parquet")
        dates = [c for c, t in frame.schema.items() if t.is_temporal()]
        tables[name] = frame.with_columns([pl.col(c).cast(pl.Date) for c in dates])
    return tables


def compute(t: dict[str, pl.DataFrame]) -> dict[str, pd.DataFrame]:
    cells = _cells(t).collect().lazy()
    running, fixed, engagement, caseload, areas = pl.collect_all(
        [_running(cells), _fixed(cells), _engagement(t), _merged_pieces(t), _areas(t)]
    )
    return {
        "running": running.to_pandas(),
        "fixed": fixed.to_pandas(),
        "engagement": engagement.to_pandas(),
        "caseload": _caseload(caseload),
        "areas": areas.to_pandas(),
    }


def _cells(t) -> pl.LazyFrame:
    """Persons counted per (first-notice month, age group, failure month, window-close month, failed in window)."""
    # The earliest (day, age group) pair per person as one integer minimum: a filter inside the
    # aggregation would run per group, twenty times slower.
    key = pl.col("notification_date").cast(pl.Int32).cast(pl.Int64) * 8 + pl.col("age_group_code")
    cohort = (
        t["notifications"]
        .lazy()
        .group_by("person_id")
        .agg(key.min().alias("key"))
        .select(
            "person_id",
            (pl.col("key") // 8).cast(pl.Int32).cast(pl.Date).alias("t0"),
            (pl.col("key") % 8).cast(pl.Int8).alias("grp"),
        )
    )
    fails = (
        t["incidents"]
        .lazy()
        .filter(pl.col("violent"))
        .select("person_id", "incident_date")
        .join(cohort.select("person_id", "t0"), on="person_id")
        .filter(pl.col("incident_date") > pl.col("t0"))
        .group_by("person_id")
        .agg(pl.col("incident_date").min().alias("fail"))
    )
    close = pl.col("t0") + pl.duration(days=ms.WINDOW_DAYS)
    return (
        cohort.join(fails, on="person_id", how="left")
        .group_by(
            _m("t0").alias("t0m"),
            "grp",
            _m("fail").alias("failm"),
            _m(close).alias("closem"),
            (pl.col("fail") <= close).fill_null(False).alias("failed_in_window"),
        )
        .agg(pl.len().alias("n"))
    )


def _running(cells: pl.LazyFrame) -> pl.LazyFrame:
    return (
        _report_months()
        .join(cells, how="cross")
        .filter(pl.col("t0m").is_between(pl.col("m") - (ms.COHORT_MONTHS - 1), pl.col("m")))
        .group_by("month", pl.col("grp").alias("group"))
        .agg(
            pl.col("n").sum().alias("persons"),
            pl.col("n").filter(pl.col("failm") <= pl.col("m")).sum().alias("failures"),
        )
    )


def _fixed(cells: pl.LazyFrame) -> pl.LazyFrame:
    closed = (
        _report_months()
        .join(cells, how="cross")
        .filter(pl.col("closem") <= pl.col("m"))
        .group_by("month")
        .agg(pl.col("n").sum().alias("persons"), pl.col("n").filter(pl.col("failed_in_window")).sum().alias("failures"))
    )
    return (
        _report_months()
        .join(closed, on="month", how="left")
        .select("month", pl.col("persons").fill_null(0), pl.col("failures").fill_null(0))
    )


def _engagement(t) -> pl.LazyFrame:
    date = pl.col("notification_date")
    firsts = (
        t["notifications"]
        .lazy()
        .filter(date.is_between(FIRST_DAY, LAST_DAY))
        .group_by("person_id", _m(date).alias("m"))
        .agg(date.min().alias("t"))
    )
    engaging = (
        t["services"]
        .lazy()
        .filter(pl.col("status").is_in(list(ms.ENGAGING)) & (pl.col("service_date") <= LAST_DAY))
        .select("person_id", "service_date")
    )
    # A person has one first notice per month, so the engaged of a month are the distinct persons
    # with a service in the window (measured faster here than join_asof or unique() then a join).
    window = pl.col("service_date").is_between(pl.col("t"), pl.col("t") + pl.duration(days=ms.ENGAGEMENT_LAST_DAY))
    engaged = (
        firsts.join(engaging, on="person_id")
        .filter(window)
        .group_by("m")
        .agg(pl.col("person_id").n_unique().alias("engaged"))
    )
    return (
        firsts.group_by("m")
        .agg(pl.len().alias("notified"))
        .join(engaged, on="m", how="left")
        .join(_report_months(), on="m")
        .select("month", "notified", pl.col("engaged").fill_null(0))
    )


def _merged_pieces(t) -> pl.LazyFrame:
    """Per episode, the days it adds to the union of its person's episodes (sorted by start), clipped."""
    end = pl.col("end_date").fill_null(FAR)
    # The furthest end among the person's earlier episodes, as one global running maximum of
    # person * 2**18 + end day (rows sorted by person): five times faster than cum_max().over(person).
    packed = pl.col("person_id") * PACK + end.cast(pl.Int32)
    earlier = pl.col("packed").shift(1)
    reach = pl.when(earlier // PACK == pl.col("person_id")).then((earlier % PACK).cast(pl.Int32).cast(pl.Date))
    start = pl.max_horizontal(pl.col("start_date"), reach, pl.lit(FIRST_DAY))
    stop = pl.min_horizontal(end, pl.lit(LAST_DAY + timedelta(days=1)))
    return (
        t["enrollments"]
        .lazy()
        .sort("person_id", "start_date")
        .with_columns(packed.cum_max().alias("packed"))
        .select(start.alias("s"), stop.alias("e"))
        .filter(pl.col("s") < pl.col("e"))
        .select(
            (pl.col("s") - FIRST_DAY).dt.total_days().cast(pl.Int32).alias("s"),
            (pl.col("e") - FIRST_DAY).dt.total_days().cast(pl.Int32).alias("e"),
        )
    )


def _caseload(pieces: pl.DataFrame) -> pd.DataFrame:
    n_days = (LAST_DAY - FIRST_DAY).days + 1
    delta = np.bincount(pieces["s"].to_numpy(), minlength=n_days + 1) - np.bincount(
        pieces["e"].to_numpy(), minlength=n_days + 1
    )
    daily = pl.DataFrame({"day": pl.date_range(FIRST_DAY, LAST_DAY, eager=True), "active": np.cumsum(delta)[:n_days]})
    return (
        daily.group_by(_m("day").alias("m"), maintain_order=True)
        .agg(pl.col("active").last().alias("active_last_day"), pl.col("active").mean().alias("average_daily"))
        .join(_report_months().collect(), on="m")
        .select("month", "active_last_day", "average_daily")
        .to_pandas()
    )


def _areas(t) -> pl.LazyFrame:
    first = ms.months()[0]
    fy_first = pd.Period(f"{ms.fiscal_year(first) - 1}-{ms.FY_START_MONTH:02d}", "M")
    counts = (
        t["referrals"]
        .lazy()
        .filter(pl.col("referral_date").is_between(fy_first.start_time.date(), LAST_DAY))
        .group_by(_m("referral_date").alias("m"), "area_command")
        .agg(pl.len().alias("referrals"))
    )
    grid = pl.LazyFrame(
        {"m": pl.int_range(month_number(fy_first), month_number(ms.months()[-1]) + 1, dtype=pl.Int32, eager=True)}
    ).join(pl.LazyFrame({"area_command": list(ms.AREAS)}), how="cross")
    fiscal = pl.col("m") // 12 + (pl.col("m") % 12 + 1 >= ms.FY_START_MONTH).cast(pl.Int32)
    return (
        grid.join(counts, on=["m", "area_command"], how="left")
        .with_columns(pl.col("referrals").fill_null(0).cast(pl.Int64))
        .sort("m")
        .with_columns(pl.col("referrals").cum_sum().over("area_command", fiscal).alias("fytd"))
        .join(_report_months(), on="m")
        .select("month", "area_command", "referrals", "fytd")
    )
