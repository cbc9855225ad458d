"""The end-to-end pipelines: from a folder of export files to the report month's headline numbers.

Each pipeline has a ``load`` stage (read the files) and a ``metrics`` stage
(compute the headline numbers from what was loaded); vipreport also has a
``report`` stage (the whole report to PDF). The headline numbers:
- the running success rate as of the report month's last day (persons first
  notified in the 24 months ending there, and those of them with a violent
  incident after their first notification, on or before that day);
- engagement of the report month (persons notified in the month, and those with
  an engaging service in the 30 days (days 0 to 29) from their first notice of the month, on or
  before the month's last day);
- referrals by area command, in the month and fiscal-year-to-date.

The DuckDB and polars pipelines are what an expert writes straight against the
raw exports: string person ids, offenses matched to the violent list ignoring
case, a blank area counted as "N/A". They read the same files as vipreport.
"""

from __future__ import annotations

import calendar
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

MONTH = "2024-11"
COHORT_MONTHS = 24
ENGAGEMENT_DAYS = 30
ENGAGEMENT_LAST_DAY = ENGAGEMENT_DAYS - 1  # the window is days 0 .. 29 after the notice, both included
ENGAGING = ("referred", "connected")
FY_START_MONTH = 7
AREAS = ("Southeast", "Northeast", "Northwest", "Foothills", "Southwest", "Valley", "N/A")
# The violent offenses of the default (Albuquerque) profile, lower case.
VIOLENT = ("homicide", "aggravated assault", "aggravated battery", "shooting", "armed robbery")
# Columns the headline numbers read, per table.
NEEDED = {
    "notifications": ("person_id", "notification_date"),
    "incidents": ("person_id", "incident_date", "offense"),
    "services": ("person_id", "service_date", "status"),
    "referrals": ("referral_date", "area_command"),
}


