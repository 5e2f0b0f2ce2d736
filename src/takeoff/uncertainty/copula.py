"""Gaussian copula: base uniforms, rank correlations and their validation.

This module knows nothing about parameter distributions. It produces an
``(n, k)`` array of uniforms on the open interval (0, 1) whose columns have the
requested Spearman rank correlations; :mod:`takeoff.uncertainty.distributions`
pushes each column through a marginal inverse CDF. Because every inverse CDF is
monotone, the marginals preserve ranks, so the rank correlations set here are
the rank correlations of the sampled parameters.

The maths, for a Gaussian copula with Pearson correlation matrix R:

* Draw Z = (Z_1..Z_k) ~ N(0, R) and set U_i = Phi(Z_i), where Phi is the standard
  normal CDF. Then Spearman's rho between U_i and U_j is
  ``rho_s = (6 / pi) * arcsin(R_ij / 2)``, so a target rank correlation rho_s
  needs ``R_ij = 2 * sin(pi * rho_s / 6)`` (:func:`spearman_to_pearson`).
* Z = E @ L.T with E ~ N(0, I) and L L^T = R. L is the Cholesky factor when R is
  positive definite, otherwise V diag(sqrt(lambda)) from the eigen-decomposition
  R = V diag(lambda) V^T (which also covers singular R, e.g. rho_s = 1).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Mapping, Sequence
from typing import Literal

import numpy as np
from numpy.typing import NDArray
from scipy import stats
from scipy.stats import qmc

from takeoff.errors import ValidationError

FloatArray = NDArray[np.float64]
SamplingMethod = Literal["random", "sobol"]

SAMPLING_METHODS: tuple[str, ...] = ("random", "sobol")

# Uniforms are clipped into [2**-54, 1 - 2**-53] so that no inverse CDF is ever
# evaluated at exactly 0 or 1 (which would give +-inf for unbounded families).
# Both ends sit about 8.2 standard deviations out on the normal scale.
_U_MIN = 2.0**-54
_U_MAX = 1.0 - 2.0**-53

# Smallest eigenvalue tolerated before a correlation matrix is called
# indefinite; round-off in 2*sin(pi*rho/6) is ~1e-16, so this only forgives
# numerical noise, not real inconsistency.
_PSD_TOLERANCE = 1e-10


def open_unit(u: FloatArray) -> FloatArray:
    """Clip uniforms into the open interval (0, 1): ``[2**-54, 1 - 2**-53]``."""
    return np.clip(u, _U_MIN, _U_MAX)


def spearman_to_pearson(rho_s: float | FloatArray) -> FloatArray:
    """Gaussian-copula Pearson correlation giving Spearman correlation ``rho_s``.

    ``r = 2 sin(pi rho_s / 6)``; the inverse of ``rho_s = (6/pi) arcsin(r/2)``.
    It maps [-1, 1] onto [-1, 1], fixes -1, 0 and 1, and ``|r| >= |rho_s|``.
    """
    return 2.0 * np.sin(np.pi * np.asarray(rho_s, dtype=float) / 6.0)


def pearson_to_spearman(r: float | FloatArray) -> FloatArray:
    """Spearman correlation of a Gaussian copula with Pearson correlation ``r``.

    ``rho_s = (6/pi) arcsin(r/2)``; the inverse of :func:`spearman_to_pearson`.
    """
    return (6.0 / np.pi) * np.arcsin(np.asarray(r, dtype=float) / 2.0)


def _pair_label(pair: object) -> str:
    if isinstance(pair, tuple) and len(pair) == 2:
        return f"correlations[({pair[0]!r}, {pair[1]!r})]"
    return f"correlations[{pair!r}]"


def _unknown_name_message(label: str, name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"{label}: unknown parameter {name!r}{hint}; known parameters: {', '.join(known)}"


def correlation_matrix(
    names: Sequence[str],
    correlations: Mapping[tuple[str, str], float],
    *,
    fixed: Sequence[str] = (),
) -> FloatArray:
    """Symmetric Spearman matrix for ``names`` from a sparse pair -> rho mapping.

    Pairs not given are uncorrelated; the diagonal is 1. Raises
    :class:`ValidationError` naming the pair for: a key that is not a pair of
    strings, a parameter not in ``names`` (``fixed`` names are point values,
    which have no randomness to correlate), a self-correlation, a value that is
    not a finite number in [-1, 1], or a pair given twice as (a, b) and (b, a).
    Positive semi-definiteness is checked separately, on the Pearson matrix
    (:func:`check_positive_semidefinite`).
    """
    index = {name: i for i, name in enumerate(names)}
    known = sorted([*names, *fixed])
    matrix = np.eye(len(names))
    seen: dict[frozenset[str], tuple[str, str]] = {}
    for pair, value in correlations.items():
        label = _pair_label(pair)
        if not (
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise ValidationError(
                f"{label}: a correlation key must be a pair of parameter names (a, b)"
            )
        a, b = pair
        for name in (a, b):
            if name in fixed:
                raise ValidationError(
                    f"{label}: parameter {name!r} has a point (fixed) value, so it has no "
                    "randomness to correlate; remove the correlation or give it a distribution"
                )
            if name not in index:
                raise ValidationError(_unknown_name_message(label, name, known))
        if a == b:
            raise ValidationError(
                f"{label}: a parameter cannot be correlated with itself (its correlation is 1)"
            )
        key = frozenset(pair)
        if key in seen:
            raise ValidationError(
                f"{label}: the correlation between {a!r} and {b!r} is given twice "
                f"(also as {seen[key]!r}); give each pair once"
            )
        seen[key] = (a, b)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValidationError(
                f"{label}: correlation must be a number in [-1, 1], got {value!r}"
            )
        if not np.isfinite(value) or not -1.0 <= value <= 1.0:
            raise ValidationError(
                f"{label}: Spearman rank correlation must be in [-1, 1], got {value!r}"
            )
        i, j = index[a], index[b]
        matrix[i, j] = matrix[j, i] = float(value)
    return matrix


def check_positive_semidefinite(pearson: FloatArray, names: Sequence[str]) -> None:
    """Raise :class:`ValidationError` unless ``pearson`` is positive semi-definite.

    A correlation matrix must satisfy ``x^T R x >= 0`` for all x, i.e. all its
    eigenvalues must be >= 0 (up to round-off). The message gives the smallest
    eigenvalue and the parameters that carry its eigenvector (components at
    least 10% of the largest), which are the mutually inconsistent ones.
    """
    if pearson.shape[0] == 0:
        return
    eigenvalues, eigenvectors = np.linalg.eigh(pearson)
    smallest = float(eigenvalues[0])
    if smallest >= -_PSD_TOLERANCE:
        return
    weights = np.abs(eigenvectors[:, 0])
    involved = [names[i] for i in np.flatnonzero(weights >= 0.1 * weights.max())]
    raise ValidationError(
        "correlations: the rank correlations are mutually inconsistent: the implied "
        f"Gaussian-copula correlation matrix has smallest eigenvalue {smallest:.3g} < 0 "
        f"(it must be positive semi-definite); the conflict involves {', '.join(involved)}. "
        "Weaken some of the correlations among these parameters."
    )


def copula_factor(pearson: FloatArray) -> FloatArray:
    """A matrix L with ``L @ L.T == pearson`` (pearson must be PSD).

    Cholesky when ``pearson`` is positive definite; otherwise
    ``V diag(sqrt(max(lambda, 0)))`` from ``pearson = V diag(lambda) V^T``,
    which handles singular matrices such as perfectly correlated pairs.
    """
    try:
        return np.linalg.cholesky(pearson)
    except np.linalg.LinAlgError:
        eigenvalues, eigenvectors = np.linalg.eigh(pearson)
        return eigenvectors * np.sqrt(np.clip(eigenvalues, 0.0, None))


def name_stream_key(name: str) -> int:
    """A stable 64-bit integer for a parameter name (unlike ``hash``, not salted)."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "little")


