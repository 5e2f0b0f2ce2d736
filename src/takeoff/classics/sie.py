"""Davidson & Houlden (Forethought, 2025): how quick and big would a software intelligence explosion be?

Law of motion (their "Model dynamics"): software ``S`` with fixed experiment compute ``C``,

    dS/dt = a R^lambda S^(1-beta),   R = (bL)^alpha (cC)^(1-alpha),   L = dS,

so ``g_S = const * S^(lambda alpha - beta)``, and each doubling of ``S`` changes the doubling
time by the factor ``2^(beta - lambda alpha) = 2^(p (1/r - 1))`` with ``p = lambda alpha``
(diminishing returns to parallel labour) and ``r = lambda alpha / beta`` (returns to software
R&D). Progress accelerates iff ``r > 1``. Near the "effective limits" of software ``r`` falls
by ``r0 / D`` per doubling, where ``D`` is the number of doublings to the ceiling, reaching 0
there. Their pseudocode, which we implement vectorised over samples:

    T_0 = (recent doubling time) / f,    T_{i} = T_{i-1} * 2^(p (1/r_i - 1)),   r_i = r0 (1 - i/D),

stopping at the ceiling (``i >= D``) or once 48 months have elapsed. Software doubled every
3 months recently and was half of AI progress, so one year of (recent-rate) AI progress is
``4 / 0.5 = 8`` software doublings and a ceiling ``Y`` years away is ``D = 8 Y`` doublings.

Monte Carlo (their "Summary of parameter assumptions"): initial speed-up ``f`` log-uniform on
[2, 32], ``r0`` log-uniform on [0.4, 3.6], ``Y`` uniform on [6, 16] years, ``p`` log-uniform on
[0.15, 0.6]. "X years of progress compressed into <= P months" means some window of
``floor(8 X)`` consecutive doublings that took less than ``P`` months (their code's test).
Published (their Results table, to the percent): >=3 years in <=1 year 57%, >=10 years in
<=1 year 18%, >=3 years in <=4 months 41%, >=10 years in <=4 months 12%.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from takeoff.classics import ClassicResult
from takeoff.errors import ValidationError

DEFAULT_SEED = 20250718
DEFAULT_N = 20_000
RECENT_DOUBLING_MONTHS = 3.0
SOFTWARE_SHARE = 0.5
DOUBLINGS_PER_YEAR = 4.0 / SOFTWARE_SHARE  # software doublings in one year of overall progress
MAX_MONTHS = 48.0
#: Parameter ranges (lower, upper) from Davidson & Houlden (2025), "Summary of parameter
#: assumptions"; "log" marks log-uniform, "lin" uniform.
PRIORS: dict[str, tuple[float, float, str]] = {
    "speedup": (2.0, 32.0, "log"),
    "r0": (0.4, 3.6, "log"),
    "limit_years": (6.0, 16.0, "lin"),
    "p": (0.15, 0.6, "log"),
}
#: (key, years of progress, window in months, speed-up used by their code, published share).
#: Their 4-month rows test 10x and 30x speed-ups, i.e. 3.33 and 10 years in 4 months.
CONDITIONS: tuple[tuple[str, float, float, float], ...] = (
    ("p_3y_in_12m", 12.0, 3.0, 0.57),
    ("p_3y_in_4m", 4.0, 10.0, 0.41),
    ("p_10y_in_12m", 12.0, 10.0, 0.18),
    ("p_10y_in_4m", 4.0, 30.0, 0.12),
)
#: Our tolerance against the published shares: 3 standard errors of the difference between two
#: Monte Carlo estimates (ours with DEFAULT_N, theirs assumed >= 5,000 draws) plus 0.5 pp for
#: their rounding to whole percent.
THEIR_MIN_N = 5_000
_LOG2_CAP = 60.0  # doubling times above 2^60 months are "never" for a 48-month window


def sample_parameters(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    """Independent draws of the four parameters from :data:`PRIORS`."""
    out = {}
    for name, (lo, hi, kind) in PRIORS.items():
        if kind == "log":
            out[name] = np.exp(rng.uniform(np.log(lo), np.log(hi), n))
        else:
            out[name] = rng.uniform(lo, hi, n)
    return out


def doubling_log2_times(
    speedup: np.ndarray,
    r0: np.ndarray,
    limit_years: np.ndarray,
    p: np.ndarray,
    *,
    retraining: bool = False,
    constant_r: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """``log2`` of the duration (months) of each software doubling, shape ``(n, M)``.

    ``log2 T_i = log2(3/f) + sum_{j=1..i} e_j`` with ``e_j = p (1/r_j - 1)``, ``r_j = r0 (1 - j/D)``;
    the retraining variant uses ``e/(1 + |e|)``. Also returns ``D = 8 Y`` (doublings to the
    ceiling). Entries with ``r_j <= 0`` (at or past the ceiling) are ``+inf``.
    """
    ceiling = DOUBLINGS_PER_YEAR * limit_years
    m = int(np.ceil(ceiling.max())) + 1
    j = np.arange(1, m)[None, :]
    r = (
        r0[:, None] * (1.0 - j / ceiling[:, None])
        if not constant_r
        else np.repeat(r0[:, None], m - 1, axis=1)
    )
    with np.errstate(divide="ignore"):
        expo = np.where(r > 0, p[:, None] * (1.0 / np.where(r > 0, r, 1.0) - 1.0), np.inf)
    if retraining:
        finite = np.isfinite(expo)
        safe = np.where(finite, expo, 0.0)
        expo = np.where(finite, safe / (1.0 + np.abs(safe)), np.inf)
    start = np.log2(RECENT_DOUBLING_MONTHS / speedup)[:, None]
    log2_dt = np.concatenate([start, start + np.cumsum(expo, axis=1)], axis=1)
    return np.minimum(log2_dt, _LOG2_CAP), ceiling


def trajectory_times(
    log2_dt: np.ndarray, ceiling: np.ndarray, max_months: float = MAX_MONTHS
) -> np.ndarray:
    """Elapsed months after each doubling, ``(n, M+1)``, ``+inf`` after the run stops.

    The run performs doubling ``i`` only while ``t_i < max_months`` and ``i < D``, exactly as
    the paper's loop; so doublings ``0..n_stop-1`` happen with
    ``n_stop = min{i : t_i >= max_months or i >= D}``.
    """
    dt = np.exp2(log2_dt)
    times = np.concatenate([np.zeros((dt.shape[0], 1)), np.cumsum(dt, axis=1)], axis=1)
    idx = np.arange(times.shape[1])[None, :]
    stop = (times >= max_months) | (idx >= ceiling[:, None])
    n_stop = np.where(stop.any(axis=1), np.argmax(stop, axis=1), times.shape[1] - 1)
    return np.where(idx <= n_stop[:, None], times, np.inf)


def compressed(times: np.ndarray, doublings: int, window_months: float) -> np.ndarray:
    """Whether some run of ``doublings`` consecutive doublings took < ``window_months``."""
    if doublings <= 0:
        return np.ones(times.shape[0], dtype=bool)
    if doublings >= times.shape[1]:
        return np.zeros(times.shape[0], dtype=bool)
    with np.errstate(invalid="ignore"):
        spans = times[:, doublings:] - times[:, :-doublings]
        return (spans < window_months).any(axis=1)


def required_doublings(window_months: float, speed: float) -> int:
    """``floor(window/12 * 8 * speed)``: doublings equal to ``speed`` x the window at recent rates.

    A relative epsilon keeps exact products (e.g. 4/12 * 8 * 30 = 80) from flooring to 79.
    """
    return int(np.floor(window_months / 12.0 * DOUBLINGS_PER_YEAR * speed * (1 + 1e-12)))


def compression_curve(
    times: np.ndarray, years: np.ndarray, window_months: float = 12.0
) -> np.ndarray:
    """P(>= X years of progress in a window) with their linear interpolation between doublings."""
    out = np.empty(len(years))
    for k, x in enumerate(years):
        need = x * DOUBLINGS_PER_YEAR
        lo, hi = int(np.floor(need)), int(np.ceil(need))
        p_lo = compressed(times, lo, window_months).mean()
        p_hi = compressed(times, hi, window_months).mean() if hi != lo else p_lo
        out[k] = (1 - (need - lo)) * p_lo + (need - lo) * p_hi
    return out


def simulate(
    n: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    *,
    retraining: bool = False,
    constant_r: bool = False,
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Draw ``n`` parameter sets and return them with their trajectories' doubling times."""
    rng = np.random.default_rng(seed)
    params = sample_parameters(rng, n)
    log2_dt, ceiling = doubling_log2_times(
        params["speedup"],
        params["r0"],
        params["limit_years"],
        params["p"],
        retraining=retraining,
        constant_r=constant_r,
    )
    return params, trajectory_times(log2_dt, ceiling)


