"""AI 2027 timelines forecast, Method 1 "time-horizon extension" (Lifland, Jurkovic; April 2025).

We reproduce the **initial April 2025 version** of the model (not the 7 May 2025 update, which
added labour growth, a superexponential "schedule" and other changes and moved Eli's median to
Feb 2029), as described in the supplement (ai-2027.com/supplements/timelines-forecast) and its
public simulation code.

1. Doublings needed: ``n = log2(h_SC / h_now)`` with ``h_now`` = 15 minutes (METR's 80% horizon of
   Claude 3.7 Sonnet), in work time (1 work month = 167 h).
2. Time at the 2024 pace of progress, with doubling time ``T``: exponential ``n T``;
   superexponential (each doubling 10% shorter) ``T (1 - 0.9^n) / 0.1``; subexponential (10%
   longer) ``T (1.1^n - 1) / 0.1``. Add the "cost and speed" gap (months of progress to make the
   AI 30x faster and cheaper than humans).
3. Intermediate AI R&D speed-ups: progress ``P`` (months at the 2024 pace) accumulates at
   ``dP/dt = (v + c) / 2`` -- software is half of progress -- with the software multiplier
   ``v = (1 + m_now) ((1 + m_SC)/(1 + m_now))^(P / P_total)`` rising exponentially in the fraction
   of the gap crossed; from 2029 compute growth halves (``c = 0.5``, else 1) and the human part
   of software progress halves: ``v -> sqrt(0.5 v (v - 0.5))`` (geometric mean of the
   multiplicative and additive views of AI/human complementarity).
4. Start 2025.25 minus the internal-vs-public gap; SC arrives when ``P`` reaches the total; runs
   are capped at 2050.

Monte Carlo over lognormals fitted to 80% CIs (``z = 1.28`` as in their code); doubling time,
cost-and-speed gap and the growth-type uniform share a Gaussian copula with correlation 0.7
(faster doubling goes with superexponential growth and a smaller cost gap); the two progress
multipliers are correlated 0.7. Published (Eli, April 2025): median Aug 2027, 80% CI Oct 2025 to
2039; Nikola: median 2027, 80% CI 2025 to 2033.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.stats import norm

from takeoff.classics import ClassicResult
from takeoff.errors import ValidationError

DEFAULT_SEED = 20250403
DEFAULT_N = 10_000
START_YEAR = 2025.25
CURRENT_HORIZON_MIN = 15.0
WORK_MONTH_HOURS = 167.0
DECREASE_YEAR = 2029.0  # compute growth and human research growth both halve from here
MAX_YEAR = 2050.0
CORRELATION = 0.7
Z80 = 1.28  # their 80%-CI z-score
SE_DECAY = 0.10  # superexponential: each doubling 10% shorter
SUB_GROWTH = 0.10  # subexponential: each doubling 10% longer

#: Forecaster parameters (80% CIs of lognormals); months unless stated. Multipliers are
#: "progress multiplier minus 1". Sources: supplement tables (Method 1 and "Intermediate
#: speedups") and the April 2025 ``simple_params.yaml``.
FORECASTERS: dict[str, dict[str, Any]] = {
    "eli": {
        "h_sc_ci": (1.0, 14_400.0),  # 10 years [1 month, 1200 years]
        "doubling_ci": (2.5, 9.0),
        "cost_speed_ci": (0.5, 30.0),
        "delay_ci": (0.25, 6.0),
        "present_mult_ci": (0.03, 0.3),
        "sc_mult_ci": (1.5, 40.0),
        "p_super": 0.45,
        "p_sub": 0.10,
    },
    "nikola": {
        "h_sc_ci": (0.1, 24.0),  # 1.5 months [16 hours, 4000 hours]
        "doubling_ci": (2.5, 9.0),
        "cost_speed_ci": (0.5, 30.0),
        "delay_ci": (0.25, 6.0),
        "present_mult_ci": (0.03, 0.3),
        "sc_mult_ci": (1.0, 20.0),
        "p_super": 0.40,
        "p_sub": 0.10,
    },
}
#: Published medians / 80% CIs (decimal years). "Aug 2027" is month 8 -> 2027 + 7.5/12; a bare
#: year "2039" is taken as mid-year. Nikola's published figures are years only.
PUBLISHED: dict[str, dict[str, float]] = {
    "eli": {
        "median_sc_year": 2027 + 7.5 / 12,
        "p10_sc_year": 2025 + 9.5 / 12,
        "p90_sc_year": 2039.5,
    },
    "nikola": {"median_sc_year": 2027.5, "p10_sc_year": 2025.5, "p90_sc_year": 2033.5},
}
#: Half-width of the published figures' rounding (years): month-level vs year-level.
PUBLISHED_ROUNDING = {
    "eli": {"median_sc_year": 1 / 24, "p10_sc_year": 1 / 24, "p90_sc_year": 0.5},
    "nikola": {"median_sc_year": 0.5, "p10_sc_year": 0.5, "p90_sc_year": 0.5},
}
THEIR_N = 5_000  # n_sims in their simple_params.yaml ("set to 5000 for full run")


def lognormal_from_ci(lo: float, hi: float, u: np.ndarray) -> np.ndarray:
    """Quantile function of the lognormal whose 10th/90th percentiles are ``lo``/``hi``."""
    mu = 0.5 * (np.log(lo) + np.log(hi))
    sigma = (np.log(hi) - np.log(lo)) / (2 * Z80)
    return np.exp(mu + sigma * norm.ppf(u))


def correlated_uniforms(rng: np.random.Generator, n: int, k: int, rho: float) -> np.ndarray:
    """``(n, k)`` uniforms from a Gaussian copula with equal pairwise correlation ``rho``."""
    cov = np.full((k, k), rho) + (1 - rho) * np.eye(k)
    z = rng.standard_normal((n, k)) @ np.linalg.cholesky(cov).T
    return norm.cdf(z)


def sample(rng: np.random.Generator, n: int, fc: dict[str, Any]) -> dict[str, np.ndarray]:
    """Draw all inputs; ``growth`` is 1 superexponential, 0 exponential, -1 subexponential."""
    u = correlated_uniforms(rng, n, 3, CORRELATION)
    u_mult = correlated_uniforms(rng, n, 2, CORRELATION)
    u_ind = rng.uniform(size=(n, 2))
    growth = np.where(
        u[:, 2] < fc["p_super"], 1, np.where(u[:, 2] < fc["p_super"] + fc["p_sub"], -1, 0)
    )
    return {
        "h_sc_months": lognormal_from_ci(*fc["h_sc_ci"], u_ind[:, 0]),
        "doubling_months": lognormal_from_ci(*fc["doubling_ci"], u[:, 0]),
        "cost_speed_months": lognormal_from_ci(*fc["cost_speed_ci"], u[:, 1]),
        "delay_months": lognormal_from_ci(*fc["delay_ci"], u_ind[:, 1]),
        "present_mult": lognormal_from_ci(*fc["present_mult_ci"], u_mult[:, 0]),
        "sc_mult": lognormal_from_ci(*fc["sc_mult_ci"], u_mult[:, 1]),
        "growth": growth,
    }


def horizon_time(n: np.ndarray, doubling: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """Months (2024 pace) for ``n`` horizon doublings with first doubling time ``doubling``.

    ``n T`` (exponential), ``T (1 - 0.9^n)/0.1`` (superexponential, bounded by ``10 T``) and
    ``T (1.1^n - 1)/0.1`` (subexponential).
    """
    sup = doubling * (1 - (1 - SE_DECAY) ** n) / SE_DECAY
    sub = doubling * ((1 + SUB_GROWTH) ** n - 1) / SUB_GROWTH
    return np.where(growth > 0, sup, np.where(growth < 0, sub, n * doubling))


def base_months(
    s: dict[str, np.ndarray],
    horizon_min: float = CURRENT_HORIZON_MIN,
    work_month_hours: float = WORK_MONTH_HOURS,
) -> np.ndarray:
    """Total gap in months at the 2024 pace: horizon doublings plus the cost-and-speed gap."""
    n = np.log2(s["h_sc_months"] / (horizon_min / (60.0 * work_month_hours)))
    total = horizon_time(n, s["doubling_months"], s["growth"]) + s["cost_speed_months"]
    return np.maximum(np.where(np.isfinite(total), total, 0.0), 0.0)


def progress_rate(
    frac: np.ndarray,
    year: np.ndarray,
    m_now: np.ndarray,
    m_sc: np.ndarray,
    decrease_year: float = DECREASE_YEAR,
) -> np.ndarray:
    """``dP/dt = (v + c)/2``: months of 2024-pace progress per calendar month (see docstring)."""
    v = (1 + m_now) * ((1 + m_sc) / (1 + m_now)) ** frac
    late = year >= decrease_year
    v = np.where(late, np.sqrt(0.5 * v * np.maximum(v - 0.5, 0.0)), v)
    return 0.5 * (v + np.where(late, 0.5, 1.0))


def arrival_years(
    base: np.ndarray,
    start: np.ndarray,
    m_now: np.ndarray,
    m_sc: np.ndarray,
    *,
    dt_days: float = 4.0,
    decrease_year: float = DECREASE_YEAR,
    max_year: float = MAX_YEAR,
) -> np.ndarray:
    """Integrate ``dP/dt`` from ``start`` until ``P = base``; vectorised over samples.

    Heun's method (RK2) in steps of ``dt_days / 30.5`` months, looping over time only, with the
    arrival located by linear interpolation inside the last step. (Their code uses forward
    Euler with one-day steps; both converge to the same ODE solution, see the tests.) Samples
    leave the active set once they arrive or reach ``max_year``; results are capped there.
    """
    dt = dt_days / 30.5
    year = start.astype(float).copy()
    progress = np.zeros_like(year)
    active = np.flatnonzero((progress < base) & (year < max_year))
    while active.size:
        p0, y0, b = progress[active], year[active], base[active]
        m0, m1 = m_now[active], m_sc[active]
        k1 = progress_rate(p0 / b, y0, m0, m1, decrease_year)
        k2 = progress_rate((p0 + dt * k1) / b, y0 + dt / 12.0, m0, m1, decrease_year)
        p1 = p0 + 0.5 * dt * (k1 + k2)
        arrived = p1 >= b
        step = np.where(arrived, (b - p0) / (p1 - p0), 1.0) * dt
        progress[active] = np.minimum(p1, b)
        year[active] = y0 + step / 12.0
        active = active[~arrived & (year[active] < max_year)]
    return np.minimum(year, max_year)


def analytic_arrival(
    base: np.ndarray, start: np.ndarray, m_now: np.ndarray, m_sc: np.ndarray
) -> np.ndarray:
    """Exact arrival year with no 2029 slowdown: ``dP/dt = (1 + a e^(kP))/2``.

    ``t = 2 [P - (1/k) ln((1 + a e^(kP)) / (1 + a))]`` with ``a = 1 + m_now`` and
    ``k = ln((1 + m_SC)/(1 + m_now)) / P``; used to check the integrator.
    """
    a = 1 + m_now
    base = np.asarray(base, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        k = np.log((1 + m_sc) / a) / base
        months = 2 * (base - np.log((1 + a * np.exp(k * base)) / (1 + a)) / k)
    # k -> 0 (equal multipliers) is the constant rate (1 + a)/2; base = 0 arrives at once.
    months = np.where(np.abs(k * base) < 1e-12, 2 * base / (1 + a), months)
    return start + months / 12.0


def simulate(
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    forecaster: str = "eli",
    *,
    dt_days: float = 4.0,
    work_month_hours: float = WORK_MONTH_HOURS,
    speedups: bool = True,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Draw inputs and return them with SC arrival years. ``speedups=False``: no AI R&D boost."""
    if forecaster not in FORECASTERS:
        raise ValidationError(f"forecaster: {forecaster!r}; choose one of {sorted(FORECASTERS)}")
    rng = np.random.default_rng(seed)
    s = sample(rng, n, FORECASTERS[forecaster])
    base = base_months(s, work_month_hours=work_month_hours)
    m_now, m_sc = (s["present_mult"], s["sc_mult"]) if speedups else (np.zeros(n), np.zeros(n))
    start = START_YEAR - s["delay_months"] / 12.0
    return s, arrival_years(base, start, m_now, m_sc, dt_days=dt_days)