def base_uniforms(
    names: Sequence[str], n: int, seed: int, method: SamplingMethod = "random"
) -> FloatArray:
    """Independent uniforms on (0, 1), one column per name, shape ``(n, len(names))``.

    ``"random"``: column j comes from its own generator,
    ``default_rng(SeedSequence(seed, spawn_key=(key(name_j),)))``, so a
    parameter's draws depend only on the seed and its name: adding, removing or
    reordering other parameters leaves them unchanged (common random numbers
    across scenarios). ``"sobol"``: a scrambled Sobol' sequence seeded with
    ``seed``, dimension j = names[j] (callers pass names sorted); n should be a
    power of 2 for the sequence's balance properties (scipy warns otherwise).
    """
    k = len(names)
    if method == "sobol":
        if k == 0:
            return np.empty((n, 0))
        return open_unit(qmc.Sobol(d=k, scramble=True, seed=seed).random(n))
    columns = [
        np.random.default_rng(
            np.random.SeedSequence(seed, spawn_key=(name_stream_key(nm),))
        ).random(n)
        for nm in names
    ]
    return open_unit(np.column_stack(columns)) if columns else np.empty((n, 0))


def apply_copula(uniforms: FloatArray, factor: FloatArray) -> FloatArray:
    """Correlate independent uniforms: ``Phi(Phi^{-1}(U) @ L.T)``, clipped into (0, 1)."""
    normals = stats.norm.ppf(uniforms) @ factor.T
    return open_unit(stats.norm.cdf(normals))


def correlated_uniforms(
    names: Sequence[str],
    n: int,
    seed: int,
    correlations: Mapping[tuple[str, str], float] | None = None,
    *,
    fixed: Sequence[str] = (),
    method: SamplingMethod = "random",
) -> FloatArray:
    """Uniforms for ``names`` (in the given order) with Spearman ``correlations``.

    Validates the correlations (:func:`correlation_matrix`), converts them to the
    Gaussian-copula Pearson matrix, checks it is PSD and applies it. With no
    non-zero correlation the base uniforms are returned unchanged.
    """
    spearman = correlation_matrix(names, correlations or {}, fixed=fixed)
    pearson = spearman_to_pearson(spearman)
    np.fill_diagonal(pearson, 1.0)
    check_positive_semidefinite(pearson, names)
    uniforms = base_uniforms(names, n, seed, method)
    if np.array_equal(spearman, np.eye(len(names))):
        return uniforms
    return apply_copula(uniforms, copula_factor(pearson))
