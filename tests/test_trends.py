"""Area trends: the count model and its multiplicity control against statsmodels, and the year-on-year change."""

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest

import vipreport as vr


def test_area_trends_on_demo(demo: vr.Dataset) -> None:
    table = vr.area_trends(demo, "2024-11").set_index("area_command")
    assert list(table.index) == list(demo.config.area_rows)
    long = vr.area_series(demo, "2024-11", months=36)
    series = long.pivot(index="month", columns="area_command", values="referrals")[list(table.index)]
    assert (table["last_3_months"] == series.iloc[-3:].sum()).all()
    assert (table["same_3_months_year_before"] == series.iloc[-15:-12].sum()).all()
    assert (table["change"] == table["last_3_months"] - table["same_3_months_year_before"]).all()
    # The relative change is a proportion (0.25 for a quarter more), not percent.
    np.testing.assert_allclose(table["relative_change"], table["change"] / table["same_3_months_year_before"])
    assert (table["as_of"] == pd.Timestamp("2024-11-30")).all()
    assert (
        (table["rr_ci_low"] <= table["rate_ratio_per_year"]) & (table["rate_ratio_per_year"] <= table["rr_ci_high"])
    ).all()
    assert (table["months_observed"] == 36).all() and table["seasonal"].all()


# -- the count model (metrics/glm.py) against statsmodels ------------------------------------------------


def _statsmodels_fit(
    y: npt.NDArray[np.float64], design: npt.NDArray[np.float64], confidence: float = 0.95
) -> tuple[Any, float, float, float]:  # statsmodels' results object has no types
    import statsmodels.api as sm

    poisson = sm.GLM(y, design, family=sm.families.Poisson()).fit(tol=1e-13)
    dispersion = poisson.pearson_chi2 / poisson.df_resid
    fit = sm.GLM(y, design, family=sm.families.Poisson()).fit(scale=max(1.0, dispersion), tol=1e-13)
    low, high = np.exp(fit.conf_int(alpha=1 - confidence)[1])
    return fit, dispersion, low, high


@pytest.mark.parametrize("seed, n", [(0, 12), (1, 24), (2, 36), (3, 15), (4, 36)])
def test_poisson_fit_matches_statsmodels(seed: int, n: int) -> None:
    from vipreport.metrics.glm import poisson_irls, two_sided_p
    from vipreport.metrics.trends import _design

    rng = np.random.default_rng(seed)
    months = np.arange(2021 * 12 + 6, 2021 * 12 + 6 + n)
    design = _design(months, n >= 24)
    # Overdispersed counts (a gamma-Poisson mixture) with a trend and a season.
    mean = np.exp(1.5 + 0.2 * (months - months[0]) / 12 + 0.3 * np.sin(2 * np.pi * (months % 12) / 12))
    y = rng.poisson(mean * rng.gamma(2.0, 0.5, size=n)).astype(float)
    ours = poisson_irls(y, design)
    fit, dispersion, _low, _high = _statsmodels_fit(y, design)
    np.testing.assert_allclose(ours.coef, fit.params, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(ours.se, fit.bse, rtol=1e-7)
    assert ours.dispersion == pytest.approx(dispersion, rel=1e-8)
    assert two_sided_p(np.array([ours.coef[1] / ours.se[1]]))[0] == pytest.approx(fit.pvalues[1], rel=1e-6, abs=1e-12)


def test_benjamini_hochberg_matches_statsmodels() -> None:
    from statsmodels.stats.multitest import multipletests

    from vipreport.metrics.glm import benjamini_hochberg

    rng = np.random.default_rng(7)
    for _ in range(20):
        p = rng.uniform(0, 0.2, size=7)
        np.testing.assert_allclose(benjamini_hochberg(p), multipletests(p, method="fdr_bh")[1], rtol=1e-12)
    with_nan = np.array([0.01, np.nan, 0.04])
    got = benjamini_hochberg(with_nan)
    assert np.isnan(got[1])
    np.testing.assert_allclose(got[[0, 2]], multipletests([0.01, 0.04], method="fdr_bh")[1])


def test_area_trends_fit_observed_months_only(demo: vr.Dataset) -> None:
    # The demo data begin in July 2021: the 24 months ending June 2022 hold only 12 observed months,
    # so asking for 24 or 12 must give the same fits and decisions.
    import pandas as pd

    long = vr.area_trends(demo, "2022-06", months=24).set_index("area_command")
    short = vr.area_trends(demo, "2022-06", months=12).set_index("area_command")
    pd.testing.assert_frame_equal(long, short)
    assert (long["months_observed"] == 12).all() and not long["seasonal"].any()
    assert long["same_3_months_year_before"].isna().all()  # April-June 2021 were not observed: not zeros


def test_area_trends_against_statsmodels_on_demo(demo: vr.Dataset) -> None:
    from statsmodels.stats.multitest import multipletests

    table = vr.area_trends(demo, "2024-11", months=36).set_index("area_command")
    referrals = demo.table("referrals")
    month = referrals["referral_date"].dt.year * 12 + referrals["referral_date"].dt.month - 1
    last = 2024 * 12 + 10
    months = np.arange(last - 35, last + 1)
    t = (months - months[0]) / 12
    angle = 2 * np.pi * (months % 12) / 12
    design = np.column_stack([np.ones(36), t, np.sin(angle), np.cos(angle)])
    p_values = []
    for area in table.index:
        in_area = month[referrals["area_command"] == area]
        y = np.array([(in_area == m).sum() for m in months], dtype=float)
        fit, dispersion, low, high = _statsmodels_fit(y, design)
        assert table.loc[area, "rate_ratio_per_year"] == pytest.approx(np.exp(fit.params[1]), rel=1e-7)
        assert (table.loc[area, "rr_ci_low"], table.loc[area, "rr_ci_high"]) == (
            pytest.approx(low, rel=1e-6),
            pytest.approx(high, rel=1e-6),
        )
        assert table.loc[area, "dispersion"] == pytest.approx(dispersion, rel=1e-8)
        p_values.append(fit.pvalues[1])
    reject, adjusted, _, _ = multipletests(p_values, alpha=0.05, method="fdr_bh")
    np.testing.assert_allclose(table["p_adjusted"], adjusted, rtol=1e-6)
    assert table["significant"].tolist() == reject.tolist()
    assert set(table.loc[~reject, "trend"]) <= {"no clear change"}


def test_too_few_months_to_say(demo: vr.Dataset) -> None:
    config = demo.config.replace(trend_min_months=13)
    table = vr.area_trends(demo, "2022-06", months=24, config=config)  # 12 observed months
    assert (table["trend"] == "too few months to say").all() and table["rate_ratio_per_year"].isna().all()
