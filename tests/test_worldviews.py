"""The built-in worldviews reproduce their speakers' stated numbers (docs/worldviews.md).

Each row of a worldview's "stated vs model" table is one test: a Monte Carlo estimate
(``run_mc(name, N_SAMPLES, seed=SEED)``) must fall inside the target interval derived
from the speaker's statement. Rows the model cannot match are marked ``xfail(strict=True)``
with the model assumption that prevents it, so they fail loudly once a model change
makes them pass and the documentation has to be updated.

Tolerances. The estimates are medians or probabilities over N samples. A probability has
standard error sqrt(p(1-p)/N) (0.016 at p = 0.5, N = 1000); a median's standard error
comes from the binomial order-statistic interval (as in ``MCResult.milestone_summary``).
Every target interval below is wider than the stated number by construction (it is the
speaker's own range, or a range stated in docs/worldviews.md). At seed 0 with 2000 samples
one matching estimate sits close to a bound that noise could cross: besiroglu-erdil's
remote-work median, 2049.4 +- 0.45, is 1.4 SE below 2050 (seeds 1-3: 2.1-2.9 SE) since the
labs' capex plan follows returns (investment.plan_revision; it was 2045.0 before), so another
seed or sample count may flip that row. The next closest are besiroglu-erdil's P(explosive
growth by 2100) = 0.867, 4.3 SE below 0.9, and amodei's P(country of geniuses by end of 2036)
= 0.888, 5.5 SE above 0.85; ``test_percentiles_stable_across_seeds`` checks two seeds agree.

Run ``python tests/test_worldviews.py --samples 2000`` to print the tables of the docs.
"""

from __future__ import annotations

import math
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pytest
from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.params.schema import build_parameters
from takeoff.scenarios.loader import builtin_names, load_scenario
from takeoff.uncertainty.montecarlo import MCResult, run_mc

WORLDVIEWS = (
    "besiroglu-erdil",
    "amodei",
    "software-explosion",
    "baumol-skeptic",
    "epoch-gate",
    "ftm",
)
N_SAMPLES = 2000
SEED = 0
#: Runs stop here unless a row needs a later year (shorter runs keep the suite fast; the
#: dynamics are causal, so nothing before the end year depends on it).
END_YEAR = {"besiroglu-erdil": 2100.0}
DEFAULT_END = 2070.0
Z = 1.96


# --------------------------------------------------------------------------- measurements


@dataclass(frozen=True)
class Measure:
    """An estimate, its Monte Carlo standard error and a 5-95% interval (None if n/a)."""

    value: float
    se: float
    interval: tuple[float, float] | None = None


def median_measure(values: np.ndarray) -> Measure:
    """Median (NaN counts as +inf: not reached), order-statistic SE, 5-95% interval."""
    filled = np.sort(np.where(np.isnan(values), np.inf, values))
    n = filled.size
    half = Z * math.sqrt(n) / 2
    low = filled[max(int(math.floor(n / 2 - half)), 0)]
    high = filled[min(int(math.ceil(n / 2 + half)), n - 1)]
    se = (high - low) / (2 * Z) if np.isfinite(high) and np.isfinite(low) else math.inf
    q = lambda p: float(filled[min(int(math.floor(p * n)), n - 1)])  # noqa: E731
    return Measure(float(np.median(filled)), float(se), (q(0.05), q(0.95)))


def probability_measure(hits: np.ndarray) -> Measure:
    p = float(np.mean(hits))
    se = math.sqrt(max(p * (1 - p), 1.0 / hits.size) / hits.size)
    return Measure(p, se, (max(p - Z * se, 0.0), min(p + Z * se, 1.0)))


def milestone_years(res: MCResult, name: str) -> np.ndarray:
    return np.where(np.isnan(res.milestones[name]), np.inf, res.milestones[name])


def year_index(res: MCResult, year: int) -> int:
    return int(np.flatnonzero(np.isclose(res.years, year))[0])