def quantile_ci(x: np.ndarray, q: float, z: float = 1.96) -> tuple[float, float]:
    """Distribution-free 95% CI of the ``q`` quantile: order statistics ``N q -/+ z sqrt(N q (1-q))``."""
    xs = np.sort(x)
    n = len(xs)
    half = z * np.sqrt(n * q * (1 - q))
    lo = int(np.clip(np.floor(n * q - half), 0, n - 1))
    hi = int(np.clip(np.ceil(n * q + half), 0, n - 1))
    return float(xs[lo]), float(xs[hi])


def reproduce(
    n_samples: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    forecaster: str = "eli",
    dt_days: float = 4.0,
) -> ClassicResult:
    """SC arrival distribution of the April 2025 time-horizon-extension model."""
    if not isinstance(n_samples, int | np.integer) or n_samples < 100:
        raise ValidationError(f"n_samples: {n_samples!r} must be an integer >= 100")
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValidationError(f"seed: {seed!r} must be a non-negative integer")
    if not 0 < dt_days <= 30:
        raise ValidationError(f"dt_days: {dt_days} must be in (0, 30]")
    s, years = simulate(int(n_samples), int(seed), forecaster, dt_days=dt_days)
    quantiles = {"p10_sc_year": 0.1, "median_sc_year": 0.5, "p90_sc_year": 0.9}
    est = {k: float(np.percentile(years, 100 * q)) for k, q in quantiles.items()}
    ci = {k: quantile_ci(years, q) for k, q in quantiles.items()}
    se = {k: (hi - lo) / (2 * 1.96) for k, (lo, hi) in ci.items()}
    _, no_boost = simulate(int(n_samples), int(seed), forecaster, dt_days=dt_days, speedups=False)
    values: dict[str, Any] = {
        "forecaster": forecaster,
        "model_version": "AI 2027 timelines supplement, Method 1, initial version (April 2025)",
        **est,
        "ci95": {k: list(v) for k, v in ci.items()},
        "mc_standard_error": se,
        "tolerance_vs_published": {
            k: _tolerance(se[k], int(n_samples), forecaster, k) for k in quantiles
        },
        "p_sc_by_end_2027": float(np.mean(years < 2028.0)),
        "p_capped_at_2050": float(np.mean(years >= MAX_YEAR)),
        "median_sc_year_without_ai_speedup": float(np.median(no_boost)),
        "growth_type_shares": {
            "superexponential": float(np.mean(s["growth"] == 1)),
            "exponential": float(np.mean(s["growth"] == 0)),
            "subexponential": float(np.mean(s["growth"] == -1)),
        },
        "median_base_gap_months": float(np.median(base_months(s))),
        "n_samples": int(n_samples),
        "seed": int(seed),
    }
    published = dict(PUBLISHED[forecaster])
    return ClassicResult(
        name="ai2027",
        values=values,
        published=published,
        plot=lambda path: _plot(path, years, no_boost, published),
    )


def _tolerance(se_ours: float, n: int, forecaster: str, key: str) -> float:
    """3 sigma of (ours - theirs) for two MC quantiles (theirs from THEIR_N draws) + rounding."""
    se_theirs = se_ours * np.sqrt(n / THEIR_N)
    return float(3 * np.hypot(se_ours, se_theirs) + PUBLISHED_ROUNDING[forecaster][key])


def _plot(path: str, years: np.ndarray, no_boost: np.ndarray, published: dict[str, float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2))
    bins = np.arange(2024.5, MAX_YEAR + 0.25, 0.25)
    ax.hist(years, bins=bins, density=True, alpha=0.6, label="with AI R&D speed-ups")
    ax.hist(no_boost, bins=bins, density=True, histtype="step", label="no speed-up")
    ax.axvline(float(np.median(years)), color="C0", ls="--", label="our median")
    ax.axvline(published["median_sc_year"], color="C3", ls=":", label="published median")
    ax.set_xlim(2024.5, 2045)
    ax.set_xlabel("superhuman coder arrival (internal)")
    ax.set_ylabel("density")
    ax.set_title("AI 2027 time-horizon extension (April 2025)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
