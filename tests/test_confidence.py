"""confidence= on every function that reports an interval: validated, nested, and equal to statsmodels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

import vipreport as vr

MONTH = "2024-11"


@pytest.fixture(scope="module")
def data() -> vr.Dataset:
    return vr.datasets.demo()


def rate_tables(data: vr.Dataset, confidence: float) -> dict[str, tuple[pd.DataFrame, str, str]]:
    """Each interval-reporting rate at ``confidence``: (frame, successes column, trials column)."""
    return {
        "success_rate": (
            vr.success_rate(data, MONTH, by="area_command", confidence=confidence),
            "successes",
            "persons",
        ),
        "fixed": (vr.success_rate(data, MONTH, method="fixed", confidence=confidence), "successes", "persons"),
        "engagement_rate": (vr.engagement_rate(data, "2024-06", confidence=confidence), "engaged", "notified"),
        "series engagement": (
            vr.series(data, "engagement_rate", months=12, end=MONTH, confidence=confidence),
            "engaged",
            "notified",
        ),
        "series success": (
            vr.series(data, "success_rate_running", months=12, end=MONTH, confidence=confidence),
            "successes",
            "persons",
        ),
    }


@pytest.mark.parametrize("confidence", [0.90, 0.95, 0.99])
def test_wilson_intervals_match_statsmodels(data: vr.Dataset, confidence: float) -> None:
    for name, (frame, successes, trials) in rate_tables(data, confidence).items():
        frame = frame[frame[trials] > 0]
        assert len(frame), name
        low, high = proportion_confint(frame[successes], frame[trials], alpha=1 - confidence, method="wilson")
        np.testing.assert_allclose(frame["ci_low"], low, rtol=0, atol=1e-12, err_msg=name)
        np.testing.assert_allclose(frame["ci_high"], high, rtol=0, atol=1e-12, err_msg=name)


def test_narrower_intervals_sit_inside_wider_ones(data: vr.Dataset) -> None:
    narrow, wide = rate_tables(data, 0.90), rate_tables(data, 0.95)
    for name in narrow:
        n, w = narrow[name][0], wide[name][0]
        filled = n["ci_low"].notna()
        assert filled.any(), name
        # An upper bound of 1 (no failure in the group) is 1 at every level, up to rounding.
        assert (w["ci_low"][filled] <= n["ci_low"][filled] + 1e-12).all(), name
        assert (n["ci_high"][filled] <= w["ci_high"][filled] + 1e-12).all(), name
        assert ((w["ci_high"] - w["ci_low"])[filled] > (n["ci_high"] - n["ci_low"])[filled]).any(), name
    survival = {c: vr.survival_at(data, MONTH, times=(180, 365), confidence=c) for c in (0.90, 0.95)}
    assert (survival[0.95]["ci_low"] <= survival[0.90]["ci_low"]).all()
    assert (survival[0.90]["ci_high"] <= survival[0.95]["ci_high"]).all()
    assert (survival[0.95]["ci_low"] < survival[0.90]["ci_low"]).any()
    trends = {c: vr.area_trends(data, MONTH, confidence=c) for c in (0.90, 0.95)}
    fitted = trends[0.90]["rr_ci_low"].notna()
    assert fitted.any()
    assert (trends[0.95]["rr_ci_low"][fitted] < trends[0.90]["rr_ci_low"][fitted]).all()
    assert (trends[0.90]["rr_ci_high"][fitted] < trends[0.95]["rr_ci_high"][fitted]).all()


def test_the_default_is_95_percent(data: vr.Dataset) -> None:
    pd.testing.assert_frame_equal(vr.success_rate(data, MONTH), vr.success_rate(data, MONTH, confidence=0.95))
    pd.testing.assert_frame_equal(vr.area_trends(data, MONTH), vr.area_trends(data, MONTH, confidence=0.95))


CALLS: dict[str, Callable[[vr.Dataset, Any], object]] = {
    "success_rate": lambda d, c: vr.success_rate(d, MONTH, confidence=c),
    "engagement_rate": lambda d, c: vr.engagement_rate(d, MONTH, confidence=c),
    "series": lambda d, c: vr.series(d, "success_rate_running", months=3, end=MONTH, confidence=c),
    "survival_curve": lambda d, c: vr.survival_curve(d, MONTH, confidence=c),
    "survival_at": lambda d, c: vr.survival_at(d, MONTH, confidence=c),
    "SurvivalFitter": lambda d, c: vr.SurvivalFitter(confidence=c),
    "area_trends": lambda d, c: vr.area_trends(d, MONTH, confidence=c),
}


BAD = [0, 1, 1.5, -0.1, 95, float("nan"), "0.95", True, None]
# None is area_trends' default: there it means "the profile's trends.confidence".
CASES = [(name, bad) for name in CALLS for bad in BAD if not (bad is None and name == "area_trends")]


@pytest.mark.parametrize(("name", "bad"), CASES)
def test_a_bad_confidence_is_a_clear_error(data: vr.Dataset, name: str, bad: object) -> None:
    with pytest.raises(vr.errors.ArgumentError, match="confidence must be a number strictly between 0 and 1"):
        CALLS[name](data, bad)
