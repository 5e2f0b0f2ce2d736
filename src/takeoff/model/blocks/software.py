"""Block 2 — software: algorithmic efficiency from semi-endogenous research.

Research input (normalised to 1 in 2026):

    R = [w (L_c / L_c0)^rho_r + (1 - w) (C_x / C_x0)^rho_r]^(1/rho_r)

with L_c cognitive research labour (humans plus AI researchers) and C_x experiment
compute. Progress:

    dln S/dt = g_S0 R^lambda S^(-beta) D_S,    beta = lambda / r

so the 2026 rate equals the observed algorithmic progress. rho_r << 0 makes research
compute-bound; rho_r near 0 or above lets AI labour alone accelerate progress
(a software-only intelligence explosion needs r * w_eff > 1).
"""

from __future__ import annotations

import numpy as np

from takeoff.model.blocks.numerics import HALF, ONE, quiet


def ces_pair(
    weight: np.ndarray,
    first: np.ndarray,
    second: np.ndarray,
    rho: np.ndarray,
    *,
    log_weights: tuple[np.ndarray, np.ndarray] | None = None,
    xp=np,
) -> np.ndarray:
    """Two-input CES [w a^rho + (1-w) b^rho]^(1/rho) for normalised inputs a, b >= 0.

    Evaluated in logs with x = ln a, y = ln b,

        ln R = (1/rho) logaddexp(ln w + rho x, ln(1-w) + rho y),

    so neither a power nor the sum can overflow or underflow to 0 and then be raised
    to 1/rho < 0 (which gave inf, and NaN after a product with 0, for rho near -20).
    Where |rho x| and |rho y| are below 1/2 the same quantity is taken as

        ln R = (1/rho) log1p(w expm1(rho x) + (1-w) expm1(rho y)),

    which keeps its digits near Cobb-Douglas (rho -> 0, where the first form divides
    a difference of O(1) numbers by rho). An input of 0 gives R = 0 for rho < 0 and
    the other term alone for rho > 0. Callers keep |rho| >= 1e-6 (see
    :func:`safe_rho`), within ~1e-6 relative of the Cobb-Douglas limit a^w b^(1-w).
    ``log_weights`` is (ln w, ln(1 - w)) = (log(w), log1p(-w)) where the caller keeps
    them: the weight is fixed during a run, and the far form needs no logs of its own.
    """
    with quiet():
        return xp.exp(
            log_ces_pair(weight, xp.log(first), xp.log(second), rho, log_weights=log_weights, xp=xp)
        )


def ces_stacked(
    weight: np.ndarray, inputs: np.ndarray, rho: np.ndarray, log_weights: np.ndarray, *, xp=np
) -> np.ndarray:
    """:func:`ces_pair` of inputs (a, b) stacked as a (2, ...) array, with (ln w, ln(1 - w))
    stacked likewise (:func:`log_ces_stacked`; same numbers)."""
    with quiet():
        return xp.exp(log_ces_stacked(weight, xp.log(inputs), rho, log_weights, xp=xp))


def log_ces_pair(
    weight: np.ndarray,
    log_first: np.ndarray,
    log_second: np.ndarray,
    rho: np.ndarray,
    *,
    log_weights: tuple[np.ndarray, np.ndarray] | None = None,
    xp=np,
) -> np.ndarray:
    """ln of :func:`ces_pair` from ln a and ln b (same forms, same numbers)."""
    if log_weights is None:
        log_weights = (xp.log(weight), xp.log1p(-weight))
    # One shape for all, so that the stacked pairs line up sample by sample.
    weight, rho, *arrays = xp.broadcast_arrays(weight, rho, *log_weights, log_first, log_second)
    return log_ces_stacked(weight, xp.stack(arrays[2:]), rho, xp.stack(arrays[:2]), xp=xp)


def log_ces_stacked(
    weight: np.ndarray, logs: np.ndarray, rho: np.ndarray, log_weights: np.ndarray, *, xp=np
) -> np.ndarray:
    """:func:`log_ces_pair` from (ln a, ln b) and (ln w, ln(1 - w)) stacked as (2, ...) arrays.

    Each operation of the forms then acts on both inputs in one call (the step keeps
    its logs stacked); the numbers are :func:`log_ces_pair`'s.
    """
    scaled = rho * logs
    small = xp.abs(scaled) < HALF
    near_one = small[0] & small[1]
    if xp is not np:  # JAX traces both forms
        log_r = xp.where(
            near_one, _ces_near_one(weight, scaled, xp), _ces_far(log_weights, scaled, xp)
        )
    else:  # each form only where it is used: both are transcendental functions per sample
        log_r = _ces_by_form(weight, log_weights, scaled, near_one)
    return log_r / rho


def _ces_by_form(weight, log_weights, scaled, near_one):
    """rho ln R in NumPy, each form evaluated only on the samples that take it."""
    near = np.count_nonzero(near_one)
    if near == near_one.size:
        return _ces_near_one(weight, scaled, np)
    if near == 0:
        return _ces_far(log_weights, scaled, np)
    shape = near_one.shape
    # Flat indices and take: a boolean mask costs a count of its own at every use.
    near_at = near_one.reshape(-1).nonzero()[0]
    far_at = (~near_one).reshape(-1).nonzero()[0]
    weight = (weight if weight.shape == shape else np.broadcast_to(weight, shape)).reshape(-1)
    log_weights, scaled = (
        (x if x.shape[1:] == shape else np.broadcast_to(x, (2, *shape))).reshape(2, -1)
        for x in (log_weights, scaled)
    )
    log_r = np.empty(near_one.size)
    log_r[near_at] = _ces_near_one(weight.take(near_at), scaled.take(near_at, axis=1), np)
    log_r[far_at] = _ces_far(log_weights.take(far_at, axis=1), scaled.take(far_at, axis=1), np)
    return log_r.reshape(shape)


def _ces_near_one(weight, scaled, xp):
    """rho ln R = log1p(w expm1(rho x) + (1-w) expm1(rho y)), for |rho x|, |rho y| < 1/2."""
    change = xp.expm1(scaled)
    return xp.log1p(weight * change[0] + (ONE - weight) * change[1])


def _ces_far(log_weights, scaled, xp):
    """rho ln R = logaddexp(ln w + rho x, ln(1-w) + rho y), from (ln w, ln(1-w))."""
    terms = log_weights + scaled
    return xp.logaddexp(terms[0], terms[1])


def safe_rho(rho: np.ndarray) -> np.ndarray:
    """Move rho off zero by 1e-6 so the CES formula has no 0/0 (Cobb-Douglas limit)."""
    return np.where(np.abs(rho) < 1e-6, -1e-6, rho)


def software_growth_rate(
    research_input: np.ndarray,
    log_software: np.ndarray,
    growth_2026: np.ndarray,
    parallelism: np.ndarray,
    neg_beta: np.ndarray,
    damping: np.ndarray,
    *,
    xp=np,
) -> np.ndarray:
    """dln S/dt = g_S0 R^lambda exp(-beta ln S) D_S  (S = 1 in 2026); ``neg_beta`` is -beta."""
    return growth_2026 * research_input**parallelism * xp.exp(neg_beta * log_software) * damping
