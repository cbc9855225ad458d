"""Survival and intervals against lifelines and statsmodels (test-only dependencies), to 1e-9."""

import warnings
from typing import Any

import numpy as np
import pytest

import vipreport as vr
from vipreport import _core
from vipreport.stats import loglog_interval, newcombe_interval, wilson_interval

TOL = 1e-9


def _lifelines() -> Any:  # lifelines has no type information
    with warnings.catch_warnings():  # lifelines' own imports warn on new pandas/scipy
        warnings.simplefilter("ignore")
        import lifelines
    return lifelines


@pytest.mark.parametrize("seed", range(8))
def test_kaplan_meier_matches_lifelines(seed: int) -> None:
    lifelines = _lifelines()
    rng = np.random.default_rng(seed)
    n = int(rng.integers(5, 3000))
    duration = rng.integers(0, 900, size=n).astype(np.int32)  # many ties
    event = (rng.random(n) < rng.uniform(0.05, 0.9)).astype(np.uint8)
    curve = _core.kaplan_meier(duration, event)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km = lifelines.KaplanMeierFitter().fit(duration, event)
    table = km.event_table.loc[curve.time]
    np.testing.assert_array_equal(curve.at_risk, table["at_risk"])
    np.testing.assert_array_equal(curve.events, table["observed"])
    np.testing.assert_array_equal(curve.censored, table["censored"])
    np.testing.assert_allclose(curve.survival, km.survival_function_.loc[curve.time].iloc[:, 0], rtol=0, atol=TOL)
    low, high = loglog_interval(curve.survival, curve.greenwood)
    ci = km.confidence_interval_.loc[curve.time]
    np.testing.assert_allclose(low, ci.iloc[:, 0], rtol=0, atol=TOL)
    np.testing.assert_allclose(high, ci.iloc[:, 1], rtol=0, atol=TOL)
    for t in (180, 365, 730):
        expected = km.survival_function_at_times(t).iloc[0]
        upto = curve.time <= t
        got = curve.survival[upto][-1] if upto.any() else 1.0
        assert got == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize("seed", range(6))
def test_aalen_johansen_matches_lifelines(seed: int) -> None:
    lifelines = _lifelines()
    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 2000))
    # lifelines jitters event times tied across causes; keep causes on distinct days
    # (violent incidents on even days, deaths on odd ones) so both see the same data.
    cause = rng.choice([0, 1, 2], size=n, p=[0.6, 0.3, 0.1]).astype(np.uint8)
    duration = (2 * rng.integers(1, 500, size=n) + (cause == 2)).astype(np.int32)
    curve = _core.aalen_johansen(duration, cause)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        aj = lifelines.AalenJohansenFitter(calculate_variance=False).fit(duration, cause, event_of_interest=1)
    expected = aj.cumulative_density_.iloc[:, 0]
    np.testing.assert_allclose(curve.incidence, expected.loc[curve.time], rtol=0, atol=TOL)


def test_survival_ties_are_deterministic() -> None:
    duration = np.array([5, 5, 5, 9], np.int32)
    event = np.array([1, 0, 1, 0], np.uint8)
    curve = _core.kaplan_meier(duration, event)
    # Events before censorings at one time: all three are at risk on day 5.
    assert curve.at_risk.tolist() == [4, 1]
    assert curve.survival[0] == pytest.approx(0.5)
    shuffled = _core.kaplan_meier(duration[::-1].copy(), event[::-1].copy())
    np.testing.assert_array_equal(curve.survival, shuffled.survival)


def test_survival_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="row 1"):
        _core.kaplan_meier(np.array([1, -3], np.int32), np.array([0, 1], np.uint8))
    with pytest.raises(ValueError, match="must be 0 or 1"):
        _core.kaplan_meier(np.array([1], np.int32), np.array([2], np.uint8))
    empty = _core.kaplan_meier(np.array([], np.int32), np.array([], np.uint8))
    assert len(empty.time) == 0


@pytest.mark.parametrize("seed", range(5))
def test_wilson_matches_statsmodels(seed: int) -> None:
    from statsmodels.stats.proportion import proportion_confint

    rng = np.random.default_rng(seed)
    trials = rng.integers(1, 500, size=200)
    successes = (rng.random(200) * (trials + 1)).astype(int)
    low, high = wilson_interval(successes, trials)
    expected_low, expected_high = proportion_confint(successes, trials, alpha=0.05, method="wilson")
    np.testing.assert_allclose(low, expected_low, rtol=0, atol=TOL)
    np.testing.assert_allclose(high, expected_high, rtol=0, atol=TOL)
    low90, _ = wilson_interval(successes, trials, confidence=0.9)
    np.testing.assert_allclose(
        low90, proportion_confint(successes, trials, alpha=0.1, method="wilson")[0], rtol=0, atol=TOL
    )


@pytest.mark.parametrize("seed", range(5))
def test_newcombe_matches_statsmodels(seed: int) -> None:
    from statsmodels.stats.proportion import confint_proportions_2indep

    rng = np.random.default_rng(seed)
    for _ in range(40):
        n1, n2 = rng.integers(1, 400, size=2)
        x1, x2 = rng.integers(0, n1 + 1), rng.integers(0, n2 + 1)
        difference, low, high = newcombe_interval(x1, n1, x2, n2)
        expected = confint_proportions_2indep(x1, n1, x2, n2, method="newcomb", compare="diff", alpha=0.05)
        assert difference == pytest.approx(x1 / n1 - x2 / n2, abs=TOL)
        assert (low, high) == pytest.approx(expected, abs=TOL)


def test_zero_trials_give_no_interval() -> None:
    low, high = wilson_interval([0], [0])
    assert np.isnan(low[0]) and np.isnan(high[0])


def test_survival_on_demo_data_agrees_with_lifelines(demo: vr.Dataset) -> None:
    lifelines = _lifelines()
    follow = vr.metrics.follow_up(demo, "2024-11-30")
    table = vr.survival_at(demo, "2024-11-30")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        km = lifelines.KaplanMeierFitter().fit(follow["duration"], follow["cause"] == 1)
    for row in table.itertuples():
        assert row.survival == pytest.approx(km.survival_function_at_times(row.time).iloc[0], abs=TOL)
        assert row.at_risk == int((follow["duration"] >= row.time).sum())


def test_deaths_are_a_competing_risk_not_a_failure(demo: vr.Dataset) -> None:
    assert "deaths" in demo
    competing = vr.survival_curve(demo, "2024-11-30", competing=True)
    plain = vr.survival_curve(demo, "2024-11-30")
    assert competing["competing"].sum() > 0
    # Incidence with deaths competing is at most 1 - KM (which treats deaths as censored).
    assert (competing["incidence"].to_numpy() <= 1 - plain["survival"].to_numpy() + TOL).all()


def test_rates_carry_wilson_intervals(demo: vr.Dataset) -> None:
    rate = vr.success_rate(demo, "2024-11").set_index("group").loc["All"]
    low, high = wilson_interval(rate.successes, rate.persons)
    assert (rate.ci_low, rate.ci_high) == (low, high)
    assert rate.ci_low < rate.success_rate < rate.ci_high
    engagement = vr.engagement_rate(demo, "2024-11").iloc[0]
    assert engagement.ci_low < engagement.engagement_rate < engagement.ci_high
