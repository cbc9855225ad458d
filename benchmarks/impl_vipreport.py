"""The metric set through vipreport's public API (the C++ core underneath)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import vipreport as vr
from vipreport.metrics.success import success_counts

from . import metric_set as ms


def prepare(folder: Path) -> vr.Dataset:
    return vr.load(folder)


def compute(data: vr.Dataset) -> dict[str, pd.DataFrame]:
    data = vr.Dataset(data.tables, data.quality, data.config)  # no memoised columns: every run starts cold
    labels = [str(p) for p in ms.months()]
    by_age = success_counts(data, labels, method="running", by="age_group")
    by_age = by_age[by_age["group"] != "All"].copy()
    by_age["group"] = by_age["group"].map({g: i for i, g in enumerate(data.config.age_group_labels)})
    by_age["month"] = by_age["as_of"].dt.strftime("%Y-%m")
    fixed = vr.series(data, "success_rate_fixed", months=ms.MONTHS, end=ms.END)
    engagement = vr.series(data, "engagement_rate", months=ms.MONTHS, end=ms.END)
    caseload = vr.series(data, "active_caseload", months=ms.MONTHS, end=ms.END)
    areas = vr.referrals_by_area_series(data, ms.END, months=ms.MONTHS)
    return {"running": by_age, "fixed": fixed, "engagement": engagement, "caseload": caseload, "areas": areas}
