"""Benchmark workloads from the synthetic generator, stored as Parquet outside the repo.

Sizes (persons notified / incidents / services / enrollments / referrals, roughly):
- small: the demo dataset (1 thousand / 1.5 thousand / ...);
- medium: 100 thousand / 2 million;
- large: 1 million / 20 million / 5 million / 2 million / 1.7 million.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

import vipreport as vr

SIZES = {
    "small": dict(seed=2024, scale=1.0),
    "medium": dict(seed=7, scale=100.0, history=25.0, services_per_engaged=8.0, episodes_per_engaged=4),
    "large": dict(seed=7, scale=1000.0, history=25.0, services_per_engaged=8.0, episodes_per_engaged=4),
}
TABLES = ("notifications", "incidents", "services", "enrollments", "referrals")


def path(data_dir: str | Path, size: str) -> Path:
    return Path(data_dir) / size


def ensure(data_dir: str | Path, size: str) -> Path:
    """The folder of ``size``'s Parquet tables, generated on first use."""
    folder = path(data_dir, size)
    if (folder / "rows.json").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    raw = vr.datasets.generate(end="2024-12-31", **SIZES[size])
    # Every implementation starts from the same prepared columns: integer person ids,
    # the violent flag and the age-group code at notification (what loading derives).
    data = vr.load({name: raw[name] for name in TABLES})
    rows = {}
    for name in TABLES:
        frame = data.table(name).copy()
        frame["person_id"] = frame.pop("person_key").astype(np.int64)
        if name == "incidents":  # loading kept the violent flag; an offense consistent with it
            frame["offense"] = np.where(frame["violent"], "Shooting", "Larceny")
        if name == "notifications":
            frame["age_group_code"] = frame["age_group"].cat.codes.astype(np.int8)
            frame = frame[["person_id", "notification_date", "age", "age_group_code"]]
        for column in frame.columns:
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(str).where(frame[column].notna(), None)
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        rows[name] = len(frame)
    (folder / "rows.json").write_text(json.dumps(rows))
    return folder


def rows(folder: Path) -> dict[str, int]:
    return json.loads((folder / "rows.json").read_text())
