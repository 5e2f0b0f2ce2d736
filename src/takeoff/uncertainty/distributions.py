"""Parameter distributions: parsing from TOML dicts, truncation and joint sampling.

A distribution spec is a plain mapping (one TOML inline table) with a ``dist``
key naming the family, the family's parameters, and optionally the metadata
keys ``source``, ``unit`` and ``note``, which are kept verbatim in
``Distribution.metadata`` and never interpreted. A bare number is a point value.

Every distribution is a frozen dataclass exposing the inverse CDF ``ppf``
(vectorised), ``cdf``, ``median`` and ``sample``. Sampling is always inverse-CDF
sampling, ``X = F^{-1}(U)``, so the same uniforms drive independent sampling,
the Gaussian copula (:mod:`takeoff.uncertainty.copula`) and truncation.

See docs/uncertainty.md for the forms, the maths and the validation rules.
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import stats

from takeoff.errors import ValidationError
from takeoff.uncertainty.copula import (
    SAMPLING_METHODS,
    FloatArray,
    SamplingMethod,
    correlated_uniforms,
    open_unit,
)

METADATA_KEYS: frozenset[str] = frozenset({"source", "unit", "note"})

# Standard normal 95th percentile: a split normal's half-scale is
# (p95 - p50) / Z95 (upper) or (p50 - p5) / Z95 (lower).
Z95: float = float(stats.norm.ppf(0.95))

# A truncated distribution with less than this much of its probability inside
# the allowed range is almost surely a units or typing mistake.
DEFAULT_MIN_MASS = 1e-3

# |ln x| bound (~708.8) keeping exp(mu) a normal float, with a margin of 1.
_MAX_LOG = math.log(np.finfo(float).max) - 1.0


# --------------------------------------------------------------------------- families


@dataclasses.dataclass(frozen=True)
class Distribution(ABC):
    """A univariate distribution defined by its inverse CDF.

    ``metadata`` holds the spec's ``source``/``unit``/``note`` keys untouched; it
    takes no part in equality or hashing.
    """

    metadata: Mapping[str, Any] = dataclasses.field(
        default_factory=dict, compare=False, repr=False, kw_only=True
    )

    @abstractmethod
    def ppf(self, u: ArrayLike) -> FloatArray:
        """Inverse CDF: the x with F(x) = u, elementwise for u in [0, 1]."""

    @abstractmethod
    def cdf(self, x: ArrayLike) -> FloatArray:
        """CDF: F(x) = P(X <= x), elementwise."""

    def median(self) -> float:
        """The 50th percentile, F^{-1}(0.5)."""
        return float(self.ppf(0.5))

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        """n independent draws ``F^{-1}(U)`` with U uniform on (0, 1) from ``rng``."""
        return self.ppf(open_unit(rng.random(n)))

    @property
    def is_point(self) -> bool:
        """True for a fixed value, which consumes no randomness."""
        return False


@dataclasses.dataclass(frozen=True)
class Point(Distribution):
    """A fixed value: F^{-1}(u) = value for every u."""

    value: float

    def ppf(self, u: ArrayLike) -> FloatArray:
        return np.full(np.shape(u), self.value, dtype=float)

    def cdf(self, x: ArrayLike) -> FloatArray:
        return np.where(np.asarray(x, dtype=float) >= self.value, 1.0, 0.0)

    def median(self) -> float:
        return self.value

    def sample(self, rng: np.random.Generator, n: int) -> FloatArray:
        # Deliberately draws nothing from rng, so fixing a parameter does not
        # shift the random streams of the others.
        return np.full(n, self.value, dtype=float)

    @property
    def is_point(self) -> bool:
        return True


class _ScipyDistribution(Distribution):
    """A family whose ppf/cdf are those of a scipy.stats frozen distribution."""

    @abstractmethod
    def to_scipy(self) -> Any:
        """The equivalent ``scipy.stats`` frozen distribution."""

    def ppf(self, u: ArrayLike) -> FloatArray:
        return np.asarray(self.to_scipy().ppf(u), dtype=float)

    def cdf(self, x: ArrayLike) -> FloatArray:
        return np.asarray(self.to_scipy().cdf(x), dtype=float)


@dataclasses.dataclass(frozen=True)
class Normal(_ScipyDistribution):
    """Normal(mean, sd): F^{-1}(u) = mean + sd * Phi^{-1}(u)."""

    mean: float
    sd: float

    def to_scipy(self) -> Any:
        return stats.norm(loc=self.mean, scale=self.sd)

    def median(self) -> float:
        return self.mean


@dataclasses.dataclass(frozen=True)
class Lognormal(_ScipyDistribution):
    """ln X ~ Normal(mu, sigma) in natural-log units: F^{-1}(u) = exp(mu + sigma Phi^{-1}(u)).

    The TOML form ``median``/``sd_log10`` maps to ``mu = ln(median)``,
    ``sigma = sd_log10 * ln(10)``.
    """

    mu: float
    sigma: float

    def to_scipy(self) -> Any:
        return stats.lognorm(s=self.sigma, scale=math.exp(self.mu))

    def median(self) -> float:
        return math.exp(self.mu)


@dataclasses.dataclass(frozen=True)
class Uniform(_ScipyDistribution):
    """Uniform on [low, high]: F^{-1}(u) = low + u (high - low)."""

    low: float
    high: float

    def to_scipy(self) -> Any:
        return stats.uniform(loc=self.low, scale=self.high - self.low)


@dataclasses.dataclass(frozen=True)
class LogUniform(_ScipyDistribution):
    """log X uniform on [log low, log high]: F^{-1}(u) = low (high/low)^u, 0 < low < high."""

    low: float
    high: float

    def to_scipy(self) -> Any:
        return stats.loguniform(self.low, self.high)

    def median(self) -> float:
        return math.sqrt(self.low) * math.sqrt(self.high)


@dataclasses.dataclass(frozen=True)
class Beta(_ScipyDistribution):
    """low + (high - low) * Beta(a, b); density on [low, high] proportional to t^(a-1) (1-t)^(b-1)."""

    a: float
    b: float
    low: float = 0.0
    high: float = 1.0

    def to_scipy(self) -> Any:
        return stats.beta(self.a, self.b, loc=self.low, scale=self.high - self.low)


@dataclasses.dataclass(frozen=True)
class SplitNormal(Distribution):
    """Two-piece normal fitted exactly to three percentiles (p5 < p50 < p95).

    In the working space y (y = x, or y = log10 x when ``log``) the quantile
    function is ``Q(u) = p50 + s(u) * Phi^{-1}(u)`` with ``s = s_lo`` for
    u < 1/2 and ``s = s_hi`` for u >= 1/2, where ``s_lo = (p50 - p5) / z95`` and
    ``s_hi = (p95 - p50) / z95``, z95 = Phi^{-1}(0.95). Each side of the median
    is half of a normal with its own scale and carries probability 1/2, so
    Q(0.05) = p5, Q(0.5) = p50 and Q(0.95) = p95 exactly and
    ``F(y) = Phi((y - p50) / s(y))``. The density jumps at the median unless the
    percentiles are symmetric, in which case this is Normal (or, with ``log``,
    Lognormal) exactly. Percentiles are stored in x units.
    """

    p5: float
    p50: float
    p95: float
    log: bool = False

    def _space(self, x: ArrayLike) -> FloatArray:
        return np.log10(x) if self.log else np.asarray(x, dtype=float)

    def _scales(self) -> tuple[float, float, float]:
        lo, mid, hi = (float(v) for v in self._space([self.p5, self.p50, self.p95]))
        return mid, (mid - lo) / Z95, (hi - mid) / Z95

    def ppf(self, u: ArrayLike) -> FloatArray:
        mid, s_lo, s_hi = self._scales()
        z = stats.norm.ppf(u)
        y = mid + np.where(z < 0.0, s_lo, s_hi) * z
        return np.power(10.0, y) if self.log else y

    def cdf(self, x: ArrayLike) -> FloatArray:
        mid, s_lo, s_hi = self._scales()
        x = np.asarray(x, dtype=float)
        if self.log:
            # Non-positive x lies below the support; log10 gives -inf (or nan), silenced.
            with np.errstate(divide="ignore", invalid="ignore"):
                y = np.where(x > 0.0, np.log10(np.where(x > 0.0, x, 1.0)), -np.inf)
        else:
            y = x
        return np.asarray(stats.norm.cdf((y - mid) / np.where(y < mid, s_lo, s_hi)))

    def median(self) -> float:
        return self.p50


@dataclasses.dataclass(frozen=True)
class Truncated(Distribution):
    """``base`` conditioned on [lo, hi]; build with :func:`truncate`.

    ``F_T^{-1}(u) = F^{-1}(F(lo) + u (F(hi) - F(lo)))``: uniforms are mapped into
    the base's CDF range over [lo, hi], so any uniform (including copula output)
    stays valid and ranks are preserved. Results are clipped to [lo, hi] against
    round-off.
    """

    base: Distribution
    lo: float
    hi: float
    cdf_lo: float
    cdf_hi: float

    def ppf(self, u: ArrayLike) -> FloatArray:
        q = self.cdf_lo + np.asarray(u, dtype=float) * (self.cdf_hi - self.cdf_lo)
        return np.clip(self.base.ppf(q), self.lo, self.hi)

    def cdf(self, x: ArrayLike) -> FloatArray:
        mass = self.cdf_hi - self.cdf_lo
        return np.clip((self.base.cdf(x) - self.cdf_lo) / mass, 0.0, 1.0)


def truncate(
    dist: Distribution,
    lo: float,
    hi: float,
    *,
    field: str,
    min_mass: float = DEFAULT_MIN_MASS,
) -> Distribution:
    """Restrict ``dist`` to the allowed range [lo, hi] (either end may be infinite).

    Returns ``dist`` itself when its support already lies inside [lo, hi]
    (``F^{-1}(0) >= lo`` and ``F^{-1}(1) <= hi``); otherwise a :class:`Truncated`.
    Raises :class:`ValidationError` naming ``field`` if the range is invalid, a
    point value lies outside it, or less than ``min_mass`` of the probability
    lies inside it (usually a units mistake).
    """
    for name, value in (("lower bound", lo), ("upper bound", hi)):
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            raise ValidationError(
                f"{field}: {name} of the allowed range must be a number, got {value!r}"
            )
    if not lo < hi:
        raise ValidationError(f"{field}: allowed range needs lower < upper, got [{lo!r}, {hi!r}]")
    if dist.is_point:
        value = dist.median()
        if not lo <= value <= hi:
            raise ValidationError(
                f"{field}: value {value!r} is outside the allowed range [{lo:g}, {hi:g}]"
            )
        return dist
    if float(dist.ppf(0.0)) >= lo and float(dist.ppf(1.0)) <= hi:
        return dist
    cdf_lo = float(dist.cdf(lo)) if math.isfinite(lo) else 0.0
    cdf_hi = float(dist.cdf(hi)) if math.isfinite(hi) else 1.0
    mass = cdf_hi - cdf_lo
    if not mass >= min_mass:
        raise ValidationError(
            f"{field}: only {mass:.3g} of the distribution's probability lies inside the "
            f"allowed range [{lo:g}, {hi:g}] (at least {min_mass:g} is required); its median "
            f"is {dist.median():.4g}. Move the distribution into the range or check the units."
        )
    return Truncated(dist, float(lo), float(hi), cdf_lo, cdf_hi, metadata=dist.metadata)


# --------------------------------------------------------------------------- parsing


def _fail(field: str, dist: str, message: str) -> ValidationError:
    return ValidationError(f"{field}: {dist} distribution: {message}")


def _check_keys(
    params: Mapping[str, Any],
    field: str,
    dist: str,
    required: tuple[str, ...],
    optional: tuple[str, ...] = (),
) -> None:
    """Reject unknown keys and missing required keys, listing what is allowed."""
    allowed = (*required, *optional)
    described = ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")
    for key in params:
        if key not in allowed:
            close = difflib.get_close_matches(key, allowed, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise _fail(
                field,
                dist,
                f"unknown key {key!r}{hint}; allowed keys: {described}, plus metadata "
                f"{', '.join(sorted(METADATA_KEYS))}",
            )
    missing = [key for key in required if key not in params]
    if missing:
        raise _fail(
            field, dist, f"missing key {', '.join(map(repr, missing))}; required keys: {described}"
        )


def _number(params: Mapping[str, Any], key: str, field: str, dist: str) -> float:
    """The finite float at ``params[key]``; bools, strings, NaN and inf are rejected."""
    value = params[key]
    try:
        number = float(value) if not isinstance(value, bool | str) else math.nan
    except (TypeError, ValueError, OverflowError):
        number = math.nan
    if not math.isfinite(number):
        raise _fail(field, dist, f"{key!r} must be a finite number, got {value!r}")
    return number


def _positive(params: Mapping[str, Any], key: str, field: str, dist: str) -> float:
    value = _number(params, key, field, dist)
    if value <= 0.0:
        raise _fail(field, dist, f"{key!r} must be > 0, got {value!r}")
    return value


def _ordered(low: float, high: float, field: str, dist: str) -> None:
    if not low < high:
        raise _fail(field, dist, f"'low' must be < 'high', got low={low!r}, high={high!r}")


def _parse_point(p: Mapping[str, Any], field: str) -> Distribution:
    _check_keys(p, field, "point", ("value",))
    return Point(_number(p, "value", field, "point"))


def _parse_normal(p: Mapping[str, Any], field: str) -> Distribution:
    _check_keys(p, field, "normal", ("mean", "sd"))
    return Normal(_number(p, "mean", field, "normal"), _positive(p, "sd", field, "normal"))


def _parse_lognormal(p: Mapping[str, Any], field: str) -> Distribution:
    d = "lognormal"
    _check_keys(p, field, d, (), ("median", "mu", "sd_log10", "sigma"))
    # Exactly one location key and one scale key, so the spec is unambiguous.
    for pair in (("median", "mu"), ("sd_log10", "sigma")):
        given = [k for k in pair if k in p]
        if len(given) != 1:
            raise _fail(
                field,
                d,
                f"give exactly one of {pair[0]!r} or {pair[1]!r}, got "
                f"{', '.join(map(repr, given)) or 'neither'}; use median + sd_log10 (log10 units) "
                "or mu + sigma (natural-log units)",
            )
    mu = math.log(_positive(p, "median", field, d)) if "median" in p else _number(p, "mu", field, d)
    if abs(mu) > _MAX_LOG:
        # exp(mu) would overflow or underflow a float, so the median is not representable.
        raise _fail(
            field, d, f"'mu' must be within +-{_MAX_LOG:.0f} (exp(mu) is the median), got {mu!r}"
        )
    sigma = (
        _positive(p, "sd_log10", field, d) * math.log(10.0)
        if "sd_log10" in p
        else _positive(p, "sigma", field, d)
    )
    return Lognormal(mu, sigma)


def _parse_uniform(p: Mapping[str, Any], field: str) -> Distribution:
    _check_keys(p, field, "uniform", ("low", "high"))
    low, high = _number(p, "low", field, "uniform"), _number(p, "high", field, "uniform")
    _ordered(low, high, field, "uniform")
    return Uniform(low, high)


def _parse_loguniform(p: Mapping[str, Any], field: str) -> Distribution:
    d = "loguniform"
    _check_keys(p, field, d, ("low", "high"))
    low, high = _positive(p, "low", field, d), _positive(p, "high", field, d)
    _ordered(low, high, field, d)
    return LogUniform(low, high)


def _parse_beta(p: Mapping[str, Any], field: str) -> Distribution:
    _check_keys(p, field, "beta", ("a", "b"), ("low", "high"))
    a, b = _positive(p, "a", field, "beta"), _positive(p, "b", field, "beta")
    low = _number(p, "low", field, "beta") if "low" in p else 0.0
    high = _number(p, "high", field, "beta") if "high" in p else 1.0
    _ordered(low, high, field, "beta")
    return Beta(a, b, low, high)


def _parse_percentiles(p: Mapping[str, Any], field: str) -> Distribution:
    d = "percentiles"
    _check_keys(p, field, d, ("p5", "p50", "p95"), ("log",))
    log = p.get("log", False)
    if not isinstance(log, bool):
        raise _fail(field, d, f"'log' must be true or false, got {log!r}")
    p5, p50, p95 = (_number(p, k, field, d) for k in ("p5", "p50", "p95"))
    if not p5 < p50 < p95:
        raise _fail(
            field,
            d,
            f"percentiles must be strictly increasing (p5 < p50 < p95), got p5={p5!r}, "
            f'p50={p50!r}, p95={p95!r}; use dist = "point" for a fixed value',
        )
    if log and p5 <= 0.0:
        raise _fail(field, d, f"with log = true all percentiles must be > 0, got p5={p5!r}")
    return SplitNormal(p5, p50, p95, log)


_PARSERS: dict[str, Callable[[Mapping[str, Any], str], Distribution]] = {
    "point": _parse_point,
    "normal": _parse_normal,
    "lognormal": _parse_lognormal,
    "uniform": _parse_uniform,
    "loguniform": _parse_loguniform,
    "beta": _parse_beta,
    "percentiles": _parse_percentiles,
}

DIST_NAMES: tuple[str, ...] = tuple(sorted(_PARSERS))


def parse_distribution(spec: Mapping[str, Any] | float, field: str) -> Distribution:
    """Build a validated :class:`Distribution` from a TOML-style spec for ``field``.

    ``spec`` is a mapping with ``dist`` (one of :data:`DIST_NAMES`), that
    family's keys and optional metadata keys (``source``, ``unit``, ``note``,
    copied to ``.metadata``), or a bare finite number meaning a point value.
    Any problem raises one :class:`ValidationError` whose message starts with
    ``field``, gives the offending value and says what is allowed.
    """
    if isinstance(spec, int | float) and not isinstance(spec, bool):
        if not math.isfinite(spec):
            raise ValidationError(f"{field}: a fixed value must be a finite number, got {spec!r}")
        return Point(float(spec))
    if not isinstance(spec, Mapping):
        raise ValidationError(
            f"{field}: expected a number or a table with a 'dist' key, got {type(spec).__name__} {spec!r}"
        )
    allowed = ", ".join(DIST_NAMES)
    if "dist" not in spec:
        raise ValidationError(f"{field}: missing key 'dist'; allowed distributions: {allowed}")
    name = spec["dist"]
    if not isinstance(name, str) or name not in _PARSERS:
        close = difflib.get_close_matches(str(name), DIST_NAMES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValidationError(f"{field}: unknown distribution {name!r}{hint}; allowed: {allowed}")
    params = {k: v for k, v in spec.items() if k != "dist" and k not in METADATA_KEYS}
    metadata = {k: v for k, v in spec.items() if k in METADATA_KEYS}
    return dataclasses.replace(_PARSERS[name](params, field), metadata=metadata)


def parse_distributions(specs: Mapping[str, Mapping[str, Any] | float]) -> dict[str, Distribution]:
    """:func:`parse_distribution` for every ``field -> spec`` entry of ``specs``."""
    return {name: parse_distribution(spec, field=name) for name, spec in specs.items()}


# --------------------------------------------------------------------------- joint sampling


def _check_sampling_args(n: int, seed: int, method: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise ValidationError(f"n: number of samples must be an integer >= 1, got {n!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValidationError(f"seed: must be an integer >= 0, got {seed!r}")
    if method not in SAMPLING_METHODS:
        raise ValidationError(
            f"method: unknown sampling method {method!r}; allowed: {', '.join(SAMPLING_METHODS)}"
        )


def _bounded(
    dists: Mapping[str, Distribution], bounds: Mapping[str, tuple[float, float]] | None
) -> dict[str, Distribution]:
    """``dists`` with each bounded parameter truncated to its allowed range."""
    out = dict(dists)
    for name, bound in (bounds or {}).items():
        if name not in dists:
            close = difflib.get_close_matches(name, sorted(dists), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValidationError(f"bounds[{name!r}]: unknown parameter {name!r}{hint}")
        if not (isinstance(bound, tuple | list) and len(bound) == 2):
            raise ValidationError(f"{name}: allowed range must be a pair (lo, hi), got {bound!r}")
        out[name] = truncate(dists[name], bound[0], bound[1], field=name)
    return out


def sample_parameters(
    dists: Mapping[str, Distribution],
    n: int,
    seed: int,
    correlations: Mapping[tuple[str, str], float] | None = None,
    bounds: Mapping[str, tuple[float, float]] | None = None,
    *,
    method: SamplingMethod = "random",
) -> dict[str, FloatArray]:
    """Draw ``n`` joint samples of every parameter; returns ``name -> array (n,)``.

    Each parameter is ``F_i^{-1}(U_i)``, with F_i truncated to ``bounds[name]``
    where given, and U the Gaussian-copula uniforms carrying the Spearman rank
    ``correlations`` (pairs not listed are independent). Point values draw no
    randomness and cannot be correlated. Parameters are processed in sorted
    name order, so the result depends only on (dists, n, seed, correlations,
    bounds, method), not on mapping order. With ``method="random"`` each
    parameter has its own seeded stream, so without correlations its draws do
    not change when other parameters are added or removed; ``"sobol"`` uses a
    scrambled Sobol' sequence (n a power of 2 is best).
    """
    _check_sampling_args(n, seed, method)
    bounded = _bounded(dists, bounds)
    names = sorted(bounded)
    random_names = [name for name in names if not bounded[name].is_point]
    fixed = [name for name in names if bounded[name].is_point]
    uniforms = correlated_uniforms(
        random_names, int(n), int(seed), correlations, fixed=fixed, method=method
    )
    samples = {name: bounded[name].ppf(uniforms[:, j]) for j, name in enumerate(random_names)}
    samples.update({name: np.full(int(n), bounded[name].median()) for name in fixed})
    return {name: samples[name] for name in dists}