def trajectory(res: MCResult, series: str, year: int) -> np.ndarray:
    assert res.trajectories is not None
    return res.trajectories[series][year_index(res, year)]


def peak_growth(res: MCResult, until: int = 2050) -> np.ndarray:
    """Largest one-year GWP growth of each sample, 2026 to ``until``."""
    assert res.trajectories is not None
    return res.trajectories["gwp_growth"][: year_index(res, until) + 1].max(axis=0)


def training_oom_at_capex_share(res: MCResult, share: float) -> np.ndarray:
    """OOM of the largest training run beyond the 2025 frontier (Epoch record, Grok 3,
    4.64e26 FLOP) when AI capex actually spent (data centres, power, chips) first reaches
    ``share`` of GWP. NaN for samples where it never does (+inf in the median)."""
    assert res.trajectories is not None
    t = res.trajectories
    hit = t["ai_capex_share"] >= share
    first = hit.argmax(axis=0)
    physical_run = t["effective_training_compute"] / t["software_efficiency"]
    oom = np.log10(physical_run / FRONTIER_2025_FLOP)
    values = oom[first, np.arange(first.size)]
    return np.where(hit.any(axis=0), values, np.nan)


#: The largest training run published by 2025 (Epoch notable models: Grok 3, Feb 2025).
FRONTIER_2025_FLOP = 4.64e26


def _finite(values: np.ndarray) -> np.ndarray:
    return values[np.isfinite(values)]


def point_parameters(name: str) -> dict[str, float]:
    built = build_parameters(load_scenario(name).point_values())
    return {key: float(arr[0]) for key, arr in built.items()}


def sampled_or_point(res: MCResult, name: str, parameter: str) -> np.ndarray:
    if parameter in res.sampled:
        return res.sampled[parameter]
    return np.full(res.n_samples, point_parameters(name)[parameter])


def research_input(weight, labour, compute, rho):
    """The research CES of software.py, with its Cobb-Douglas limit at rho = 0."""
    rho = np.where(np.abs(rho) < 1e-6, -1e-6, rho)
    return (weight * labour**rho + (1 - weight) * compute**rho) ** (1 / rho)


def software_speedup_bound(res: MCResult, name: str) -> np.ndarray:
    """Most that unlimited research labour can speed up software progress at fixed compute.

    With compute held at its 2026 level, R -> (1-w)^(1/rho) as labour -> infinity for
    rho < 0, and software growth scales as R^lambda: the bound is (1-w)^(lambda/rho).
    For rho >= 0 it is unbounded (a software-only explosion is possible).
    """
    rho = sampled_or_point(res, name, "research_substitution_rho")
    w = sampled_or_point(res, name, "research_labour_weight")
    lam = sampled_or_point(res, name, "research_parallelism")
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(rho < 0, (1 - w) ** (lam / np.minimum(rho, -1e-12)), np.inf)


def survey_progress_factor(res: MCResult, name: str, compute_cut: float = 30.0) -> np.ndarray:
    """Software progress with 1/compute_cut of the experiment compute, relative to baseline."""
    rho = sampled_or_point(res, name, "research_substitution_rho")
    w = sampled_or_point(res, name, "research_labour_weight")
    lam = sampled_or_point(res, name, "research_parallelism")
    return research_input(w, 1.0, 1.0 / compute_cut, rho) ** lam


def software_efficiency(res: MCResult, name: str) -> np.ndarray:
    """S(t), yearly (T, n), as kept by run_mc."""
    assert res.trajectories is not None
    return res.trajectories["software_efficiency"]


def compressed_progress(res: MCResult, name: str, years_of_progress: float = 3.0) -> np.ndarray:
    """Does any calendar year bring > ``years_of_progress`` years of 2026-pace software progress?"""
    log_s = np.log(software_efficiency(res, name))
    rate = sampled_or_point(res, name, "algorithmic_progress_2026")
    return (np.diff(log_s, axis=0) > years_of_progress * rate).any(axis=0)


