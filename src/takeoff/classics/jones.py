"""Jones (1995) semi-endogenous growth, with Romer (1990) as the knife-edge ``phi = 1``.

Model (Jones 1995, "R&D-based models of economic growth", JPE 103(4)):

    dA/dt = delta * L_A(t)^lambda * A^phi,     L_A(t) = L_A0 * exp(n t),   phi < 1.

Write ``g = d ln A / dt = delta L_A^lambda A^(phi-1)``. Differentiating,

    dg/dt = g * (lambda n - (1 - phi) g),

a logistic equation in ``g`` with rate ``lambda n`` and carrying capacity
``g* = lambda n / (1 - phi)``, so from any ``g0 > 0``

    g(t) = g* / (1 + (g*/g0 - 1) exp(-lambda n t))

and the balanced-growth rate is ``g* = lambda n / (1 - phi)``: it depends on research-labour
growth, not on its level (no scale effect on growth).

Romer (1990) is ``phi = 1, lambda = 1``: ``d ln A/dt = delta L_A``. With constant ``L_A`` growth is
constant and proportional to the *level* of research labour (the scale effect); with ``L_A``
growing at ``n`` the growth rate itself grows as ``delta L_A0 exp(n t)`` without bound.

Method: integrate ``d ln A/dt`` numerically with :func:`scipy.integrate.solve_ivp` (DOP853,
tight tolerances) and compare the numerical growth rate at the end of the run with ``g*``; the
whole numerical path is also compared with the closed-form logistic path above.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from takeoff.classics import ClassicResult
from takeoff.errors import FitError, ValidationError

#: (lambda, n, phi) cases shown by default: lambda in (0, 1], n a few %/yr, phi < 1. With
#: delta = 0.05 the initial growth is 0.05, so the last case approaches g* = 0.06 from below.
DEFAULT_CASES: tuple[tuple[float, float, float], ...] = (
    (1.0, 0.01, 0.5),
    (0.5, 0.02, 0.0),
    (0.75, 0.015, 0.25),
    (1.0, 0.02, -0.5),
    (0.8, 0.01, 0.75),
    (1.0, 0.03, 0.5),
)
DEFAULT_DELTA = 0.05
#: Length of each run in units of the convergence time 1/(lambda n): exp(-12) ~ 6e-6.
CONVERGENCE_SPANS = 12.0
#: Acceptance threshold of the reproduction: numerical BGP growth within 1% of the analytic value.
REL_TOL = 0.01


def bgp_growth(lam: float, n: float, phi: float) -> float:
    """Balanced-growth rate of ideas, ``g* = lambda n / (1 - phi)`` (requires ``phi < 1``)."""
    if phi >= 1.0:
        raise ValidationError(f"phi: {phi} gives no balanced growth path; need phi < 1")
    return lam * n / (1.0 - phi)


def logistic_growth_path(t: np.ndarray, g0: float, lam: float, n: float, phi: float) -> np.ndarray:
    """Closed-form growth rate ``g(t)`` of the Jones model (see module docstring).

    For ``phi = 1`` the logistic degenerates to ``g(t) = g0 exp(lambda n t)`` (Romer with
    growing research labour).
    """
    t = np.asarray(t, dtype=float)
    if phi == 1.0:
        return g0 * np.exp(lam * n * t)
    g_star = bgp_growth(lam, n, phi)
    return g_star / (1.0 + (g_star / g0 - 1.0) * np.exp(-lam * n * t))


def simulate(
    lam: float,
    n: float,
    phi: float,
    *,
    delta: float = DEFAULT_DELTA,
    labour0: float = 1.0,
    a0: float = 1.0,
    t_end: float = 100.0,
    n_points: int = 401,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Integrate ``d ln A/dt = delta L_A(t)^lambda exp((phi - 1) ln A)`` on ``[0, t_end]``.

    Works in ``ln A`` so that ``A`` may range over many orders of magnitude. Returns the time
    grid, ``ln A`` on it and the instantaneous growth rate ``g = d ln A / dt`` evaluated from
    the right-hand side (exact given the state, no finite differences).
    """
    log_l0 = np.log(labour0)

    def rhs(t: float, y: np.ndarray) -> np.ndarray:
        return delta * np.exp(lam * (log_l0 + n * t) + (phi - 1.0) * y)

    t_eval = np.linspace(0.0, t_end, n_points)
    sol = solve_ivp(
        rhs, (0.0, t_end), [np.log(a0)], method="DOP853", t_eval=t_eval, rtol=1e-11, atol=1e-12
    )
    if not sol.success:
        raise FitError(f"Jones ODE failed for (lambda={lam}, n={n}, phi={phi}): {sol.message}")
    log_a = sol.y[0]
    growth = delta * np.exp(lam * (log_l0 + n * t_eval) + (phi - 1.0) * log_a)
    return t_eval, log_a, growth


def jones_case(lam: float, n: float, phi: float, delta: float = DEFAULT_DELTA) -> dict[str, Any]:
    """Run one (lambda, n, phi) case long enough to converge and compare with ``g*``."""
    _check_case(lam, n, phi)
    g_star = bgp_growth(lam, n, phi)
    t_end = CONVERGENCE_SPANS / (lam * n)
    t, _, growth = simulate(lam, n, phi, delta=delta, t_end=t_end)
    closed = logistic_growth_path(t, delta, lam, n, phi)
    g_num = float(growth[-1])
    return {
        "lambda": lam,
        "n": n,
        "phi": phi,
        "years_simulated": float(t_end),
        "initial_growth": float(growth[0]),
        "bgp_growth_numerical": g_num,
        "bgp_growth_analytic": g_star,
        "relative_error": abs(g_num - g_star) / g_star,
        "max_path_error_vs_closed_form": float(np.max(np.abs(growth - closed) / closed)),
    }