def reproduce(
    n_samples: int = DEFAULT_N,
    seed: int = DEFAULT_SEED,
    retraining: bool = False,
) -> ClassicResult:
    """Monte Carlo of the Davidson & Houlden model; shares of runs compressing progress."""
    if not isinstance(n_samples, int | np.integer) or n_samples < 100:
        raise ValidationError(f"n_samples: {n_samples!r} must be an integer >= 100")
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise ValidationError(f"seed: {seed!r} must be a non-negative integer")
    params, times = simulate(int(n_samples), int(seed), retraining=retraining)
    values: dict[str, Any] = {}
    published: dict[str, Any] = {}
    errors: dict[str, float] = {}
    tolerance: dict[str, float] = {}
    for key, window, speed, pub in CONDITIONS:
        share = float(compressed(times, required_doublings(window, speed), window).mean())
        values[key] = share
        published[key] = pub
        errors[key] = float(np.sqrt(share * (1 - share) / n_samples))
        tolerance[key] = _tolerance(share, n_samples)
    years = np.arange(1.0, 21.0)
    curve = compression_curve(times, years)
    accelerating = params["r0"] > 1.0
    values.update(
        {
            "mc_standard_error": errors,
            "tolerance_vs_published": tolerance,
            "within_tolerance": {
                k: abs(values[k] - published[k]) <= tolerance[k] for k, *_ in CONDITIONS
            },
            "n_samples": int(n_samples),
            "seed": int(seed),
            "retraining_variant": bool(retraining),
            "p_accelerating_initially": float(accelerating.mean()),
            "compression_curve_12m": {
                "years": years.tolist(),
                "probability": [float(x) for x in curve],
            },
            "median_doublings_before_stop": float(np.median(np.isfinite(times).sum(axis=1) - 1)),
        }
    )
    published["p_accelerating_initially"] = 0.6
    return ClassicResult(
        name="sie",
        values=values,
        published=published,
        plot=lambda path: _plot(path, years, curve, published),
    )


