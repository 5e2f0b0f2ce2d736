"""Roodman (2020), "Modeling the Human Trajectory": stochastic hyperbolic growth of GWP.

Model: ``dY/Y = (s·Y^B + δ) dt + σ·Y^(B/2) dW``. By Itô, ``X = Y^(-B)`` is a Feller diffusion
``dX = (a(1 + ν) + bX) dt + sqrt(2aX) dW`` with ``a = B²σ²/2``, ``b = -Bδ``,
``ν = (1 - 2s/σ²)/B``; ``Y`` explodes when ``X`` hits the absorbing 0 (possible iff ``ν < 0``).
Transition: ``X₁/k ~ ncx2(2 + 2|ν|, 2L)`` times ``(X₀/X₁)^{-ν} e^{-νbΔ}`` if ``ν < 0``, with
``k = a(e^{bΔ} - 1)/(2b)`` and ``L = bX₀/(a(1 - e^{-bΔ}))``; the explosion delay is
``-ln(1 - bX₀/(aG))/b`` with ``G ~ Gamma(-ν)``. Derivations: docs/classics/roodman.md.

Estimation: weighted maximum likelihood of ``Y_i | Y_{i-1}`` (Feller density times the Jacobian
``B·Y^(-B-1)``) on the sample and weights of data/README.md; Nelder-Mead from a Kremer-style
NLS start plus two alternatives, accepted only at a verified local maximum, else FitError.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats
from scipy.special import gammaincinv

from takeoff.classics import ClassicResult
from takeoff.data import data_path
from takeoff.errors import FitError

Arr = np.ndarray
#: Feller parameters ``(a, b, ν, B)``: scalars, or arrays with one entry per path.
Feller = tuple[Any, Any, Any, Any]

DATA_FILE = "roodman_2020_gwp.csv"
SD_YEARS = np.array([-10000.0, 0.0, 1700.0, 1900.0, 2000.0])
SD_VALUES = np.array([1.0, 0.75, 0.25, 0.05, 0.01])
LATE_DATES = (1960, 1970, 1980, 1990, 2000, 2010, 2019)
DEFAULT_SEED = 902381476  # the seed in Roodman's "Model GWP.do"
DEFAULT_PATHS = 20_000
EXPLOSIVE_GROWTH = 0.30
_B_SCALE = 1e-4  # b is ~1e-5; rescaled so all optimiser coordinates are O(0.1-30)
_NM = {"maxiter": 8000, "maxfev": 8000, "xatol": 1e-8, "fatol": 1e-10, "adaptive": True}

# Archived estimates of Roodman's headline fit (ln a, b, nu, gamma) = (-12.661317, 1.857147e-5,
# -23.778794, -1.812893), quoted in droodman/Modeling-Human-Trajectory
# scripts/update_gwp_prediction_percentiles.py, mapped by B = -1/gamma, delta = b*gamma,
# sigma = sqrt(2a)|gamma|, s = a*gamma*(nu + gamma). The years are the paper's figures; the
# 2019 percentile is the published chart's dot (~21%), which includes parameter uncertainty.
PUBLISHED: dict[str, Any] = {
    "B": 0.5516045,
    "s": 1.4714008e-4,
    "delta": -3.3668088e-5,
    "sigma": 4.5658024e-3,
    "median_explosion_year": 2047,
    "p50_year_growth_30pct": 2043,
    "fit_through_2010": {"percentile_of_actual_2019_with_param_uncertainty": 0.21},
}


@dataclass(frozen=True)
class Params:
    """Growth-equation parameters ``(s, B, δ, σ)``."""

    s: float
    B: float
    delta: float
    sigma: float

    def feller(self) -> Feller:
        """``(a, b, ν, B)``: ``a = B²σ²/2``, ``b = -Bδ``, ``ν = (1 - 2s/σ²)/B``."""
        a = 0.5 * self.B**2 * self.sigma**2
        return a, -self.B * self.delta, (1.0 - 2.0 * self.s / self.sigma**2) / self.B, self.B

    @staticmethod
    def from_feller(a: float, b: float, nu: float, B: float) -> Params:
        """Inverse map: ``σ = sqrt(2a)/B``, ``δ = -b/B``, ``s = σ²(1 - Bν)/2``."""
        sigma = float(np.sqrt(2.0 * a) / B)
        return Params(0.5 * sigma**2 * (1.0 - B * nu), float(B), float(-b / B), sigma)


def theta_to_feller(theta: Arr) -> Feller:
    """Optimiser vector ``(ln a, b/1e-4, ν, ln B)`` (rows, if 2-D) -> ``(a, b, ν, B)``."""
    return np.exp(theta[0]), theta[1] * _B_SCALE, theta[2], np.exp(theta[3])


def feller_to_theta(a: float, b: float, nu: float, B: float) -> Arr:
    return np.array([np.log(a), b / _B_SCALE, nu, np.log(B)])


@dataclass(frozen=True)
class Fit:
    """A converged maximum-likelihood fit; ``cov`` is that of ``theta``."""

    theta: Arr
    loglik: float
    cov: Arr
    n: int

    @property
    def feller(self) -> Feller:
        return tuple(float(v) for v in theta_to_feller(self.theta))  # type: ignore[return-value]

    @property
    def params(self) -> Params:
        return Params.from_feller(*self.feller)


# --------------------------------------------------------------------------- data


def hyde_weights(years: Arr) -> Arr:
    """``w = 1/(1 + 2 sd²)``, ``sd`` piecewise linear in year through Roodman's knots."""
    sd = np.interp(years, SD_YEARS, SD_VALUES)  # clamps: 1 before -10000, 0.01 after 2000
    return 1.0 / (1.0 + 2.0 * sd**2)


