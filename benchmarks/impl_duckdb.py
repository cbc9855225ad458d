"""The metric set in DuckDB SQL, on tables loaded into DuckDB's memory beforehand."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from . import metric_set as ms

TABLES = ("notifications", "incidents", "services", "enrollments", "referrals")


def prepare(folder: Path, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    for name in TABLES:
        columns = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{folder / name}.parquet')").fetchall()
        select = ", ".join(f"CAST({c} AS DATE) AS {c}" if t.startswith("TIMESTAMP") else c for c, t, *_ in columns)
        con.execute(f"CREATE TABLE {name} AS SELECT {select} FROM read_parquet('{folder / name}.parquet')")
    months = pd.DataFrame({"month": [str(m) for m in ms.months()], "as_of": ms.as_of_dates().date,
                           "start": ms.cohort_starts().date})
    con.register("months_frame", months)
    con.execute("CREATE TABLE report_months AS SELECT * FROM months_frame")
    con.unregister("months_frame")
    return con


COHORT = """
CREATE OR REPLACE TEMP TABLE cohort AS
WITH first AS (SELECT person_id, min(notification_date) AS t0 FROM notifications GROUP BY 1),
grouped AS (
  SELECT f.person_id, f.t0, min(n.age_group_code) AS grp
  FROM first f JOIN notifications n ON n.person_id = f.person_id AND n.notification_date = f.t0
  GROUP BY 1, 2),
fails AS (
  SELECT g.person_id, min(i.incident_date) AS fail
  FROM grouped g JOIN incidents i ON i.person_id = g.person_id
  WHERE i.violent AND i.incident_date > g.t0 GROUP BY 1)
SELECT g.*, fails.fail FROM grouped g LEFT JOIN fails USING (person_id)
"""

RUNNING = """
SELECT a.month, c.grp AS "group", count(*) AS persons, count(*) FILTER (WHERE c.fail <= a.as_of) AS failures
FROM report_months a JOIN cohort c ON c.t0 BETWEEN a.start AND a.as_of
GROUP BY 1, 2
"""

FIXED = f"""
SELECT a.month, count(c.person_id) AS persons,
       count(c.person_id) FILTER (WHERE c.fail <= c.t0 + {ms.WINDOW_DAYS}) AS failures
FROM report_months a LEFT JOIN cohort c ON c.t0 + {ms.WINDOW_DAYS} <= a.as_of
GROUP BY 1
"""

ENGAGEMENT = f"""
WITH firsts AS (
  SELECT person_id, strftime(notification_date, '%Y-%m') AS month, min(notification_date) AS t
  FROM notifications GROUP BY 1, 2),
f AS (SELECT * FROM firsts WHERE month IN (SELECT month FROM report_months)),
engaged AS (
  SELECT DISTINCT f.person_id, f.month
  FROM f JOIN services s ON s.person_id = f.person_id
  WHERE s.status IN {tuple(ms.ENGAGING)} AND s.service_date >= f.t AND s.service_date <= f.t + {ms.ENGAGEMENT_DAYS}
    AND s.service_date <= (SELECT max(as_of) FROM report_months))
SELECT f.month, count(*) AS notified, count(e.person_id) AS engaged
FROM f LEFT JOIN engaged e USING (person_id, month)
GROUP BY 1
"""

CASELOAD = """
WITH bounds AS (SELECT CAST(date_trunc('month', min(as_of)) AS DATE) AS lo, max(as_of) AS hi FROM report_months),
e AS (SELECT person_id, start_date AS s, coalesce(end_date, DATE '2262-01-01') AS e FROM enrollments),
r AS (SELECT *, max(e) OVER (PARTITION BY person_id ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                  AS reach FROM e),
b AS (SELECT *, sum(CASE WHEN reach IS NULL OR s > reach THEN 1 ELSE 0 END)
                  OVER (PARTITION BY person_id ORDER BY s ROWS UNBOUNDED PRECEDING) AS block FROM r),
merged AS (SELECT person_id, block, min(s) AS s, max(e) AS e FROM b GROUP BY 1, 2),
clipped AS (SELECT greatest(s, lo) AS s, least(e, hi + 1) AS e FROM merged, bounds WHERE s <= hi AND e > lo),
changes AS (SELECT d, sum(delta) AS delta FROM
             (SELECT s AS d, 1 AS delta FROM clipped UNION ALL SELECT e AS d, -1 AS delta FROM clipped) GROUP BY 1),
days AS (SELECT CAST(range AS DATE) AS d FROM bounds, range(lo, hi + 1, INTERVAL 1 DAY)),
daily AS (SELECT days.d, sum(coalesce(changes.delta, 0)) OVER (ORDER BY days.d) AS active
          FROM days LEFT JOIN changes USING (d))
SELECT strftime(d, '%Y-%m') AS month, arg_max(active, d) AS active_last_day, avg(active) AS average_daily
FROM daily GROUP BY 1
"""


def _areas_sql() -> str:
    first = ms.months()[0]
    fy_first = pd.Period(f"{ms.fiscal_year(first) - 1}-{ms.FY_START_MONTH:02d}", "M").start_time.date()
    areas = ", ".join(f"('{a}')" for a in ms.AREAS)
    return f"""
WITH span AS (SELECT strftime(CAST(range AS DATE), '%Y-%m') AS month
              FROM range(DATE '{fy_first}', (SELECT max(as_of) FROM report_months) + 1, INTERVAL 1 MONTH)),
grid AS (SELECT month, area_command FROM span CROSS JOIN (VALUES {areas}) AS a(area_command)),
counts AS (SELECT strftime(referral_date, '%Y-%m') AS month, area_command, count(*) AS referrals
           FROM referrals WHERE referral_date >= DATE '{fy_first}' GROUP BY 1, 2),
filled AS (SELECT g.month, g.area_command, coalesce(c.referrals, 0) AS referrals
           FROM grid g LEFT JOIN counts c USING (month, area_command))
SELECT * FROM (
  SELECT month, area_command, referrals,
         sum(referrals) OVER (PARTITION BY area_command,
                                           CAST(left(month, 4) AS INTEGER)
                                           + (CAST(right(month, 2) AS INTEGER) >= {ms.FY_START_MONTH})::INTEGER
                              ORDER BY month) AS fytd
  FROM filled)
WHERE month IN (SELECT month FROM report_months)
"""


def compute(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    con.execute(COHORT)
    return {"running": con.execute(RUNNING).df(), "fixed": con.execute(FIXED).df(),
            "engagement": con.execute(ENGAGEMENT).df(), "caseload": con.execute(CASELOAD).df(),
            "areas": con.execute(_areas_sql()).df()}