def excess_growth(res: MCResult, name: str, start: int, end: int) -> np.ndarray:
    """Average yearly GWP growth start->end minus the no-AI baseline, in percentage points."""
    gwp = res.trajectories["gwp"]
    average = np.expm1(
        np.log(gwp[year_index(res, end)] / gwp[year_index(res, start)]) / (end - start)
    )
    baseline = np.expm1(sampled_or_point(res, name, "baseline_gwp_growth"))
    return 100.0 * (average - baseline)


def share_when(res: MCResult, series: str, milestone: str) -> np.ndarray:
    """Value of a yearly series at each sample's milestone year, interpolated linearly between
    the whole years around it (the nearest whole year made the value jump by a year's change
    when the milestone moved across a half year)."""
    years = res.milestones[milestone]
    assert np.allclose(np.diff(res.years), 1.0), "share_when needs a yearly grid"
    out = np.full(years.size, np.nan)
    ok = np.isfinite(years)
    position = np.clip(years[ok] - res.years[0], 0.0, res.years.size - 1.0)
    low = np.floor(position).astype(int)
    high = np.minimum(low + 1, res.years.size - 1)
    weight = position - low
    columns = np.flatnonzero(ok)
    values = res.trajectories[series]
    out[ok] = (1.0 - weight) * values[low, columns] + weight * values[high, columns]
    return out


# --------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class Row:
    worldview: str
    claim: str  # what the speaker / paper says, with its source
    quantity: str  # what the model measures
    low: float
    high: float
    measure: Callable[[MCResult, str], Measure]
    gap: str | None = None  # why the model cannot match (xfail), or None

    @property
    def id(self) -> str:
        return f"{self.worldview}: {self.quantity}"


def _median_year(milestone: str):
    return lambda res, name: median_measure(milestone_years(res, milestone))


def _prob_by(milestone: str, year: float):
    return lambda res, name: probability_measure(milestone_years(res, milestone) <= year)


def _median_series(series: str, year: int):
    return lambda res, name: median_measure(trajectory(res, series, year))