def load_sample(through: int = 2019, path: Path | None = None) -> tuple[Arr, Arr, Arr]:
    """Roodman's headline sample ``(year, GWP in billion 1990 $, weight)``, year 1 -> 0."""
    frame = pd.read_csv(path or data_path(DATA_FILE))
    year = frame["year"].to_numpy(dtype=float)
    gwp = frame["gwp_billion_1990usd"].to_numpy(dtype=float)
    keep = (year >= -10000) & ((year <= 1950) | np.isin(year, LATE_DATES))
    keep &= np.isfinite(gwp) & (year <= through)
    years = np.where(year[keep] == 1.0, 0.0, year[keep])
    return years, gwp[keep], hyde_weights(years)


# --------------------------------------------------------------------------- density


def _expm1_ratio(z: Any) -> Any:
    """``(e^z - 1)/z``, equal to 1 at ``z = 0``."""
    z = np.asarray(z, dtype=float)
    safe = np.where(np.abs(z) < 1e-12, 1.0, z)
    return np.where(np.abs(z) < 1e-12, 1.0 + 0.5 * z, np.expm1(safe) / safe)


def feller_scales(x0: Any, dt: Any, a: Any, b: Any) -> tuple[Any, Any]:
    """``k = aΔ/2·(e^{bΔ}-1)/(bΔ)`` and ``L = X₀/(aΔ·(1-e^{-bΔ})/(bΔ))`` (finite as b -> 0)."""
    return 0.5 * a * dt * _expm1_ratio(b * dt), x0 / (a * dt * _expm1_ratio(-b * dt))


def feller_logpdf(x0: Any, x1: Any, dt: Any, a: Any, b: Any, nu: Any) -> Arr:
    """Log density of ``X₁`` given ``X₀`` after ``Δ`` years, zero absorbing.

    ``log f = log ncx2(X₁/k; 2+2|ν|, 2L) - log k + max(-ν,0)·(ln X₀ - ln X₁ + bΔ)``.
    Integrates to the survival probability ``P(Gamma(-ν) < L)`` when ``ν < 0``.
    """
    k, lam_half = feller_scales(x0, dt, a, b)
    killed = np.maximum(-np.asarray(nu, dtype=float), 0.0)
    base = stats.ncx2.logpdf(x1 / k, 2.0 + 2.0 * np.abs(nu), 2.0 * lam_half) - np.log(k)
    return base + killed * (np.log(x0) - np.log(x1) + b * dt)


def log_transition(y0: Any, y1: Any, dt: Any, a: Any, b: Any, nu: Any, B: Any) -> Arr:
    """Log density of ``Y₁`` given ``Y₀``: Feller density of ``X = Y^-B`` times ``B·Y₁^(-B-1)``."""
    x0, x1 = np.exp(-B * np.log(y0)), np.exp(-B * np.log(y1))
    return feller_logpdf(x0, x1, dt, a, b, nu) + np.log(B) - (B + 1.0) * np.log(y1)


