"""Aghion, Jones & Jones (2017): task automation, capital accumulation and the Baumol bottleneck.

Production (AJJ 2017, NBER w23928, eq. 12: a Zeira-style task model collapsed to a CES):

    Y = A (beta^(1-rho) K^rho + (1-beta)^(1-rho) L^rho)^(1/rho),   dK/dt = s Y - d K,

with ``A`` growing at ``g_A``, ``L`` at ``n`` and ``beta`` the automated share of tasks. Writing
``B = (1-beta)^((1-rho)/rho)`` the labour term is ``(B L)^rho``: automation acts like
labour-augmenting technology. Long-run growth, derived here from that structure:

* ``rho < 0`` (tasks complements), constant ``beta``: ``K`` outgrows ``B L``, the capital share
  ``s_K = beta^(1-rho) K^rho / (...)`` goes to 0 and ``Y -> A B L``; growth converges to the
  exogenous rate ``g_A + n`` (Baumol: the non-automated tasks hold growth back however fast
  capital accumulates).
* ``rho < 0``, ``1 - beta`` falling at rate ``theta`` (automation share approaching 1):
  ``B`` grows at ``theta (1-rho)/(-rho)``, so growth converges to
  ``g_A + n + theta (1-rho)/(-rho)`` -- sustained, faster growth from automation alone.
* ``rho > 0`` (substitutes): ``Y -> A beta^((1-rho)/rho) K``, an AK economy whose growth
  ``s A beta^((1-rho)/rho) - d`` rises with ``A`` without bound even at constant ``beta``.

Method: integrate ``d ln K/dt = s Y/K - d`` with :func:`scipy.integrate.solve_ivp`, evaluating
``ln Y`` with a log-sum-exp so that ``K`` may span many orders of magnitude; ``g_Y`` is the exact
time derivative of ``ln Y`` given the state (chain rule on the CES, no finite differences).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from takeoff.classics import ClassicResult
from takeoff.errors import FitError, ValidationError

DEFAULT_RHOS: tuple[float, ...] = (-1.0, -0.5, 0.5)
HEADLINE_RHO = -0.5
DEFAULTS: dict[str, float] = {
    "s": 0.2,  # saving rate
    "d": 0.05,  # depreciation
    "g_a": 0.02,  # exogenous TFP growth
    "n": 0.01,  # labour growth
    "theta": 0.02,  # rate at which 1 - beta falls in the rising-automation path
    "beta0": 0.5,  # initial automated share
}
#: rho < 0 runs: the capital share decays at rate |rho| g_A, so 2000 years leaves < 1e-8 of it.
T_LONG = 2000.0
#: rho > 0 runs stop once growth explodes (>100%/yr); 30%/yr is Davidson's "explosive" mark.
T_EXPLODE = 400.0
EXPLOSIVE_GROWTH = 0.30
REL_TOL = 0.01


def beta_path(t: np.ndarray | float, beta0: float, theta: float) -> np.ndarray:
    """Automated share: ``1 - beta(t) = (1 - beta0) exp(-theta t)`` (``theta = 0``: constant)."""
    return 1.0 - (1.0 - beta0) * np.exp(-theta * np.asarray(t, dtype=float))


def log_output(
    log_k: np.ndarray, t: np.ndarray, rho: float, p: dict[str, float], theta: float
) -> tuple[np.ndarray, np.ndarray]:
    """``ln Y`` and the capital share ``s_K`` at states ``ln K`` and times ``t`` (A0 = L0 = 1).

    ``ln Y = g_A t + (1/rho) ln(exp(a) + exp(b))`` with ``a = (1-rho) ln beta + rho ln K`` and
    ``b = (1-rho) ln(1-beta) + rho n t``; ``s_K = exp(a) / (exp(a) + exp(b))``.
    """
    t = np.asarray(t, dtype=float)
    one_minus_beta = (1.0 - p["beta0"]) * np.exp(-theta * t)
    a = (1.0 - rho) * np.log1p(-one_minus_beta) + rho * log_k
    b = (1.0 - rho) * np.log(one_minus_beta) + rho * p["n"] * t
    lse = np.logaddexp(a, b)
    return p["g_a"] * t + lse / rho, np.exp(a - lse)


def output_growth(
    log_k: np.ndarray, t: np.ndarray, rho: float, p: dict[str, float], theta: float
) -> np.ndarray:
    """Exact ``d ln Y/dt = g_A + (1/rho)(s_K da/dt + (1 - s_K) db/dt)`` given the state.

    ``da/dt = (1-rho) theta (1-beta)/beta + rho g_K`` and ``db/dt = -(1-rho) theta + rho n``,
    with ``g_K = s Y/K - d``.
    """
    t = np.asarray(t, dtype=float)
    log_y, share_k = log_output(log_k, t, rho, p, theta)
    g_k = p["s"] * np.exp(log_y - log_k) - p["d"]
    one_minus_beta = (1.0 - p["beta0"]) * np.exp(-theta * t)
    da = (1.0 - rho) * theta * one_minus_beta / (1.0 - one_minus_beta) + rho * g_k
    db = -(1.0 - rho) * theta + rho * p["n"]
    return p["g_a"] + (share_k * da + (1.0 - share_k) * db) / rho


def simulate(
    rho: float,
    p: dict[str, float],
    *,
    rising: bool,
    t_end: float,
    n_points: int = 401,
    stop_growth: float | None = None,
) -> dict[str, np.ndarray]:
    """Integrate ``d ln K/dt = s exp(ln Y - ln K) - d`` from ``K0 = 1``.

    ``rising`` selects the automation path (``1 - beta`` falling at ``theta``) instead of a
    constant ``beta``. With ``stop_growth`` the run ends once ``g_K`` exceeds it (the AK
    explosion for ``rho > 0``); the returned grid then stops at that time.
    """
    theta = p["theta"] if rising else 0.0

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        log_k = np.asarray(y, dtype=float)
        log_y, _ = log_output(log_k, np.asarray(t), rho, p, theta)
        return p["s"] * np.exp(log_y - log_k) - p["d"]

    events = None
    if stop_growth is not None:

        def explode(t: float, y: np.ndarray) -> float:
            return float(rhs(t, y)[0] - stop_growth)

        explode.terminal = True  # type: ignore[attr-defined]
        events = [explode]
    sol = solve_ivp(
        rhs,
        (0.0, t_end),
        np.zeros(1),
        method="LSODA",
        rtol=1e-10,
        atol=1e-12,
        dense_output=True,
        events=events,
    )
    if not sol.success:
        raise FitError(f"Aghion-Jones ODE failed for rho={rho}: {sol.message}")
    t = np.linspace(0.0, sol.t[-1], n_points)
    log_k = sol.sol(t)[0]
    _, share_k = log_output(log_k, t, rho, p, theta)
    return {
        "t": t,
        "log_k": log_k,
        "g_y": output_growth(log_k, t, rho, p, theta),
        "share_k": share_k,
    }


def analytic_long_run(rho: float, p: dict[str, float], rising: bool) -> float | None:
    """Long-run growth of ``Y`` for ``rho < 0`` (see module docstring); ``None`` if unbounded."""
    if rho > 0:
        return None if p["g_a"] > 0 else _ak_growth(rho, p, rising)
    boost = p["theta"] * (1.0 - rho) / (-rho) if rising else 0.0
    return p["g_a"] + p["n"] + boost


def _ak_growth(rho: float, p: dict[str, float], rising: bool) -> float:
    """AK limit for rho > 0 with constant A: ``s beta^((1-rho)/rho) - d`` (beta -> 1 if rising)."""
    beta = 1.0 if rising else p["beta0"]
    return p["s"] * beta ** ((1.0 - rho) / rho) - p["d"]


def rho_case(rho: float, p: dict[str, float]) -> dict[str, Any]:
    """Constant vs rising automation for one ``rho``: numerical vs analytic long-run growth."""
    row: dict[str, Any] = {"rho": rho, "sigma": 1.0 / (1.0 - rho)}
    for label, rising in (("constant_beta", False), ("rising_beta", True)):
        analytic = analytic_long_run(rho, p, rising)
        if analytic is not None:
            run = simulate(rho, p, rising=rising, t_end=T_LONG)
            g_end = float(run["g_y"][-1])
            row[label] = {
                "long_run_growth_numerical": g_end,
                "long_run_growth_analytic": analytic,
                "relative_error": abs(g_end - analytic) / abs(analytic),
                "growth_at_100y": float(np.interp(100.0, run["t"], run["g_y"])),
                "capital_share_end": float(run["share_k"][-1]),
            }
        else:
            run = simulate(rho, p, rising=rising, t_end=T_EXPLODE, stop_growth=1.0)
            t_stop = float(run["t"][-1])
            above = run["g_y"] >= EXPLOSIVE_GROWTH
            row[label] = {
                "unbounded": True,
                "growth_at_25y": float(np.interp(min(25.0, t_stop), run["t"], run["g_y"])),
                "growth_at_50y": float(np.interp(min(50.0, t_stop), run["t"], run["g_y"])),
                "years_to_30pct_growth": float(run["t"][np.argmax(above)])
                if above.any()
                else T_EXPLODE,
                # The run stops when capital growth reaches 100%/yr (or at the horizon).
                "years_to_100pct_capital_growth": t_stop,
                "explodes_within_horizon": bool(t_stop < T_EXPLODE),
                "capital_share_end": float(run["share_k"][-1]),
            }
    return row


def reproduce(rhos: Sequence[float] = DEFAULT_RHOS, **params: float) -> ClassicResult:
    """Constant vs rising automated share across ``rhos``; ``params`` override :data:`DEFAULTS`."""
    p = _validated(rhos, params)
    rows = [rho_case(float(r), p) for r in rhos]
    head = next((r for r in rows if r["rho"] == HEADLINE_RHO), None)
    if head is None:
        head = next((r for r in rows if r["rho"] < 0), None)
    if head is None:
        raise ValidationError("rhos: include at least one rho < 0 (the Baumol case)")
    const, rising = head["constant_beta"], head["rising_beta"]
    values: dict[str, Any] = {
        "headline_rho": head["rho"],
        "exogenous_growth_rate": p["g_a"] + p["n"],
        "long_run_growth_constant_beta": const["long_run_growth_numerical"],
        "long_run_growth_rising_beta": rising["long_run_growth_numerical"],
        "analytic_growth_constant_beta": const["long_run_growth_analytic"],
        "analytic_growth_rising_beta": rising["long_run_growth_analytic"],
        "max_relative_error": max(
            r[k]["relative_error"]
            for r in rows
            for k in ("constant_beta", "rising_beta")
            if "relative_error" in r[k]
        ),
        "parameters": dict(p),
        "cases": rows,
    }
    published = {
        "long_run_growth_constant_beta": const["long_run_growth_analytic"],
        "long_run_growth_rising_beta": rising["long_run_growth_analytic"],
    }
    return ClassicResult(
        name="aghion-jones",
        values=values,
        published=published,
        plot=lambda path: _plot(path, rows, p),
    )


def _validated(rhos: Sequence[float], params: dict[str, float]) -> dict[str, float]:
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValidationError(f"unknown option(s) {sorted(unknown)}; allowed: {sorted(DEFAULTS)}")
    p = {**DEFAULTS, **{k: float(v) for k, v in params.items()}}
    if not 0.0 < p["s"] < 1.0:
        raise ValidationError(f"s: {p['s']} must be in (0, 1)")
    if not 0.0 < p["beta0"] < 1.0:
        raise ValidationError(f"beta0: {p['beta0']} must be in (0, 1)")
    for key in ("d", "g_a", "n"):
        if p[key] < 0:
            raise ValidationError(f"{key}: {p[key]} must be >= 0")
    if p["theta"] <= 0:
        raise ValidationError(f"theta: {p['theta']} must be > 0 (1 - beta must fall)")
    if len(rhos) == 0:
        raise ValidationError("rhos: give at least one rho")
    for rho in rhos:
        if rho == 0 or rho >= 1:
            raise ValidationError(f"rho: {rho} must be < 1 and != 0 (0 is Cobb-Douglas)")
    if any(r < 0 for r in rhos) and p["g_a"] + p["n"] <= 0:
        raise ValidationError("g_a + n must be > 0 for a positive exogenous growth rate")
    return p


def _plot(path: str, rows: list[dict[str, Any]], p: dict[str, float]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for i, row in enumerate(rows):
        rho = row["rho"]
        t_end = 300.0 if rho < 0 else T_EXPLODE
        for rising, ls in ((False, "-"), (True, "--")):
            run = simulate(rho, p, rising=rising, t_end=t_end, stop_growth=None if rho < 0 else 1.0)
            ax = axes[0] if rho < 0 else axes[1]
            label = f"ρ={rho:g}, {'1-β falling' if rising else 'β constant'}"
            ax.plot(run["t"], run["g_y"], ls, color=f"C{i}", label=label)
    axes[0].axhline(p["g_a"] + p["n"], color="k", lw=0.8, ls=":", label="g_A + n")
    axes[0].set_title("ρ < 0: Baumol bottleneck vs automation → 1")
    axes[1].set_title("ρ > 0: capital substitutes for labour (AK)")
    axes[1].set_ylim(0, 1.0)
    for ax in axes:
        ax.set_xlabel("years")
        ax.set_ylabel("growth of Y")
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
