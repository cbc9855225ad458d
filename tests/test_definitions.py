"""The definitions of issue 14, each against a small hand-worked example.

Every expected figure below is worked out by hand in the comments, never read from the code.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import vipreport as vr


def _load(notices: list[tuple[str, str]], services: list[tuple[str, str]] = (),
          incidents: list[tuple[str, str]] = (), deaths: list[tuple[str, str]] = (),
          config: vr.Config | None = None) -> vr.Dataset:
    tables = {
        "notifications": pd.DataFrame({"person_id": [p for p, _ in notices],
                                       "notification_date": pd.to_datetime([d for _, d in notices]),
                                       "age": 20}),
        "services": pd.DataFrame({"person_id": [p for p, _ in services],
                                  "service_date": pd.to_datetime([d for _, d in services]),
                                  "service_type": "Housing", "status": "connected"}),
        "incidents": pd.DataFrame({"person_id": [p for p, _ in incidents],
                                   "incident_date": pd.to_datetime([d for _, d in incidents]),
                                   "offense": "Shooting"}),
    }
    if deaths:
        tables["deaths"] = pd.DataFrame({"person_id": [p for p, _ in deaths],
                                         "death_date": pd.to_datetime([d for _, d in deaths])})
    return vr.load(tables, config=config) if config else vr.load(tables)


# -- engagement: a 30-day window is days 0..29 ------------------------------------------------------------

def test_engagement_window_last_day_in_first_day_out() -> None:
    # a: notified 1 Nov, service 30 Nov = day 29, the window's last day: engaged.
    # b: notified 1 Nov, service 1 Dec = day 30, the first day out: not engaged.
    # c: notified 1 Nov, service the same day (day 0): engaged.
    data = _load([("a", "2024-11-01"), ("b", "2024-11-01"), ("c", "2024-11-01")],
                 services=[("a", "2024-11-30"), ("b", "2024-12-01"), ("c", "2024-11-01")])
    row = vr.engagement_rate(data, "2024-11", as_of="2025-01-31").iloc[0]
    assert (row.notified, row.engaged) == (3, 2)
    assert not row.provisional and row.open == 0


def test_provisional_per_person_window_edges() -> None:
    # Notified 1 Nov: the window's last day is 30 Nov. Notified 2 Nov: 1 Dec.
    data = _load([("a", "2024-11-01"), ("b", "2024-11-02")])
    # As of 29 Nov both windows are open.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-11-29").iloc[0]
    assert (row.open, row.open_share, row.provisional) == (2, 1.0, True)
    # As of 30 Nov (a's last day in): a's window has closed, b's is open: the month is provisional, 1 of 2 open.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-11-30").iloc[0]
    assert (row.open, row.open_share, row.provisional) == (1, 0.5, True)
    # As of 1 Dec (b's last day): both closed, the month is final.
    row = vr.engagement_rate(data, "2024-11", as_of="2024-12").iloc[0]
    assert (row.open, row.provisional) == (0, False)


def test_an_empty_month_is_empty_not_provisional() -> None:
    data = _load([("a", "2024-09-15")])
    frame = vr.series(data, "engagement_rate", months=3, end="2024-11")
    october = frame.loc["2024-10"]
    assert october["empty"] and not october["provisional"] and np.isnan(october["engagement_rate"])
    assert not frame.loc["2024-09", "empty"]


def test_demo_november_2024_engagement_is_provisional(demo: vr.Dataset) -> None:
    frame = vr.series(demo, "engagement_rate", months=3, end="2024-11")
    assert frame.loc["2024-11", "provisional"]
    # Every November notice after the 1st has its window open on 30 Nov; October's have all closed
    # (a notice on 31 Oct has its last day on 29 Nov).
    assert not frame.loc["2024-10", "provisional"]
    notices = demo.table("notifications")
    november = notices[(notices["notification_date"] >= "2024-11-01") & (notices["notification_date"] <= "2024-11-30")]
    firsts = november.groupby("person_key")["notification_date"].min()
    assert frame.loc["2024-11", "open"] == int((firsts > pd.Timestamp("2024-11-01")).sum())