ROWS: tuple[Row, ...] = (
    # ---------------------------------------------------------------- besiroglu-erdil (seed 000)
    Row(
        "besiroglu-erdil",
        "remote work fully automated ~2045 (Tamay), ~5 years earlier (Ege)",
        "median year remote_work_automated",
        2040.0,
        2050.0,
        _median_year("remote_work_automated"),
    ),
    Row(
        "besiroglu-erdil",
        "10-20% chance that regulation blocks deployment",
        "P(remote work not automated by 2100)",
        0.10,
        0.25,
        lambda res, name: probability_measure(
            ~np.isfinite(milestone_years(res, "remote_work_automated"))
        ),
    ),
    Row(
        "besiroglu-erdil",
        "explosive growth plausible once AI labour scales, unless regulation blocks it (10-20%)",
        "P(explosive growth by 2100)",
        0.60,
        0.90,
        _prob_by("explosive_growth", 2100.0),
    ),
    Row(
        "besiroglu-erdil",
        "3-4 OOM of scaling left before a large share of output goes to data centres, energy and fabs",
        "OOM of the largest training run beyond the 2025 frontier when AI capex spent first passes 10% of GWP (median; never = +inf)",
        3.0,
        4.0,
        lambda res, name: median_measure(training_oom_at_capex_share(res, 0.10)),
        gap="since the fixed 3,000 GW power wall gave way to the supply chain (issue 11), AI capex "
        "spent peaks at ~4% of GWP (~2044) and never reaches 10%: the labs' capex plan "
        "(ai_capex_growth, ai_capex_ceiling) grows slowly while price-performance improves "
        "1.35x/yr, and by the time the supply chain's growth limits bind, AI's output has "
        "grown GWP faster than spending; the row passed before only because the wall froze "
        "compute at ~3.5 OOM",
    ),
    Row(
        "besiroglu-erdil",
        "no software-only singularity: research is compute-bound",
        "max speed-up of software progress from unlimited AI researchers at fixed compute (median, x)",
        1.0,
        2.0,
        lambda res, name: median_measure(software_speedup_bound(res, name)),
    ),
    # ---------------------------------------------------------------- amodei (seeds 003, 004)
    Row(
        "amodei",
        "country of geniuses: 50% within 1-3 years (Feb 2026)",
        "P(country_of_geniuses by end of 2029)",
        0.40,
        0.60,
        _prob_by("country_of_geniuses", 2030.0),
    ),
    Row(
        "amodei",
        "country of geniuses: 90% within 10 years",
        "P(country_of_geniuses by end of 2036)",
        0.85,
        0.95,
        _prob_by("country_of_geniuses", 2037.0),
    ),
    Row(
        "amodei",
        "10-15 GW of AI compute in 2026",
        "median power_gw, 2026",
        10.0,
        15.0,
        _median_series("power_gw", 2026),
    ),
    Row(
        "amodei",
        "30-40 GW in 2027",
        "median power_gw, 2027",
        30.0,
        40.0,
        _median_series("power_gw", 2027),
    ),
    Row(
        "amodei",
        "~100 GW in 2028",
        "median power_gw, 2028",
        70.0,
        140.0,
        _median_series("power_gw", 2028),
    ),
    Row(
        "amodei",
        "~300 GW in 2029",
        "median power_gw, 2029",
        200.0,
        400.0,
        _median_series("power_gw", 2029),
    ),
    Row(
        "amodei",
        "growth much faster than ever, but not tracking compute's 3x/yr",
        "median peak one-year GWP growth to 2050 (fraction/yr)",
        0.10,
        2.0,
        lambda res, name: median_measure(peak_growth(res)),
        gap="AI labour = inference compute x software efficiency / runtime cost; once AI R&D is "
        "automated (~2030) software efficiency rises ~100x in 18 months and AI labour goes from "
        "~1e10 to ~1e12 human-equivalents while tasks are adopted, so GWP grows several-fold a year",
    ),
    Row(
        "amodei",
        "end-to-end coding in 1-2 years",
        "median year automated_coder (1 work-year METR horizon)",
        2027.0,
        2028.5,
        _median_year("automated_coder"),
        gap="the METR horizon is calibrated at 1.7 doublings per OOM of effective compute; a "
        "one-work-year horizon needs ~5 OOM beyond 2026, which the 3x/yr build-out reaches ~2030",
    ),
    # ---------------------------------------------------------------- software-explosion (AI 2027)
    Row(
        "software-explosion",
        "automated coder ~2030 (AI Futures Model; AI 2027 said ~2027, later ~2029-2030)",
        "median year automated_coder",
        2028.0,
        2032.0,
        _median_year("automated_coder"),
    ),
    Row(
        "software-explosion",
        "ASI ~2031-2034 (AI Futures Model, by author)",
        "median year country_of_geniuses",
        2031.0,
        2034.5,
        _median_year("country_of_geniuses"),
    ),
    Row(
        "software-explosion",
        "~1 year from superhuman coder to superhuman AI researcher / ASI (AI 2027)",
        "median years automated_coder -> ai_rnd_automated_100pct",
        0.0,
        2.5,
        lambda res, name: median_measure(
            res.milestones["ai_rnd_automated_100pct"] - res.milestones["automated_coder"]
        ),
    ),
    Row(
        "software-explosion",
        "~60% chance of > 3 years of progress in < 1 year (Davidson & Houlden 2025)",
        "P(some year brings > 3 years of 2026-pace software progress)",
        0.45,
        0.75,
        lambda res, name: probability_measure(compressed_progress(res, name)),
        gap="our AI research labour is inference compute / runtime cost x 30 (speed): when AI R&D "
        "becomes automatable there are ~1e8+ AI researchers against 3e4 humans, an initial speed-up "
        "far above Houlden's 2/8/32x, and compute keeps growing (his is fixed); only the software "
        "ceiling (8 OOM) stops it, so nearly every sample compresses > 3 years into one",
    ),
    Row(
        "software-explosion",
        "30x less compute slows progress by only ~1/3 (Kokotajlo survey, seed 000)",
        "software progress with 1/30 of the experiment compute (median, x baseline)",
        0.60,
        0.75,
        lambda res, name: median_measure(survey_progress_factor(res, name)),
    ),
    # ---------------------------------------------------------------- baumol-skeptic (Cowen, Roberts)
    Row(
        "baumol-skeptic",
        "no explosive growth from AI (Cowen; seed 001 Roberts)",
        "P(explosive growth by 2070)",
        0.0,
        0.05,
        _prob_by("explosive_growth", 2070.0),
    ),
    Row(
        "baumol-skeptic",
        "AI adds ~0.5 pp to yearly growth over 30-40 years (Cowen)",
        "median excess GWP growth 2026-2056 (pp/yr)",
        0.0,
        1.0,
        # Matches since the labs' plan follows returns (investment.plan_revision): AI's income
        # in this world falls ~12x in 2027 (its output share is Baumol-bound), so the build-out
        # is revised down to ~0 by 2030 instead of spending 4% of GWP on a fleet that earns
        # nothing; AI then does ~3% of work in 2056 (38% before) and the median excess growth
        # is 0.13 pp/yr (2.08 before, when this row was an expected failure).
        lambda res, name: median_measure(excess_growth(res, name, 2026, 2056)),
    ),
    Row(
        "baumol-skeptic",
        "gains imperceptible year to year in the next decade (Cowen)",
        "median excess GWP growth 2026-2036 (pp/yr)",
        0.0,
        0.5,
        lambda res, name: median_measure(excess_growth(res, name, 2026, 2036)),
    ),
    # ---------------------------------------------------------------- epoch-gate (Epoch 2025)
    Row(
        "epoch-gate",
        "GWP growth first exceeds 30% around 2031 (GATE default run)",
        "year explosive_growth",
        2029.0,
        2033.0,
        _median_year("explosive_growth"),
    ),
    Row(
        "epoch-gate",
        "... at ~78% of tasks automated",
        "automated_share when growth first exceeds 30%",
        0.6,
        0.9,
        lambda res, name: median_measure(share_when(res, "automated_share", "explosive_growth")),
        gap="growth first passes 30% at 43% of tasks automated (2032.46): where it crosses is set "
        "by what AI labour costs to run, and the replica keeps the registry's base runtime "
        "requirement (1e15 FLOP/s per human-equivalent on the easiest task, 1e14 gives 13%, "
        "1e16 gives 100%) under GATE's 9-OOM spread, without GATE's training/inference "
        "trade-off or its planner's choice of which tasks to run on AI",
    ),
    Row(
        "epoch-gate",
        "most tasks automated within two decades",
        "year automated_50pct",
        2026.0,
        2046.0,
        _median_year("automated_50pct"),
    ),
    Row(
        "epoch-gate",
        "~23% growth in 2027 with ~30% of tasks automated",
        "automated_share in 2027",
        0.2,
        0.4,
        lambda res, name: median_measure(trajectory(res, "automated_share", 2027)),
        gap="GATE starts with 10% of tasks automated and its planner spends ~24% of output on AI "
        "from 2025; our 2026 start has one task in a hundred automatable (AI does 0.12% of "
        "work) and capex at 0.5% of GWP, so 1% of tasks are automated in 2027",
    ),
    # ---------------------------------------------------------------- ftm (Davidson 2023)
    # Best-guess rows: one deterministic run at the distribution medians (FTM's best guess);
    # Monte Carlo rows: the samples of run_mc, against FTM's own Monte Carlo.
    Row(
        "ftm",
        "20% of tasks automated ~2036 (takeoffspeeds.com best guess; FTM's equations re-run: 2036.1)",
        "year automated_20pct, run at the medians",
        2035.0,
        2037.0,
        lambda res, name: Measure(
            float(
                run_mc(
                    name, 1, overrides=load_scenario(name).point_values(), end_year=DEFAULT_END
                ).milestones["automated_20pct"][0]
            ),
            0.0,
        ),
    ),
    Row(
        "ftm",
        "100% automated ~2040 (best guess; re-run: 2040.0)",
        "year automated_100pct, run at the medians",
        2039.0,
        2041.0,
        lambda res, name: Measure(
            float(
                run_mc(
                    name, 1, overrides=load_scenario(name).point_values(), end_year=DEFAULT_END
                ).milestones["automated_100pct"][0]
            ),
            0.0,
        ),
    ),
    Row(
        "ftm",
        "20% -> 100% takes ~3.8 years (best guess; re-run: 3.8)",
        "years automated_20pct -> automated_100pct, run at the medians",
        2.8,
        4.8,
        lambda res, name: (
            lambda m: Measure(float(m["automated_100pct"][0] - m["automated_20pct"][0]), 0.0)
        )(
            run_mc(
                name, 1, overrides=load_scenario(name).point_values(), end_year=DEFAULT_END
            ).milestones
        ),
    ),
    Row(
        "ftm",
        "peak GWP growth > 100%/yr around full automation",
        "median peak one-year GWP growth to 2050 (fraction/yr)",
        1.0,
        math.inf,
        lambda res, name: median_measure(peak_growth(res)),
    ),
    Row(
        "ftm",
        "Monte Carlo: median year of AGI (all tasks automatable) 2045 (takeoffspeeds.com description)",
        "median year automated_100pct",
        2043.0,
        2047.0,
        _median_year("automated_100pct"),
        gap="cause not isolated (the replica's median is 2041.8); the Monte Carlos differ in three "
        "known ways: FTM draws the full-automation requirement from Cotra's Bio Anchors "
        "distribution (~10% on 'never'; not available here, so the presets' 1e33-1e40 range is "
        "sampled; a 10% 'never' mass alone would move the median only to ~2042.8), FTM also "
        "samples its 2022 inputs while every replica sample starts from FTM's best-guess 2026 "
        "state, and FTM's sampled training/runtime trade-off is a fixed 0.77-OOM shift here",
    ),
    Row(
        "ftm",
        "Monte Carlo: median takeoff 3.6 years, 20% -> 100% (conditional on AGI before 2100)",
        "median years automated_20pct -> automated_100pct, samples reaching 100% by the end year",
        2.6,
        4.6,
        lambda res, name: median_measure(
            _finite(res.milestones["automated_100pct"] - res.milestones["automated_20pct"])
        ),
        gap="the replica's takeoff time is set mostly by the sampled FLOP gap (Spearman 0.70; "
        "median 5.8 years, 4.0 in samples with a gap below its median), while FTM's Monte Carlo "
        "gives 3.6 years from a gap sampled over the same 1-8 OOM; the cause is not isolated "
        "(candidates: FTM's wake-up jump in spending and training share at 6% automation and "
        "its sampled training/runtime trade-off, neither represented here)",
    ),
)