def romer(
    delta: float = DEFAULT_DELTA, labour: float = 1.0, n: float = 0.01, t_end: float = 300.0
) -> dict[str, Any]:
    """Romer (1990) as ``phi = lambda = 1``: constant and growing research labour.

    Constant ``L_A``: growth is ``delta L_A`` for ever and doubles when ``L_A`` doubles (scale
    effect). ``L_A`` growing at ``n``: growth is ``delta L_A0 exp(n t)``, rising without bound.
    """
    _, _, g_const = simulate(1.0, 0.0, 1.0, delta=delta, labour0=labour, t_end=t_end, n_points=31)
    _, _, g_double = simulate(
        1.0, 0.0, 1.0, delta=delta, labour0=2 * labour, t_end=t_end, n_points=31
    )
    t, _, g_grow = simulate(1.0, n, 1.0, delta=delta, labour0=labour, t_end=t_end, n_points=7)
    g_grow_exact = logistic_growth_path(t, delta * labour, 1.0, n, 1.0)
    return {
        "delta": delta,
        "labour": labour,
        "n": n,
        "growth_constant_labour": float(g_const[-1]),
        "growth_constant_labour_analytic": delta * labour,
        "scale_effect_ratio": float(g_double[-1] / g_const[-1]),
        "times": [float(x) for x in t],
        "growth_growing_labour": [float(x) for x in g_grow],
        "growth_growing_labour_analytic": [float(x) for x in g_grow_exact],
        "growth_ratio_end_to_start": float(g_grow[-1] / g_grow[0]),
    }


def reproduce(
    cases: Sequence[Sequence[float]] = DEFAULT_CASES,
    delta: float = DEFAULT_DELTA,
    romer_n: float = 0.01,
) -> ClassicResult:
    """Jones (1995) balanced growth for several (lambda, n, phi) and Romer (1990) as phi = 1."""
    if delta <= 0:
        raise ValidationError(f"delta: {delta} must be > 0")
    if romer_n <= 0:
        raise ValidationError(f"romer_n: {romer_n} must be > 0 (growing research labour)")
    if len(cases) == 0:
        raise ValidationError("cases: give at least one (lambda, n, phi) triple")
    rows = []
    for case in cases:
        if len(case) != 3:
            raise ValidationError(f"cases: {case!r} is not a (lambda, n, phi) triple")
        rows.append(jones_case(float(case[0]), float(case[1]), float(case[2]), delta))
    rom = romer(delta=delta, n=romer_n)
    head = rows[0]
    values = {
        "bgp_growth_numerical": head["bgp_growth_numerical"],
        "bgp_growth_analytic": head["bgp_growth_analytic"],
        "relative_error": head["relative_error"],
        "max_relative_error": max(r["relative_error"] for r in rows),
        "all_within_1pct": all(r["relative_error"] < REL_TOL for r in rows),
        "cases": rows,
        "romer": rom,
    }
    published = {
        # Jones (1995) eq. for the BGP: g_A = lambda n / (1 - phi).
        "bgp_growth_numerical": head["bgp_growth_analytic"],
        "bgp_growth_analytic": head["bgp_growth_analytic"],
    }
    return ClassicResult(
        name="jones",
        values=values,
        published=published,
        plot=lambda path: _plot(path, rows, rom, delta),
    )


def _check_case(lam: float, n: float, phi: float) -> None:
    if not 0.0 < lam <= 1.0:
        raise ValidationError(f"lambda: {lam} must be in (0, 1]")
    if n <= 0.0:
        raise ValidationError(f"n: {n} must be > 0 (research labour must grow for a BGP)")
    if phi >= 1.0:
        raise ValidationError(f"phi: {phi} must be < 1 for a Jones case (phi = 1 is Romer)")


def _plot(path: str, rows: list[dict[str, Any]], rom: dict[str, Any], delta: float) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for row in rows:
        lam, n, phi = row["lambda"], row["n"], row["phi"]
        t, _, growth = simulate(lam, n, phi, delta=delta, t_end=row["years_simulated"])
        ax1.plot(
            lam * n * t, growth / row["bgp_growth_analytic"], label=f"λ={lam:g}, n={n:g}, φ={phi:g}"
        )
    ax1.axhline(1.0, color="k", lw=0.8, ls="--")
    ax1.set_xlabel("λ n t (convergence time units)")
    ax1.set_ylabel("g_A / (λn/(1-φ))")
    ax1.set_title("Jones (1995): growth converges to λn/(1-φ)")
    ax1.legend(fontsize=8)
    ax2.semilogy(rom["times"], rom["growth_growing_labour"], "o-", label="L_A growing at n")
    ax2.axhline(rom["growth_constant_labour"], color="C1", label="L_A constant")
    ax2.set_xlabel("years")
    ax2.set_ylabel("g_A = δ L_A")
    ax2.set_title(f"Romer (1990), φ = 1, n = {rom['n']:g}")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
