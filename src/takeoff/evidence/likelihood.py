"""Likelihood weights of Monte Carlo samples given observations (importance sampling).

The prior is the worldview's Monte Carlo: samples theta_i of its parameters, each with
a trajectory. Given observations y_k of observables m_k(theta, t_k) with independent
errors, the posterior of anything computed from a trajectory is estimated by weighting
sample i with its likelihood (self-normalised importance sampling with the prior as the
proposal):

    log L_i = sum_k -1/2 z_ik^2,   z_ik = (ln m_k(theta_i, t_k) - ln y_k) / sd_k   (log scale)
                                    z_ik = (m_k(theta_i, t_k) - y_k) / sd_k         (linear)
    w_i = L_i / sum_j L_j

(the normalising constants cancel). A sample whose model value is missing (NaN) or, on
the log scale, not positive, has likelihood 0. The estimate is only as good as the
number of samples that carry the weight: the effective sample size (Kish)

    ESS = 1 / sum_i w_i^2

is n for equal weights and 1 when one sample takes it all.
Weighted quantiles use the weighted empirical CDF F(x) = sum_{i: x_i <= x} w_i, and the
milestone CDFs of an update are that F on a year grid (``weighted_year_cdf``).
"""

from __future__ import annotations

import numpy as np

from takeoff.errors import ValidationError
from takeoff.evidence.observables import Observation


def interpolate_years(years: np.ndarray, values: np.ndarray, at: float, log: bool) -> np.ndarray:
    """``values`` (n_years, n) at the decimal year ``at``: linear between the two grid
    years around it (in logs when ``log``; non-positive values give NaN there)."""
    if not years[0] - 1e-9 <= at <= years[-1] + 1e-9:
        raise ValidationError(
            f"observation year {at:g} is outside the simulated years [{years[0]:g}, {years[-1]:g}]"
        )
    upper = int(np.clip(np.searchsorted(years, at), 1, years.size - 1))
    lower = upper - 1
    frac = (at - years[lower]) / (years[upper] - years[lower])
    a, b = values[lower], values[upper]
    if log:
        with np.errstate(divide="ignore", invalid="ignore"):
            la = np.where(a > 0, np.log(np.where(a > 0, a, 1.0)), np.nan)
            lb = np.where(b > 0, np.log(np.where(b > 0, b, 1.0)), np.nan)
        return np.exp(la + frac * (lb - la))
    return a + frac * (b - a)


def model_values(
    observation: Observation, years: np.ndarray, trajectories: dict[str, np.ndarray]
) -> np.ndarray:
    """The observable of every sample at the observation's year, shape (n,)."""
    observable = observation.observable
    missing = [name for name in observable.series if name not in trajectories]
    if missing:
        raise ValidationError(
            f"observation {observable.name}: the run kept no {', '.join(missing)} series"
        )
    log = observable.scale == "log"

    def level(at: float) -> np.ndarray:
        out = np.full(trajectories[observable.series[0]].shape[1], observable.factor)
        for name in observable.series:
            out = out * interpolate_years(years, trajectories[name], at, log)
        return out

    if observable.kind == "growth":
        with np.errstate(divide="ignore", invalid="ignore"):
            return level(observation.year) / level(observation.year - 1.0)
    return level(observation.year)


def standardised_errors(observation: Observation, values: np.ndarray) -> np.ndarray:
    """z per sample (module docstring); NaN where the model value is unusable."""
    if observation.observable.scale == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
        return (logs - np.log(observation.value)) / observation.sd
    return (values - observation.value) / observation.sd


def log_likelihood(
    observations: list[Observation], years: np.ndarray, trajectories: dict[str, np.ndarray]
) -> np.ndarray:
    """sum_k -z_ik^2 / 2 per sample, -inf where a model value is unusable."""
    total = None
    for observation in observations:
        z = standardised_errors(observation, model_values(observation, years, trajectories))
        term = np.where(np.isfinite(z), -0.5 * z * z, -np.inf)
        total = term if total is None else total + term
    if total is None:
        raise ValidationError("observations: at least one observation is needed")
    return total


