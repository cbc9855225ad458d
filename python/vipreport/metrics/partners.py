"""The partner pages: Trauma Recovery Center, CORA and Opioid Education and Prevention."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import _core
from ..calendar import last_day, month_index, month_label
from ..config import Config
from ..io import Dataset, day_numbers
from .counts import first_record_month, months_with_fytd

CORA_COUNTS = ("adults_assisted", "children_assisted", "referrals_made", "outreach_operations")
OEP_STEPS = {
    "Referrals": "referral_date",
    "People located": "located_date",
    "Treatment entries": "treatment_date",
    "Narcan education/distribution": "narcan_date",
}


def trc_referrals_by_source(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """Trauma Recovery Center referrals by source: three months ending at ``month``, then FYTD.

    The centre's months start at its first referral: a month before it is absent, not a zero.
    """
    referrals = data.table("trc_referrals")
    return months_with_fytd(
        referrals,
        month,
        date="referral_date",
        category="source",
        config=config or data.config,
        start=first_record_month(referrals, "referral_date"),
    )


def trc_active_clients(data: Dataset, month: str, *, config: Config | None = None) -> int:
    """TRC clients referred on or before the month's last day and not discharged by then."""
    referrals = data.table("trc_referrals")
    last = last_day(month_index(month))
    start = day_numbers(referrals["referral_date"])
    if "discharge_date" in referrals:
        discharged = referrals["discharge_date"].notna().to_numpy()
        end = np.where(
            discharged, day_numbers(referrals["discharge_date"].fillna(referrals["referral_date"])), _core.NO_DAY
        )
    else:
        end = np.full(len(start), _core.NO_DAY)
    return int(((start <= last) & (end > last)).sum())


def cora_incidents_by_type(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA responses by incident type: the month and FYTD."""
    return months_with_fytd(
        data.table("cora_responses"),
        month,
        date="response_date",
        category="incident_type",
        config=config or data.config,
        months_shown=1,
    )


def cora_responses_by_area(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA responses by area command (N/A last): the month and FYTD."""
    responses = data.table("cora_responses")
    if "area_command" not in responses:
        responses = responses.assign(
            area_command=pd.Categorical([data.config.area_missing] * len(responses), categories=data.config.area_rows)
        )
    return months_with_fytd(
        responses, month, date="response_date", category="area_command", config=config or data.config, months_shown=1
    )


def cora_totals(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """CORA's "impact by the numbers": adults and children assisted, referrals made, outreach operations."""
    config = config or data.config
    responses = data.table("cora_responses")
    rows = {}
    for column in CORA_COUNTS:
        if column in responses:
            table = months_with_fytd(
                responses, month, date="response_date", category=None, config=config, months_shown=1, weight=column
            )
            rows[column] = table.iloc[0].tolist()
    table = pd.DataFrame.from_dict(rows, orient="index", columns=[month_label(month_index(month)), "FYTD"])
    table.index.name = "measure"
    return table


def oep_summary(data: Dataset, month: str, *, config: Config | None = None) -> pd.DataFrame:
    """OEP: referrals, people located, treatment entries and Narcan education, by the date each happened."""
    config = config or data.config
    referrals = data.table("oep_referrals")
    rows = {}
    for label, column in OEP_STEPS.items():
        if column in referrals:
            table = months_with_fytd(referrals, month, date=column, category=None, config=config)
            rows[label] = table.iloc[0].tolist()
    labels = [month_label(month_index(month) - k) for k in (2, 1, 0)] + ["FYTD"]
    table = pd.DataFrame.from_dict(rows, orient="index", columns=labels)
    table.index.name = "measure"
    return table
