"""The metric set in idiomatic polars expressions (NumPy for the daily caseload counts)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl

from . import metric_set as ms


def prepare(folder: Path) -> dict[str, pl.DataFrame]:
    tables = {}
    for name in ("notifications", "incidents", "services", "enrollments", "referrals"):
        frame = pl.read_parquet(folder / f"{name}.parquet")
        dates = [c for c, t in frame.schema.items() if t.is_temporal()]
        tables[name] = frame.with_columns([pl.col(c).cast(pl.Date) for c in dates])
    return tables


def compute(t: dict[str, pl.DataFrame]) -> dict[str, pd.DataFrame]:
    cohort = _cohort(t)
    return {"running": _running(cohort), "fixed": _fixed(cohort), "engagement": _engagement(t),
            "caseload": _caseload(t), "areas": _areas(t)}


def _cohort(t) -> pl.DataFrame:
    cohort = (t["notifications"].lazy()
              .filter(pl.col("notification_date") == pl.col("notification_date").min().over("person_id"))
              .group_by("person_id").agg(pl.col("notification_date").first().alias("t0"),
                                         pl.col("age_group_code").min().alias("group")))
    fails = (t["incidents"].lazy().filter(pl.col("violent")).select("person_id", "incident_date")
             .join(cohort.select("person_id", "t0"), on="person_id")
             .filter(pl.col("incident_date") > pl.col("t0"))
             .group_by("person_id").agg(pl.col("incident_date").min().alias("fail")))
    return cohort.join(fails, on="person_id", how="left").collect()


def _running(cohort: pl.DataFrame) -> pd.DataFrame:
    parts = []
    for month, as_of, start in zip(ms.months(), ms.as_of_dates(), ms.cohort_starts()):
        parts.append(cohort.lazy()
                     .filter(pl.col("t0").is_between(start.date(), as_of.date()))
                     .group_by("group").agg(pl.len().alias("persons"),
                                            (pl.col("fail") <= as_of.date()).sum().alias("failures"))
                     .with_columns(pl.lit(str(month)).alias("month")))
    return pl.concat(pl.collect_all(parts)).to_pandas()


def _fixed(cohort: pl.DataFrame) -> pd.DataFrame:
    closes = cohort.select(closes=pl.col("t0") + pl.duration(days=ms.WINDOW_DAYS),
                           failed=pl.col("fail") <= pl.col("t0") + pl.duration(days=ms.WINDOW_DAYS))
    rows = []
    for month, as_of in zip(ms.months(), ms.as_of_dates()):
        counts = closes.filter(pl.col("closes") <= as_of.date()).select(
            pl.len().alias("persons"), pl.col("failed").sum().alias("failures"))
        rows.append((str(month), counts["persons"][0], counts["failures"][0] or 0))
    return pd.DataFrame(rows, columns=["month", "persons", "failures"])


def _engagement(t) -> pd.DataFrame:
    as_of = ms.as_of_dates()[-1].date()
    first_month, last_month = ms.months()[0].start_time.date(), ms.months()[-1].start_time.date()
    firsts = (t["notifications"].lazy()
              .group_by("person_id", pl.col("notification_date").dt.truncate("1mo").alias("month"))
              .agg(pl.col("notification_date").min().alias("t"))
              .filter(pl.col("month").is_between(first_month, last_month)))
    engaging = (t["services"].lazy().filter(pl.col("status").is_in(list(ms.ENGAGING)))
                .select("person_id", "service_date"))
    engaged = (firsts.join(engaging, on="person_id")
               .filter((pl.col("service_date") >= pl.col("t"))
                       & (pl.col("service_date") <= pl.col("t") + pl.duration(days=ms.ENGAGEMENT_DAYS))
                       & (pl.col("service_date") <= as_of))
               .select("person_id", "month").unique()
               .group_by("month").agg(pl.len().alias("engaged")))
    result = (firsts.group_by("month").agg(pl.len().alias("notified"))
              .join(engaged, on="month", how="left").with_columns(pl.col("engaged").fill_null(0))
              .collect().to_pandas())
    result["month"] = pd.to_datetime(result["month"]).dt.to_period("M").astype(str)
    return result


def _caseload(t) -> pd.DataFrame:
    far = pd.Timestamp("2262-01-01").date()
    merged = (t["enrollments"].lazy()
              .with_columns(pl.col("end_date").fill_null(far))
              .sort("person_id", "start_date")
              .with_columns(pl.col("end_date").cum_max().shift(1).over("person_id").alias("reach"))
              .with_columns((pl.col("reach").is_null() | (pl.col("start_date") > pl.col("reach")))
                            .cum_sum().alias("block"))
              .group_by("block").agg(pl.col("start_date").min(), pl.col("end_date").max())
              .collect())
    first_day, last_day = ms.months()[0].start_time, ms.as_of_dates()[-1]
    n_days = (last_day - first_day).days + 1
    epoch = (first_day - pd.Timestamp("1970-01-01")).days
    lo = np.clip(merged["start_date"].cast(pl.Int32).to_numpy() - epoch, 0, n_days)
    hi = np.clip(merged["end_date"].cast(pl.Int32).to_numpy() - epoch, 0, n_days)
    keep = lo < hi
    delta = np.bincount(lo[keep], minlength=n_days + 1) - np.bincount(hi[keep], minlength=n_days + 1)
    daily = pl.DataFrame({"day": pl.date_range(first_day.date(), last_day.date(), eager=True),
                          "active": np.cumsum(delta)[:n_days]})
    by_month = (daily.group_by(pl.col("day").dt.strftime("%Y-%m").alias("month"), maintain_order=True)
                .agg(pl.col("active").last().alias("active_last_day"),
                     pl.col("active").mean().alias("average_daily")))
    return by_month.to_pandas()


def _areas(t) -> pd.DataFrame:
    first = ms.months()[0]
    fy_first = pd.Period(f"{ms.fiscal_year(first) - 1}-{ms.FY_START_MONTH:02d}", "M")
    span = [str(p) for p in pd.period_range(fy_first, ms.months()[-1], freq="M")]
    counts = (t["referrals"].lazy()
              .with_columns(pl.col("referral_date").dt.strftime("%Y-%m").alias("month"))
              .filter(pl.col("month").is_in(span))
              .group_by("month", "area_command").agg(pl.len().alias("referrals")))
    grid = pl.DataFrame({"month": span}).join(pl.DataFrame({"area_command": list(ms.AREAS)}), how="cross").lazy()
    fiscal = (pl.col("month").str.slice(0, 4).cast(pl.Int32)
              + (pl.col("month").str.slice(5, 2).cast(pl.Int32) >= ms.FY_START_MONTH).cast(pl.Int32))
    result = (grid.join(counts, on=["month", "area_command"], how="left")
              .with_columns(pl.col("referrals").fill_null(0).cast(pl.Int64))
              .sort("month")
              .with_columns(pl.col("referrals").cum_sum().over("area_command", fiscal).alias("fytd"))
              .filter(pl.col("month").is_in([str(p) for p in ms.months()]))
              .collect())
    return result.to_pandas()