def normalised_weights(log_likelihood_values: np.ndarray) -> np.ndarray:
    """w_i = L_i / sum_j L_j, computed stably from log L."""
    finite = np.isfinite(log_likelihood_values)
    if not finite.any():
        raise ValidationError(
            "observations: no sample can produce them (every sample has likelihood 0)"
        )
    shifted = np.where(finite, log_likelihood_values - log_likelihood_values[finite].max(), -np.inf)
    weights = np.exp(shifted)
    return weights / weights.sum()


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's ESS = 1 / sum w_i^2 for weights that sum to 1."""
    return float(1.0 / np.sum(weights * weights))


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> np.ndarray:
    """Smallest x with F(x) >= q for each q (NaN counts as +inf: not reached)."""
    filled = np.where(np.isnan(values), np.inf, values)
    order = np.argsort(filled, kind="stable")
    cumulative = np.cumsum(weights[order])
    cumulative /= cumulative[-1]
    index = np.searchsorted(cumulative, np.asarray(qs, float) - 1e-12, side="left")
    return filled[order][np.minimum(index, values.size - 1)]


def weighted_cdf(values: np.ndarray, weights: np.ndarray, at: np.ndarray) -> np.ndarray:
    """F(x) = sum of the weights of samples with value <= x, for each x in ``at`` (NaN
    counts as +inf: below every x); sort once, cumulate, binary-search each x."""
    filled = np.where(np.isnan(values), np.inf, values)
    order = np.argsort(filled, kind="stable")
    cumulative = np.concatenate([[0.0], np.cumsum(weights[order])])
    return cumulative[np.searchsorted(filled[order], np.asarray(at, float), side="right")]


#: Slack when comparing a milestone year with a grid year (as the Monte Carlo's own CDFs).
YEAR_TOLERANCE = 1e-9


def weighted_year_cdf(years: np.ndarray, weights: np.ndarray, grid) -> np.ndarray:
    """P(reached by y) for each year y of ``grid``: the weighted empirical CDF

        F(y) = sum_{i: x_i <= y} w_i / sum_i w_i,

    where x_i is sample i's milestone year (NaN: never reached, counted as +inf, so it is
    below no y and F ends at the weighted share that reaches the milestone, possibly < 1)
    and w_i >= 0 its weight (1/n each: the prior's ordinary ECDF; importance weights: the
    posterior's). A year counts as reached by y when x_i <= y + 1e-9 (``YEAR_TOLERANCE``).

    Vectorised: the samples are sorted by year once, the sorted weights cumulated
    (C_0 = 0, C_k = w_(1) + ... + w_(k)), and each y looks up k = #{i: x_i <= y} with a
    binary search (``np.searchsorted(..., side="right")``), so F(y) = C_k / C_n. Ties
    count in full at their year; the result is non-decreasing in y and lies in [0, 1]
    (O((n + m) log n) for n samples and m grid years).
    """
    years = np.asarray(years, dtype=float)
    weights = np.asarray(weights, dtype=float)
    if years.shape != weights.shape or years.ndim != 1:
        raise ValueError("years and weights must be 1-d arrays of one length")
    total = weights.sum()
    if not total > 0:
        raise ValueError("weights must have a positive sum")
    at = np.asarray(grid, dtype=float) + YEAR_TOLERANCE
    return np.clip(weighted_cdf(years, weights, at) / total, 0.0, 1.0)


def weighted_year_summary(
    years: np.ndarray, weights: np.ndarray, end_year: float, by_years
) -> dict:
    """p10/p50/p90 year (None = not reached), P(by each year), P(reached) and the SE of
    the median from the order-statistic interval at ranks 0.5 -+ 1.96 / (2 sqrt(ESS))
    (as ``summarise_years`` does with n; None when it reaches not-reached)."""
    ess = effective_sample_size(weights)
    half = 1.96 / (2 * np.sqrt(ess))
    p10, p50, p90, low, high = weighted_quantiles(
        years, weights, (0.1, 0.5, 0.9, max(0.5 - half, 0.0), min(0.5 + half, 1.0))
    )

    def shown(value):
        return None if not np.isfinite(value) else round(float(value), 2)

    se = (high - low) / (2 * 1.96) if np.isfinite(high) and np.isfinite(low) else None
    reached = np.isfinite(years)
    return {
        "p10": shown(p10),
        "p50": shown(p50),
        "p90": shown(p90),
        "se_median": None if se is None else round(float(se), 3),
        "prob_by": {
            str(year): round(float(np.sum(weights[reached & (years <= year)])), 4)
            for year in by_years
            if year <= end_year + 1e-9
        },
        "prob_reached": round(float(np.sum(weights[reached])), 4),
    }