def run_worldview(name: str, n_samples: int = N_SAMPLES, seed: int = SEED) -> MCResult:
    scenario = load_scenario(name)
    n = n_samples if scenario.distributions else 1
    end = END_YEAR.get(name, DEFAULT_END)
    return run_mc(scenario, n, seed=seed, keep_trajectories=True, end_year=end)


@pytest.fixture(scope="module")
def results() -> Callable[..., MCResult]:
    cache: dict[tuple[str, int], MCResult] = {}

    def get(name: str, seed: int = SEED) -> MCResult:
        if (name, seed) not in cache:
            cache[(name, seed)] = run_worldview(name, seed=seed)
        return cache[(name, seed)]

    return get


def _param(row: Row):
    # raises=AssertionError: a row that errors (e.g. a missing series) must not pass as "no match".
    marks = (
        [pytest.mark.xfail(strict=True, raises=AssertionError, reason=row.gap)] if row.gap else []
    )
    return pytest.param(row, id=row.id, marks=marks)


@pytest.mark.parametrize("row", [_param(row) for row in ROWS])
def test_stated_numbers(results, row: Row):
    m = row.measure(results(row.worldview), row.worldview)
    assert row.low <= m.value <= row.high, (
        f"{row.id}: {m.value:.4g} (SE {m.se:.2g}) outside [{row.low}, {row.high}] — "
        f"stated: {row.claim}"
    )