def weighted_loglik(theta: Arr, y0: Arr, y1: Arr, dt: Arr, w: Arr) -> float:
    """``ℓ(θ) = Σ w_i log f(Y_i | Y_{i-1})``; ``-inf`` outside the numerically valid region."""
    with np.errstate(all="ignore"):
        value = float(w @ log_transition(y0, y1, dt, *theta_to_feller(theta)))
    return value if np.isfinite(value) else -np.inf


# --------------------------------------------------------------------------- estimation


def nls_start(y0: Arr, y1: Arr, dt: Arr, w: Arr) -> Arr:
    """Deterministic start: weighted NLS of ``ln(Y₁/Y₀)/Δ = s·Y₀^B + δ``, weights ``wΔ``.

    ``B`` by a bounded 1-D search with ``(s, δ)`` concentrated out by least squares;
    ``σ² = Σ w e²Δ/Y₀^B / Σ w`` matches the diffusion variance ``σ²Y^B/Δ`` of the rate.
    """
    growth, wt = np.log(y1 / y0) / dt, w * dt

    def coefs(B: float) -> tuple[Arr, Arr]:
        design = np.column_stack([y0**B, np.ones_like(y0)])
        beta = np.linalg.lstsq(design * np.sqrt(wt)[:, None], growth * np.sqrt(wt), rcond=None)[0]
        return beta, growth - design @ beta

    ssr = lambda B: float(wt @ coefs(B)[1] ** 2)  # noqa: E731
    B = optimize.minimize_scalar(ssr, bounds=(0.05, 3.0), method="bounded").x
    (s, delta), resid = coefs(B)
    sigma = np.sqrt(np.sum(w * resid**2 * dt / y0**B) / np.sum(w))
    if not (np.isfinite(sigma) and sigma > 0):
        raise FitError("growth rates do not vary around the NLS fit; the diffusion is unidentified")
    s = max(s, 1e-3 * sigma**2)  # a negative s has no Feller counterpart with B > 0
    return feller_to_theta(*Params(s, B, delta, sigma).feller())


def numerical_hessian(f: Any, theta: Arr) -> tuple[Arr, Arr]:
    """Central-difference gradient and Hessian of ``f`` at ``theta``."""
    h = 1e-4 * (1.0 + np.abs(theta))
    e = np.eye(theta.size) * h
    grad = np.array([(f(theta + e[i]) - f(theta - e[i])) / (2 * h[i]) for i in range(h.size)])
    hess = np.empty((h.size, h.size))
    for i in range(h.size):
        for j in range(i, h.size):
            corners = [
                f(theta + si * e[i] + sj * e[j]) * si * sj for si in (1, -1) for sj in (1, -1)
            ]
            hess[i, j] = hess[j, i] = sum(corners) / (4 * h[i] * h[j])
    return grad, hess


def fit_transitions(y0: Arr, y1: Arr, dt: Arr, w: Arr, starts: list[Arr] | None = None) -> Fit:
    """Maximise :func:`weighted_loglik` over ``θ = (ln a, b/1e-4, ν, ln B)``.

    Each start runs Nelder-Mead twice (the restart re-inflates a collapsed simplex). The best
    optimum is accepted only if ``-H`` is positive definite and the Newton decrement
    ``g'H⁻¹g`` is below 1e-4; otherwise :class:`FitError`. ``cov = H⁻¹`` with the weights
    rescaled to mean one, as Stata does for analytic weights.
    """
    y0, y1, dt, w = (np.asarray(v, dtype=float) for v in (y0, y1, dt, w))
    if y0.size < 5 or not (np.all(y0 > 0) and np.all(y1 > 0) and np.all(dt > 0)):
        raise FitError("need at least 5 transitions with positive levels and time gaps")
    if starts is None:
        first = nls_start(y0, y1, dt, w)
        bumped = first + np.array([0.0, 0.0, 0.5 * abs(first[2]) + 1.0, 0.0])
        starts = [first, bumped, np.array([first[0], 0.0, -2.0, 0.0])]

    def objective(theta: Arr) -> float:
        value = weighted_loglik(theta, y0, y1, dt, w)
        return -value if np.isfinite(value) else np.inf

    best = None
    for start in (s for s in starts if np.isfinite(objective(s))):
        res = optimize.minimize(objective, start, method="Nelder-Mead", options=_NM)
        res = optimize.minimize(objective, res.x, method="Nelder-Mead", options=_NM)
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    if best is None:
        raise FitError("log-likelihood is not finite at any starting value")
    grad, hess = numerical_hessian(objective, best.x)
    if not (np.all(np.isfinite(grad)) and np.all(np.isfinite(hess))):
        raise FitError("log-likelihood is not smooth at the optimum")
    if np.linalg.eigvalsh(hess).min() <= 0:
        raise FitError("no local maximum of the likelihood found (Hessian not definite)")
    decrement = float(grad @ np.linalg.solve(hess, grad))
    if decrement > 1e-4:
        raise FitError(f"optimiser stopped short of the maximum (Newton decrement {decrement:.2g})")
    cov = np.linalg.inv(hess / np.mean(w))
    return Fit(theta=best.x, loglik=float(-best.fun), cov=cov, n=int(y0.size))


