"""Area trends: the least-squares fit against statsmodels, and the year-on-year change."""

import numpy as np
import pytest

import vipreport as vr
from vipreport import _core


@pytest.mark.parametrize("seed", range(5))
def test_linear_trend_matches_statsmodels_ols(seed):
    import statsmodels.api as sm

    rng = np.random.default_rng(seed)
    n = 36
    series = rng.poisson(lam=np.linspace(5, 5 + seed * 2, n)[:, None], size=(n, 3)).astype(float)
    fit = _core.linear_trends(series, confidence=0.95)
    design = sm.add_constant(np.arange(n, dtype=float))
    for column in range(3):
        ols = sm.OLS(series[:, column], design).fit()
        low, high = ols.conf_int(alpha=0.05)[1]
        assert fit["intercept"][column] == pytest.approx(ols.params[0], abs=1e-9)
        assert fit["slope"][column] == pytest.approx(ols.params[1], abs=1e-9)
        assert fit["slope_se"][column] == pytest.approx(ols.bse[1], abs=1e-9)
        assert fit["ci_low"][column] == pytest.approx(low, abs=1e-9)
        assert fit["ci_high"][column] == pytest.approx(high, abs=1e-9)
        assert bool(fit["significant"][column]) == (low > 0 or high < 0)


def test_a_clear_rise_is_significant_and_noise_is_not():
    n = 36
    rising = np.arange(n, dtype=float) * 2 + np.tile([0.0, 1.0], n // 2)
    flat = np.tile([3.0, 5.0, 4.0], n // 3)
    fit = _core.linear_trends(np.column_stack([rising, flat]), confidence=0.95)
    assert fit["significant"].tolist() == [1, 0]


def test_trend_needs_three_months():
    with pytest.raises(ValueError, match="at least 3 months"):
        _core.linear_trends(np.ones((2, 1)), confidence=0.95)


def test_area_trends_on_demo(demo):
    table = vr.area_trends(demo, "2024-11")
    assert list(table.index) == list(demo.config.area_rows)
    series = vr.area_series(demo, "2024-11", months=36)
    assert (table["last_3_months"] == series.iloc[-3:].sum()).all()
    assert (table["same_3_months_year_before"] == series.iloc[-15:-12].sum()).all()
    assert (table["change"] == table["last_3_months"] - table["same_3_months_year_before"]).all()
    assert (table["slope_ci_low"] <= table["slope_per_month"]).all()