def test_every_worldview_has_a_table():
    assert {row.worldview for row in ROWS} == set(WORLDVIEWS)


# --------------------------------------------------------------------------- files and sources

runner = CliRunner()


@pytest.mark.parametrize("name", builtin_names())
def test_builtin_scenario_validates(name):
    path = resources.files("takeoff.scenarios").joinpath(f"{name}.toml")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0, result.output


def _raw(name: str) -> dict:
    return tomllib.loads(resources.files("takeoff.scenarios").joinpath(f"{name}.toml").read_text())


@pytest.mark.parametrize("name", WORLDVIEWS)
def test_every_parameter_has_a_source(name):
    raw = _raw(name)
    assert raw["name"] == name and name in builtin_names()
    params = raw.get("parameters", {})
    assert params, f"{name} sets no parameters"
    for key, entry in params.items():
        assert isinstance(entry, dict), f"{name}.{key}: give {{value = ..., source = ...}}"
        assert str(entry.get("source", "")).strip(), f"{name}.{key}: no source"
    for i, corr in enumerate(raw.get("correlations", [])):
        assert str(corr.get("source", "")).strip(), f"{name}.correlations[{i}]: no source"
    assert load_scenario(name).sources.keys() == params.keys()


# --------------------------------------------------------------------------- seed stability


