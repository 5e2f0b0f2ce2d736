"""The model over the whole allowed box, not just the plausible one (issue 14, item 2).

Every parameter is drawn over its allowed range (log-uniform where the registry marks
it log-scaled); half the batches put each parameter at an end of its range with
probability 2/3, where the numerics are hardest. 10,000 draws in vectorised batches
of 2,000 at dt = 0.2. Each sample must give finite series, shares in [0, 1], and
positive output and wages. Combinations that the model's cross-parameter checks
forbid (the implied savings rate of the 2026 capital stock, a positive net return on
capital) must be refused with a ValidationError naming the constraint; the draws
replace them with defaults so that every batch runs.
"""

from __future__ import annotations

import numpy as np
import pytest

import takeoff
from takeoff.errors import ValidationError
from takeoff.params.schema import registry

BATCH = 2_000
SHARES = (
    "labour_share",
    "ai_output_share",
    "automated_share",
    "cognitive_automated_share",
    "rnd_automated_share",
    "rnd_compute_share",
    "experiment_compute_share",
    "ai_capex_share",
    "automatable_share",
    "capex_share",
)
#: Fields of the setup checks on the 2026 capital stock (engine/setup.py).
CAPITAL_FIELDS = (
    "capital_2026",
    "gwp_2026",
    "baseline_gwp_growth",
    "capital_depreciation",
    "max_investment_share",
    "ai_capex_share_2026",
    "capital_share",
    "compute_depreciation",
)


def capital_forbidden(p: dict[str, np.ndarray]) -> np.ndarray:
    """Samples the setup refuses: implied savings rate outside (0, limit), or MPK - delta <= -delta_Q."""
    savings = (
        p["capital_2026"] / p["gwp_2026"] * (p["baseline_gwp_growth"] + p["capital_depreciation"])
    )
    limit = p["max_investment_share"] - p["ai_capex_share_2026"]
    mpk = p["capital_share"] * p["gwp_2026"] / p["capital_2026"]
    net = mpk - p["capital_depreciation"] + p["compute_depreciation"]
    return (savings >= limit) | (savings <= 0) | (net <= 0)


def draw(n: int, seed: int, edges: bool) -> dict[str, np.ndarray]:
    """n draws over the allowed box; two-parameter sums kept inside their schema limits."""
    rng = np.random.default_rng(seed)
    specs = registry()
    out = {}
    for name, spec in specs.items():
        if spec.log_scale:
            value = np.exp(rng.uniform(np.log(spec.low), np.log(spec.high), n))
        else:
            value = rng.uniform(spec.low, spec.high, n)
        if edges:
            end = rng.integers(0, 3, n)
            value = np.where(end == 0, spec.low, np.where(end == 1, spec.high, value))
        out[name] = value
    for pair, limit in (
        (("experiment_compute_share", "rnd_inference_share"), 0.98),
        (("rnd_compute_shift", "experiment_compute_shift"), 0.94),
    ):
        total = out[pair[0]] + out[pair[1]]
        scale = limit / np.maximum(total, limit)
        for name in pair:
            out[name] = out[name] * scale
    out["ai_capex_ceiling"] = np.minimum(out["ai_capex_ceiling"], out["ai_capex_ceiling_max"])
    return out


def with_defaults_where_forbidden(p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    forbidden = capital_forbidden(p)
    for name in CAPITAL_FIELDS:
        p[name] = np.where(forbidden, registry()[name].default, p[name])
    assert not capital_forbidden(p).any()
    return p


def defects(result) -> dict[str, int]:
    """Samples with each kind of defect (0 everywhere is a pass)."""
    series = result.series
    found = {}
    for name, values in series.items():
        count = int((~np.isfinite(values)).any(axis=0).sum())
        if count:
            found[f"non-finite {name}"] = count
    for name in SHARES:
        values = series[name]
        count = int(((values < -1e-12) | (values > 1.0 + 1e-9)).any(axis=0).sum())
        if count:
            found[f"{name} outside [0, 1]"] = count
    for name in ("gwp", "wage"):
        count = int((~(series[name] > 0.0)).any(axis=0).sum())
        if count:
            found[f"{name} not positive"] = count
    return found


@pytest.mark.slow
@pytest.mark.parametrize(
    ("seed", "edges"), [(1, False), (2, False), (3, True), (4, True), (5, True)]
)
def test_allowed_box_gives_finite_bounded_series(seed, edges):
    overrides = with_defaults_where_forbidden(draw(BATCH, seed, edges))
    result = takeoff.simulate(overrides=overrides, dt=0.2, output_step=1.0)
    assert defects(result) == {}


def test_forbidden_capital_combinations_are_refused_by_name():
    p = draw(400, 7, edges=True)
    forbidden = capital_forbidden(p)
    assert forbidden.any()  # the box does contain such combinations
    one = {name: values[forbidden][:1] for name, values in p.items()}
    with pytest.raises(ValidationError, match="savings rate|capital_share"):
        takeoff.simulate(overrides=one, dt=0.5, end_year=2030)


def test_strongly_compute_bound_research_stays_finite():
    """The review's case: rho_r at its -20 bound with the power ceiling lifted. The CES
    underflowed, 0 ** (1/rho) gave inf and a product with 0 NaN (0d96745)."""
    overrides = {
        "research_substitution_rho": -20.0,
        "ai_power_ceiling_gw": registry()["ai_power_ceiling_gw"].high,
        "software_returns": registry()["software_returns"].high,
    }
    result = takeoff.simulate(overrides=overrides, dt=0.2)
    assert defects(result) == {}
    assert np.all(result.series["research_input"] >= 0.0)
