"""Where vipreport's time goes, step by step: ``python -m benchmarks.profile_steps DIR/large``."""

from __future__ import annotations

import sys
import time

import vipreport as vr
from vipreport.metrics.success import cohort, success_counts

from . import metric_set as ms


def main(folder: str) -> None:
    loaded = vr.load(folder)
    data = vr.Dataset(loaded.tables, loaded.quality, loaded.config)  # cold: nothing memoised
    labels = [str(p) for p in ms.months()]
    steps = [
        ("day numbers of the incidents", lambda: data.days("incidents", "incident_date")),
        ("day numbers of the notifications", lambda: data.days("notifications", "notification_date")),
        ("the cohort", lambda: cohort(data)),
        ("running and age-group series", lambda: success_counts(data, labels, by="age_group")),
        ("fixed-window series", lambda: vr.series(data, "success_rate_fixed", months=ms.MONTHS, end=ms.END)),
        ("day numbers of the services", lambda: data.days("services", "service_date")),
        ("engagement", lambda: vr.series(data, "engagement_rate", months=ms.MONTHS, end=ms.END)),
        ("caseload", lambda: vr.series(data, "active_caseload", months=ms.MONTHS, end=ms.END)),
        ("area counts", lambda: vr.referrals_by_area_series(data, ms.END, months=ms.MONTHS)),
    ]
    total = 0.0
    for label, step in steps:
        start = time.perf_counter()
        step()
        elapsed = time.perf_counter() - start
        total += elapsed
        print(f"{label:34s} {1e3 * elapsed:8.1f} ms")
    print(f"{'total':34s} {1e3 * total:8.1f} ms")


if __name__ == "__main__":
    main(sys.argv[1])