def test_percentiles_stable_across_seeds(results):
    """Two seeds agree within 3 combined standard errors on the headline percentiles."""
    a, b = results("amodei", SEED), results("amodei", SEED + 1)
    checks = [
        (_prob_by("country_of_geniuses", 2030.0), "P(CoG by 2030)"),
        (_prob_by("country_of_geniuses", 2037.0), "P(CoG by 2037)"),
        (_median_year("country_of_geniuses"), "median CoG year"),
        (_median_series("power_gw", 2029), "median power 2029"),
    ]
    for measure, label in checks:
        ma, mb = measure(a, "amodei"), measure(b, "amodei")
        tolerance = 3 * math.hypot(ma.se, mb.se)
        assert abs(ma.value - mb.value) <= tolerance, (label, ma, mb)


# --------------------------------------------------------------------------- docs tables


def _fmt(x: float) -> str:
    if not math.isfinite(x):
        return "never" if x > 0 else "-inf"
    if abs(x) >= 1000 or x == int(x) and abs(x) >= 100:
        return f"{x:.1f}"
    return f"{x:.3g}"


def print_tables(n_samples: int, seed: int) -> None:  # pragma: no cover - docs helper
    for name in WORLDVIEWS:
        res = run_worldview(name, n_samples, seed)
        print(f"\n### {name} (run_mc({name!r}, {res.n_samples}, seed={seed}))\n")
        print("| stated | model quantity | target | model (± MC SE) | 5-95% | |")
        print("|---|---|---|---|---|---|")
        for row in (r for r in ROWS if r.worldview == name):
            m = row.measure(res, name)
            inside = row.low <= m.value <= row.high
            interval = f"{_fmt(m.interval[0])}–{_fmt(m.interval[1])}" if m.interval else ""
            verdict = "match" if inside else "**no match**"
            print(
                f"| {row.claim} | {row.quantity} | {_fmt(row.low)}–{_fmt(row.high)} | "
                f"{_fmt(m.value)} ± {_fmt(m.se)} | {interval} | {verdict} |"
            )