def fit_series(years: Arr, y: Arr, w: Arr) -> Fit:
    """Fit on consecutive observations; each transition carries the weight of its end."""
    return fit_transitions(y[:-1], y[1:], np.diff(years), w[1:])


# --------------------------------------------------------------------------- simulation


def hitting_delay(x0: Any, a: Any, b: Any, g: Any) -> Any:
    """``τ = -ln(1 - z)/b``, ``z = bX₀/(aG)``, as ``X₀/(aG)·(-ln(1-z)/z)``; ``inf`` if ``z ≥ 1``."""
    z = np.asarray(b * x0 / (a * g), dtype=float)
    small = np.abs(z) < 1e-12
    safe = np.where(small | (z >= 1.0), 0.5, z)
    ratio = np.where(small, 1.0, -np.log1p(-safe) / safe)
    return np.where(z >= 1.0, np.inf, x0 / (a * g) * ratio)


def feller_step(x: Arr, dt: float, feller: Feller, rng: np.random.Generator) -> tuple[Arr, Arr]:
    """Exact draw of ``X`` after ``dt`` for every path; returns ``(X_new, hit_time)``.

    Mixture form of the transition: for ``ν ≥ 0``, ``J ~ Poisson(L)``, ``X = 2k·Gamma(1+ν+J)``.
    For ``ν < 0`` draw ``G ~ Gamma(-ν)``: the path is absorbed iff ``G ≥ L``, after
    ``τ = -ln(1 - bX₀/(aG))/b``; otherwise ``J ~ Poisson(L - G)``, ``X = 2k·Gamma(1 + J)``.
    Absorbed paths stay at 0; ``hit_time`` is ``inf`` unless absorbed in this step.
    """
    a, b, nu, _ = feller
    nu = np.broadcast_to(np.asarray(nu, dtype=float), x.shape)
    killed, alive = nu < 0, x > 0
    k, lam_half = feller_scales(x, dt, a, b)
    g = rng.gamma(np.where(killed, np.maximum(-nu, 1e-12), 1.0))
    absorbed = alive & killed & (g >= lam_half)
    j = rng.poisson(np.where(killed, np.maximum(lam_half - g, 0.0), lam_half))
    x_new = np.where(alive & ~absorbed, 2.0 * k * rng.gamma(1.0 + j + np.maximum(nu, 0.0)), 0.0)
    with np.errstate(all="ignore"):
        tau = hitting_delay(x, a, b, g)
    return x_new, np.where(absorbed, tau, np.inf)


def simulate(
    feller: Feller, y0: float, years: int, n_paths: int, rng: np.random.Generator,
    store: int = 0, fast_log_y: float = np.inf,
) -> dict[str, Any]:  # fmt: skip
    """Simulate ``n_paths`` in exact one-year steps (vectorised over paths, loop over years).

    Returns ``explosion`` (delay in years, ``inf`` if none within ``years``); ``log_y``
    (``(store + 1, n_paths)``, ``inf`` once exploded); ``expected_fast``: first year with
    ``ln Y ≥ fast_log_y``, i.e. with expected growth ``sY^B + δ ≥ g`` when
    ``fast_log_y = ln((g - δ)/s)/B``; ``realized_fast``: for ``h`` in (1, 5, 10), the first
    year whose realized growth averaged over the past ``h`` years is ≥ 30%/yr. An explosion
    counts as crossing every threshold.
    """
    B = feller[3]
    x = np.broadcast_to(float(y0) ** -np.asarray(B, dtype=float), (n_paths,)).copy()
    explosion, expected_fast = np.full(n_paths, np.inf), np.full(n_paths, np.inf)
    realized = {h: np.full(n_paths, np.inf) for h in (1, 5, 10)}
    recent = [np.full(n_paths, np.log(y0))]  # ln Y at t-10..t, for h-year growth
    log_y = np.full((store + 1, n_paths), np.log(y0))
    for t in range(1, years + 1):
        x, tau = feller_step(x, 1.0, feller, rng)
        explosion = np.where(np.isfinite(tau), t - 1 + tau, explosion)
        with np.errstate(divide="ignore", invalid="ignore"):
            log_now = np.where(x > 0, -np.log(x) / B, np.inf)
            for h, first in realized.items():
                if h <= len(recent):
                    hit = (log_now - recent[-h]) / h >= np.log1p(EXPLOSIVE_GROWTH)
                    realized[h] = np.where(hit & np.isinf(first), t, first)
        hit = (log_now >= fast_log_y) & np.isinf(expected_fast)
        expected_fast = np.where(hit, t, expected_fast)
        recent = [*recent[-9:], log_now]
        if t <= store:
            log_y[t] = log_now
        if not np.any(x > 0) and t >= store:
            break
    return dict(explosion=explosion, log_y=log_y, expected_fast=expected_fast,
                realized_fast=realized)  # fmt: skip