def _tolerance(share: float, n: int) -> float:
    """3 sigma of (ours - theirs) for two independent MC shares, plus 0.5 pp rounding."""
    var = share * (1 - share) * (1.0 / n + 1.0 / THEIR_MIN_N)
    return float(3.0 * np.sqrt(var) + 0.005)


def single_path(
    speedup: float, r0: float, limit_years: float, p: float, retraining: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """One trajectory: months elapsed and years of (recent-rate) AI progress made so far."""
    log2_dt, ceiling = doubling_log2_times(
        np.array([speedup]),
        np.array([r0]),
        np.array([limit_years]),
        np.array([p]),
        retraining=retraining,
    )
    times = trajectory_times(log2_dt, ceiling)[0]
    times = times[np.isfinite(times)]
    return times, np.arange(len(times)) / DOUBLINGS_PER_YEAR


def _plot(path: str, years: np.ndarray, curve: np.ndarray, published: dict[str, Any]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.plot(years, curve, "o-", label="ours")
    ax1.plot(
        [3, 10],
        [published["p_3y_in_12m"], published["p_10y_in_12m"]],
        "s",
        color="C3",
        label="Davidson & Houlden (2025)",
    )
    ax1.set_xlabel("years of AI progress (recent rates) compressed into one year")
    ax1.set_ylabel("probability")
    ax1.set_title("Software intelligence explosion: size")
    ax1.legend()
    for f in (2.0, 8.0, 32.0):
        t, prog = single_path(f, 1.2, 11.0, 0.3)
        ax2.plot(t / 12.0, prog, label=f"initial speed-up {f:g}x")
    ax2.plot([0, 4], [0, 4], "k:", label="recent pace")
    ax2.set_xlim(0, 4)
    ax2.set_xlabel("years after ASARA")
    ax2.set_ylabel("years of progress at recent rates")
    ax2.set_title("Median r=1.2, ceiling 11 years, p=0.3")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