def print_extras(n_samples: int, seed: int) -> None:  # pragma: no cover - docs helper
    """Further figures quoted in docs/worldviews.md (same runs, plus a few deterministic ones)."""
    from takeoff.api import simulate

    def at(result, series: str, year: float) -> float:
        return float(result.series[series][np.searchsorted(result.years, year - 1e-9), 0])

    be = run_worldview("besiroglu-erdil", n_samples, seed)
    capped = be.sampled["automation_cap"] < 0.9999
    explosive = milestone_years(be, "explosive_growth") <= 2100
    remote = milestone_years(be, "remote_work_automated")
    print("\nbesiroglu-erdil:")
    print(f"  P(cap < 0.9999) = {capped.mean():.3f}")
    print(f"  P(explosive by 2100 | capped) = {explosive[capped].mean():.3f}")
    print(f"  P(explosive by 2100 | not capped) = {explosive[~capped].mean():.3f}")
    print(f"  P(remote work by end of 2039) = {np.mean(remote <= 2040.0):.3f}")
    print(f"  P(remote work by end of 2049) = {np.mean(remote <= 2050.0):.3f}")
    print(
        f"  median year explosive_growth = {median_measure(milestone_years(be, 'explosive_growth')).value:.1f}"
    )
    print(
        f"  median year country_of_geniuses = {median_measure(milestone_years(be, 'country_of_geniuses')).value:.1f}"
    )
    reach = np.isfinite(training_oom_at_capex_share(be, 0.10)).mean()
    print(f"  share of samples where AI capex reaches 10% of GWP = {reach:.3f}")

    am = run_worldview("amodei", n_samples, seed)
    print("amodei:")
    print(f"  median GWP growth in 2035 = {np.median(trajectory(am, 'gwp_growth', 2035)):.3f}")
    print(
        f"  P(country_of_geniuses by end of 2027) = {np.mean(milestone_years(am, 'country_of_geniuses') <= 2028.0):.3f}"
    )
    det = simulate("amodei")
    for year in (2026, 2029):
        print(
            f"  deterministic (medians) cost per GW-year {year} = ${at(det, 'cost_per_gw_year', year) / 1e9:.1f}B"
        )

    sx = run_worldview("software-explosion", n_samples, seed)
    print("software-explosion:")
    print(
        f"  P(> 10 years of 2026-pace progress in one year) = {compressed_progress(sx, 'software-explosion', 10.0).mean():.3f}"
    )
    print(
        f"  default scenario automated_coder (deterministic) = {simulate('default').milestone_dict()['automated_coder']}"
    )

    ba = run_worldview("baumol-skeptic", n_samples, seed)
    print("baumol-skeptic:")
    print(
        f"  median excess growth 2026-2066 (pp/yr) = {np.median(excess_growth(ba, 'baumol-skeptic', 2026, 2066)):.2f}"
    )
    print(
        f"  median automated_share in 2056 = {np.median(trajectory(ba, 'automated_share', 2056)):.3f}"
    )

    print("epoch-gate (deterministic variants):")
    spread = simulate("epoch-gate", end_year=2060)  # GATE's 9-OOM runtime spread since issue 11
    growth = spread.series["gwp_growth"][:, 0]
    print(
        f"  as set (runtime_spread_oom = 9): lowest one-year GWP growth = {growth.min():.3f}, "
        f"explosive_growth = {spread.milestone_dict()['explosive_growth']}"
    )
    planner = simulate(
        "epoch-gate", {"ai_capex_share_2026": 0.24, "ai_capex_ceiling": 0.24}, end_year=2060
    )
    print(
        f"  capex 24% of GWP from 2026: explosive_growth = {planner.milestone_dict()['explosive_growth']}, "
        f"automated_20pct = {planner.milestone_dict()['automated_20pct']}, "
        f"automated_share 2027 = {at(planner, 'automated_share', 2027):.3f}"
    )

    print("ftm (deterministic):")
    ftm = simulate("ftm", end_year=2060)
    for year in (2026, 2030, 2031):
        print(
            f"  effective_training_compute {year} = {at(ftm, 'effective_training_compute', year):.3g}"
        )


if __name__ == "__main__":  # pragma: no cover
    args = sys.argv[1:]
    samples = int(args[args.index("--samples") + 1]) if "--samples" in args else N_SAMPLES
    seed_arg = int(args[args.index("--seed") + 1]) if "--seed" in args else SEED
    print_tables(samples, seed_arg)
    print_extras(samples, seed_arg)