def path_quantiles(values: Arr, qs: tuple[float, ...]) -> Arr:
    """Order-statistic quantiles along the last axis: the ``ceil(q·n)``-th smallest."""
    ordered = np.sort(values, axis=-1)
    return np.stack([ordered[..., max(int(np.ceil(q * ordered.shape[-1])) - 1, 0)] for q in qs])


def order_quantile(values: Arr, q: float, offset: float = 0.0) -> float | None:
    """``offset`` + the ``q``-quantile of ``values`` (``None`` if it is infinite)."""
    value = float(path_quantiles(np.asarray(values), (q,))[0]) + offset
    return value if np.isfinite(value) else None


def median_path_fast_year(log_y: Arr) -> int | None:
    """First year in which the median path (pointwise median of ``ln Y``) grows ≥ 30%."""
    with np.errstate(invalid="ignore"):
        growth = np.diff(path_quantiles(log_y, (0.5,))[0])
    hit = np.flatnonzero(growth >= np.log1p(EXPLOSIVE_GROWTH))
    return int(hit[0]) + 1 if hit.size else None


def closed_form_explosion(feller: Feller, x0: float, q: float) -> float | None:
    """``q``-quantile of the explosion delay ``τ(G)``, ``G ~ Gamma(-ν)`` (late <=> small G)."""
    a, b, nu, _ = feller
    if nu >= 0:
        return None
    with np.errstate(divide="ignore"):
        tau = float(hitting_delay(x0, a, b, gammaincinv(-nu, 1.0 - q)))
    return tau if np.isfinite(tau) else None


# --------------------------------------------------------------------------- reproduction


def _summary(fit: Fit) -> dict[str, Any]:
    a, b, nu, _ = fit.feller
    extra = {"a": a, "b": b, "nu": nu, "log_likelihood": fit.loglik, "n_transitions": fit.n}
    return {**asdict(fit.params), **extra}


def holdout_2019(
    fit: Fit, y_2010: float, actual_2019: float, n_paths: int, rng: np.random.Generator
) -> tuple[dict[str, Any], Arr]:
    """Where actual 2019 GWP falls among 2019 values simulated from 2010 (exact 9-year step).

    With plug-in parameters, and with one draw ``θ ~ N(θ̂, cov)`` per path as in Roodman's
    forecast check. Returns the summary and the plug-in yearly ``ln Y`` fan for the chart.
    """
    fan = simulate(fit.feller, y_2010, 9, n_paths, rng, store=9)["log_y"]
    draws = theta_to_feller(rng.multivariate_normal(fit.theta, fit.cov, n_paths, method="eigh").T)
    x_2019, _ = feller_step(y_2010 ** -draws[3], 9.0, draws, rng)
    with np.errstate(divide="ignore"):
        log_unc = np.where(x_2019 > 0, -np.log(x_2019) / draws[3], np.inf)
    closed = closed_form_explosion(fit.feller, y_2010 ** -fit.feller[3], 0.5)
    level = np.exp(np.minimum(fan[9], 700.0))
    summary = {
        **_summary(fit),
        "median_explosion_year_closed_form": None if closed is None else 2010 + closed,
        "gwp_2010": y_2010,
        "actual_gwp_2019": actual_2019,
        **{f"simulated_2019_p{q}": order_quantile(level, q / 100) for q in (10, 50, 90)},
        "percentile_of_actual_2019": float(np.mean(fan[9] < np.log(actual_2019))),
        "percentile_of_actual_2019_with_param_uncertainty": float(
            np.mean(log_unc < np.log(actual_2019))
        ),
    }
    return summary, fan


