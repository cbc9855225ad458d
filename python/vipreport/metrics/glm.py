"""A quasi-Poisson log-linear model of monthly counts, fitted by IRLS, and Benjamini-Hochberg adjustment.

Why here, in numpy, and not statsmodels or the core: the model is small (one to
four coefficients, at most a few dozen months, seven areas), so a plain
iteratively reweighted least-squares loop is short, easy to read and fast; it
adds no runtime dependency (statsmodels stays a test dependency and is the
reference the tests compare against: ``sm.GLM(y, X, family=Poisson())``).
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np


@dataclass(frozen=True)
class PoissonFit:
    coef: np.ndarray  # log-rate coefficients, one per design column
    se: np.ndarray  # standard errors, scaled by sqrt(scale)
    dispersion: float  # Pearson chi-squared / residual degrees of freedom
    scale: float  # max(1, dispersion): overdispersion widens intervals, underdispersion does not narrow them
    iterations: int


def poisson_irls(y: np.ndarray, design: np.ndarray, *, max_iter: int = 100, tol: float = 1e-10) -> PoissonFit:
    """Fit log E[y] = design @ coef by Fisher scoring (IRLS), with a quasi-Poisson scale.

    ``y`` must hold at least one positive count (else the maximum-likelihood
    intercept is minus infinity).
    """
    y = np.asarray(y, dtype=float)
    X = np.asarray(design, dtype=float)
    n, p = X.shape
    mu = y + 0.5 * y.mean() + 0.1  # a start away from zero (as statsmodels starts from (y + mean) / 2)
    eta = np.log(mu)
    coef = np.zeros(p)
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007 (the count is reported after the loop)
        z = eta + (y - mu) / mu  # working response
        w = mu  # working weights for the log link
        xw = X * w[:, None]
        new = np.linalg.solve(X.T @ xw, xw.T @ z)
        eta = X @ new
        mu = np.exp(eta)
        if np.max(np.abs(new - coef)) < tol * (1 + np.max(np.abs(new))):
            coef = new
            break
        coef = new
    covariance = np.linalg.inv(X.T @ (X * mu[:, None]))
    dof = n - p
    dispersion = float(np.sum((y - mu) ** 2 / mu) / dof) if dof > 0 else float("nan")
    scale = max(1.0, dispersion) if np.isfinite(dispersion) else 1.0
    return PoissonFit(coef, np.sqrt(np.diag(covariance) * scale), dispersion, scale, iterations)


def two_sided_p(z: np.ndarray) -> np.ndarray:
    """Two-sided normal p-values (Wald tests, as statsmodels' GLM reports)."""
    normal = NormalDist()
    return np.array([2 * (1 - normal.cdf(abs(float(v)))) for v in np.atleast_1d(z)])


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (the false discovery rate across the family; NaN stays NaN)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok])]
    ranked = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]  # monotone from the largest p down
    out[order] = np.minimum(adjusted, 1.0)
    return out
