"""The report's tables by CLI name: each takes (data, month) and returns a DataFrame."""

from __future__ import annotations

from .metrics import referrals_by_area

TABLE_FUNCTIONS = {
    "referrals-by-area": referrals_by_area,
}
