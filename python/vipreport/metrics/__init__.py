"""The report's figures, each as a DataFrame of counts and denominators."""

from .counts import referrals_by_area

__all__ = ["referrals_by_area"]