def bounds(month: str = MONTH) -> dict[str, Any]:
    """The dates every pipeline filters on, for the report month (no pandas: the DuckDB and
    polars processes should not pay for importing it)."""
    year, number = (int(part) for part in month.split("-"))
    first = year * 12 + number - 1 - (COHORT_MONTHS - 1)
    fy_year = year - (number < FY_START_MONTH)
    return {
        "as_of": date(year, number, calendar.monthrange(year, number)[1]),
        "month_start": date(year, number, 1),
        "cohort_start": date(first // 12, first % 12 + 1, 1),
        "fy_start": date(fy_year, FY_START_MONTH, 1),
    }


def files(folder: Path) -> dict[str, Path]:
    """Every export file in ``folder`` by table name."""
    return {path.stem: path for path in sorted(folder.iterdir()) if path.suffix in (".csv", ".parquet")}


def headline(running: tuple[int, int], engagement: tuple[int, int], areas: dict[str, tuple[int, int]]) -> dict:
    """The headline numbers in one comparable form (areas absent from the data count 0)."""
    return {
        "running": {"persons": int(running[0]), "failures": int(running[1])},
        "engagement": {"notified": int(engagement[0]), "engaged": int(engagement[1])},
        "areas": {a: [int(v) for v in areas.get(a, (0, 0))] for a in AREAS},
        "other_areas": sorted(set(areas) - set(AREAS)),
    }


# -- vipreport ---------------------------------------------------------------------------------


def vipreport_load(folder: Path):
    import vipreport as vr

    return vr.load(folder)


def vipreport_needed_load(folder: Path):
    """vipreport reading only the 4 tables the headline numbers use, as the DuckDB and polars pipelines do."""
    import vipreport as vr

    return vr.load(folder, tables=NEEDED)


def vipreport_metrics(data, month: str = MONTH) -> dict:
    import vipreport as vr

    # The expert pipelines read no deaths table: a death counts as a success there, so vipreport is asked for
    # that rule (success.deaths = "success") to time the same definition.
    config = data.config.replace(success_deaths="success")
    running = vr.success_rate(data, month, config=config).set_index("group").loc["All"]
    engagement = vr.engagement_rate(data, month).iloc[0]
    areas = vr.referrals_by_area(data, month).vip.wide()  # the report's layout: areas x months, then FYTD
    return headline(
        (running["persons"], running["failures"]),
        (engagement["notified"], engagement["engaged"]),
        {str(a): (row[month], row["FYTD"]) for a, row in areas.iterrows()},
    )


def vipreport_report(data, month: str = MONTH) -> None:
    import vipreport as vr

    with tempfile.TemporaryDirectory() as scratch:
        vr.build_report(data, month).to_pdf(Path(scratch) / "report.pdf")


# -- DuckDB --------------------------------------------------------------------------------------


def duckdb_load(folder: Path):
    import duckdb

    con = duckdb.connect()
    for name, path in files(folder).items():
        if name not in NEEDED:
            continue
        reader = f"read_parquet('{path}')" if path.suffix == ".parquet" else f"read_csv('{path}', header = true)"
        columns = ", ".join(f"CAST({c} AS DATE) AS {c}" if c.endswith("_date") else c for c in NEEDED[name])
        con.execute(f"CREATE TABLE {name} AS SELECT {columns} FROM {reader}")
    return con


def duckdb_metrics(con, month: str = MONTH) -> dict:
    b = bounds(month)
    as_of = f"DATE '{b['as_of']}'"
    running = con.execute(f"""
        WITH cohort AS (
          SELECT person_id, min(notification_date) AS t0 FROM notifications GROUP BY 1
          HAVING min(notification_date) BETWEEN DATE '{b["cohort_start"]}' AND {as_of})
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM incidents i WHERE i.person_id = c.person_id AND lower(i.offense) IN {VIOLENT}
            AND i.incident_date > c.t0 AND i.incident_date <= {as_of}))
        FROM cohort c""").fetchone()
    engagement = con.execute(f"""
        WITH firsts AS (
          SELECT person_id, min(notification_date) AS t FROM notifications
          WHERE notification_date BETWEEN DATE '{b["month_start"]}' AND {as_of} GROUP BY 1)
        SELECT count(*), count(*) FILTER (WHERE EXISTS (
          SELECT 1 FROM services s WHERE s.person_id = f.person_id AND lower(s.status) IN {ENGAGING}
            AND s.service_date BETWEEN f.t AND least(f.t + {ENGAGEMENT_LAST_DAY}, {as_of})))
        FROM firsts f""").fetchone()
    areas = con.execute(f"""
        SELECT coalesce(nullif(trim(area_command), ''), 'N/A'),
               count(*) FILTER (WHERE referral_date >= DATE '{b["month_start"]}'), count(*)
        FROM referrals WHERE referral_date BETWEEN DATE '{b["fy_start"]}' AND {as_of} GROUP BY 1""").fetchall()
    return headline(running, engagement, {a: (m, f) for a, m, f in areas})


# -- polars --------------------------------------------------------------------------------------


def polars_load(folder: Path):
    import polars as pl

    tables = {}
    for name, path in files(folder).items():
        if name not in NEEDED:
            continue
        columns = list(NEEDED[name])
        if path.suffix == ".parquet":
            frame = pl.read_parquet(path, columns=columns)
        else:
            frame = pl.read_csv(
                path, columns=columns, schema_overrides={c: pl.Date for c in columns if c.endswith("_date")}
            )
        tables[name] = frame.with_columns(pl.col(c).cast(pl.Date) for c in columns if c.endswith("_date"))
    return tables


def polars_metrics(t, month: str = MONTH) -> dict:
    import polars as pl

    b = bounds(month)
    date = pl.col("notification_date")
    cohort = (
        t["notifications"]
        .lazy()
        .group_by("person_id")
        .agg(date.min().alias("t0"))
        .filter(pl.col("t0").is_between(b["cohort_start"], b["as_of"]))
    )
    failed = (
        t["incidents"]
        .lazy()
        .filter(pl.col("offense").str.to_lowercase().is_in(list(VIOLENT)) & (pl.col("incident_date") <= b["as_of"]))
        .join(cohort, on="person_id")
        .filter(pl.col("incident_date") > pl.col("t0"))
        .select(pl.col("person_id").n_unique())
    )
    firsts = (
        t["notifications"]
        .lazy()
        .filter(date.is_between(b["month_start"], b["as_of"]))
        .group_by("person_id")
        .agg(date.min().alias("t"))
    )
    engaged = (
        t["services"]
        .lazy()
        .filter(pl.col("status").str.to_lowercase().is_in(list(ENGAGING)) & (pl.col("service_date") <= b["as_of"]))
        .join(firsts, on="person_id")
        .filter(pl.col("service_date").is_between(pl.col("t"), pl.col("t") + pl.duration(days=ENGAGEMENT_LAST_DAY)))
        .select(pl.col("person_id").n_unique())
    )
    area = pl.col("area_command").str.strip_chars()
    areas = (
        t["referrals"]
        .lazy()
        .filter(pl.col("referral_date").is_between(b["fy_start"], b["as_of"]))
        .group_by(pl.when(area.is_null() | (area == "")).then(pl.lit("N/A")).otherwise(area).alias("area"))
        .agg((pl.col("referral_date") >= b["month_start"]).sum().alias("month"), pl.len().alias("fytd"))
    )
    persons, failures, notified, engaged_n, by_area = pl.collect_all(
        [cohort.select(pl.len()), failed, firsts.select(pl.len()), engaged, areas]
    )
    return headline(
        (persons.item(), failures.item()),
        (notified.item(), engaged_n.item()),
        {a: (m, f) for a, m, f in by_area.iter_rows()},
    )


# -- pyarrow: the load floor ----------------------------------------------------------------------


def pyarrow_load(folder: Path):
    """Every export file read into Arrow tables (multi-threaded), nothing else."""
    import pyarrow.csv as pv
    import pyarrow.parquet as pq

    return {
        name: pq.read_table(path) if path.suffix == ".parquet" else pv.read_csv(path)
        for name, path in files(folder).items()
    }


PIPELINES = {
    "vipreport": (vipreport_load, vipreport_metrics),
    "vipreport-4": (vipreport_needed_load, vipreport_metrics),
    "duckdb": (duckdb_load, duckdb_metrics),
    "polars": (polars_load, polars_metrics),
    "pyarrow": (pyarrow_load, None),
}


def differences(expected: dict, got: dict) -> list[str]:
    """Every headline number where two pipelines disagree."""
    problems = []
    for section in ("running", "engagement", "areas"):
        for key, value in expected[section].items():
            if got[section].get(key) != value:
                problems.append(f"{section}.{key}: {got[section].get(key)} instead of {value}")
    if expected["other_areas"] != got["other_areas"]:
        problems.append(f"areas outside the report's list: {got['other_areas']} instead of {expected['other_areas']}")
    return problems