def _plot(years: Arr, gwp: Arr, fans: list[tuple[int, Arr, str]], path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 5), gridspec_kw={"width_ratios": [1, 1.3]})
    for ax, first, ylim in zip(axes, (-10000, 1900), ((1, 1e7), (1e3, 1e7)), strict=True):
        sel = years >= first
        ax.plot(years[sel], gwp[sel], "o-", color="black", ms=3, lw=0.8, label="GWP (data)")
        for (t0, log_y, label), colour in zip(fans, ("tab:red", "tab:blue"), strict=True):
            t = t0 + np.arange(log_y.shape[0])
            lo, mid, hi = np.exp(np.minimum(path_quantiles(log_y, (0.1, 0.5, 0.9)), 25.0))
            ax.fill_between(t, lo, hi, color=colour, alpha=0.25, lw=0, label=f"10-90%, {label}")
            ax.plot(t, mid, color=colour, lw=1.2, label=f"median, {label}")
        ax.set(yscale="log", ylim=ylim, xlabel="year")
    axes[0].set_ylabel("GWP (billion 1990 $)")
    axes[1].set_xlim(1900, fans[0][0] + fans[0][1].shape[0] - 1)
    axes[1].legend(fontsize=8, loc="upper left")
    fig.suptitle("Roodman (2020) stochastic hyperbolic model: data and simulated fan")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def reproduce(**options: Any) -> ClassicResult:
    """Fit Roodman's model, simulate from 2019, and hold out 2019 from a fit through 2010.

    Options: ``seed``, ``n_paths`` (default 20,000), ``horizon`` (years simulated, 300),
    ``path`` (CSV; defaults to the bundled Roodman series).
    """
    seed = int(options.get("seed", DEFAULT_SEED))
    n_paths = int(options.get("n_paths", DEFAULT_PATHS))
    horizon = int(options.get("horizon", 300))
    rng = np.random.default_rng(seed)
    years, gwp, w = load_sample(2019, options.get("path"))
    fit = fit_series(years, gwp, w)
    t0, y_end, p = int(years[-1]), float(gwp[-1]), fit.params
    fast_log_y = float(np.log((EXPLOSIVE_GROWTH - p.delta) / p.s) / p.B)
    sim = simulate(fit.feller, y_end, horizon, n_paths, rng, store=80, fast_log_y=fast_log_y)
    closed = closed_form_explosion(fit.feller, y_end**-p.B, 0.5)
    median_path = median_path_fast_year(sim["log_y"])
    h_years, h_gwp, h_w = load_sample(2010, options.get("path"))
    actual_2019 = float(gwp[years == 2019][0])
    hold, hold_fan = holdout_2019(
        fit_series(h_years, h_gwp, h_w), float(h_gwp[-1]), actual_2019, n_paths, rng
    )
    realized = {
        f"p50_year_realized_{h}yr_average": order_quantile(v, 0.5, t0)
        for h, v in sim["realized_fast"].items()
    }
    values: dict[str, Any] = {
        **_summary(fit),
        "median_explosion_year": order_quantile(sim["explosion"], 0.5, t0),
        "median_explosion_year_closed_form": None if closed is None else t0 + closed,
        "explosion_year_p10": order_quantile(sim["explosion"], 0.1, t0),
        "explosion_year_p90": order_quantile(sim["explosion"], 0.9, t0),
        "share_exploded_within_horizon": float(np.mean(np.isfinite(sim["explosion"]))),
        "p50_year_growth_30pct": order_quantile(sim["expected_fast"], 0.5, t0),
        "growth_30pct_alternatives": {
            **realized,
            "median_path_year": None if median_path is None else t0 + median_path,
        },
        "fit_through_2010": hold,
        "n_paths": n_paths,
        "seed": seed,
        "horizon_years": horizon,
    }

    def plot(path: str) -> None:
        fans = [(t0, sim["log_y"], f"from {t0}"), (2010, hold_fan, "fit to 2010, from 2010")]
        _plot(years, gwp, fans, path)

    return ClassicResult(name="roodman", values=values, published=dict(PUBLISHED), plot=plot)
