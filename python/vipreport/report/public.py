"""Which cells and numbers the public edition hides (see vipreport.publication for the rules)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..config import Config
from ..publication import primary_mask, suppression_mask, unstable

# Count tables: each column's total is printed elsewhere in the report, so columns add up.
COUNT_TABLES = {
    "vip.referrals_by_area": True,
    "vip.referral_sources": True,
    "vip.referrals_by_program": True,
    "vip.custom_notifications": True,
    "vip.services": True,
    "vip.services_connected": True,
    "trc.referrals_by_source": True,
    "cora.incidents_by_type": True,
    "cora.responses_by_area": True,
    "vip.fytd_totals": False,
    "cora.totals": False,
    "oep.summary": False,
}
# Rate tables: (count columns, counts add up along rows, along columns). A row's
# rates are hidden with any of its counts, since rate and denominator give the numerator.
RATE_TABLES = {
    "vip.success_by_age": (("persons", "failures", "successes", "deaths"), True, True),
    "vip.success_trend": (("persons", "failures", "successes", "deaths"), True, False),
    "vip.success_methods": (("persons", "failures", "deaths"), False, False),
    "vip.survival": (("at_risk", "events"), False, False),
    "vip.engagement": (("notified", "engaged", "open"), False, False),
    "vip.engagement_trend": (("notified", "engaged", "open"), False, False),
    "vip.engagement_change": (("notified", "engaged"), False, False),
}
DENOMINATOR = {
    "vip.success_by_age": "persons",
    "vip.success_trend": "persons",
    "vip.success_methods": "persons",
    "vip.engagement": "notified",
    "vip.engagement_trend": "notified",
    "vip.engagement_change": "notified",
    "vip.survival": "at_risk",
}
COUNT_SCALARS = (
    "vip.active_caseload",
    "trc.active_clients",
    "cora.fytd.adults_assisted",
    "cora.fytd.children_assisted",
    "cora.fytd.referrals_made",
    "cora.fytd.outreach_operations",
)


def public_masks(
    tables: dict[str, pd.DataFrame], scalars: dict[str, Any], config: Config
) -> tuple[dict[str, pd.DataFrame], set[str]]:
    masks: dict[str, pd.DataFrame] = {}
    for key, columns_add_up in COUNT_TABLES.items():
        if key in tables:
            masks[key] = suppression_mask(tables[key], config, columns_add_up=columns_add_up)
    for key, (counts, rows_add_up, columns_add_up) in RATE_TABLES.items():
        if key not in tables:
            continue
        table = tables[key]
        counts_mask = suppression_mask(
            table[list(counts)], config, rows_add_up=rows_add_up, columns_add_up=columns_add_up
        )
        mask = pd.DataFrame(False, index=table.index, columns=table.columns)
        mask[list(counts)] = counts_mask
        rates = [c for c in table.columns if c not in counts and pd.api.types.is_float_dtype(table[c])]
        hidden_rows = counts_mask.any(axis=1).to_numpy()
        mask.loc[hidden_rows, rates] = True
        masks[key] = mask
    if "vip.survival" in masks and masks["vip.survival"]["events"].any() and "vip.survival_curve" in tables:
        # Each step of the curve is an event: hide the curve with the counts it would reveal.
        masks["vip.survival_curve"] = pd.DataFrame(
            True, index=tables["vip.survival_curve"].index, columns=tables["vip.survival_curve"].columns
        )
    hidden = {
        k
        for k in COUNT_SCALARS
        if k in scalars and scalars[k] is not None and primary_mask(np.array([scalars[k]], dtype=float), config)[0]
    }
    if "vip.engagement" in masks and masks["vip.engagement"].to_numpy().any():
        hidden.add("vip.engagement_rate_pct")
    if "vip.success_trend" in masks and masks["vip.success_trend"].iloc[-1].any():
        hidden.add("vip.success_rate_pct")
    return masks, hidden


def unstable_rows(tables: dict[str, pd.DataFrame], config: Config) -> dict[str, np.ndarray]:
    """Per rate table, the rows whose denominator is below ``publication.unstable_below``."""
    return {key: unstable(tables[key][column], config) for key, column in DENOMINATOR.items() if key in tables}
