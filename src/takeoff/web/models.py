"""Request and response models of the playground's JSON API.

Requests reject unknown keys and check parameter values against the same registry as
the Python API and the CLI (:func:`takeoff.params.schema.check_value`), so an invalid
request gets a 422 naming the field and the allowed range, never a 500.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from takeoff.errors import ValidationError as TakeoffValidationError
from takeoff.industry.labs import MAX_SAMPLES as LABS_MAX_SAMPLES
from takeoff.industry.params import LabParams
from takeoff.params.schema import check_value

#: Bounds on what one request may ask for (the server's own limits, not the model's).
MAX_SAMPLES = 5_000
MAX_END_YEAR = 2200.0
MIN_END_YEAR = 2027.0
MIN_DT = 0.05
MAX_DT = 1.0
MAX_COMPARE = 8
MAX_SERIES = 64
#: Monte Carlo work bound: samples x time steps (5,000 samples to 2100 at dt = 0.1).
MAX_MC_WORK = 5_000 * 740

Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Name = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")]


def _scenario_names() -> list[str]:
    from takeoff.scenarios.loader import builtin_names

    return builtin_names()


def check_scenario_name(name: str) -> str:
    """Only built-in scenarios: the API never reads a file path a client sends."""
    names = _scenario_names()
    if name not in names:
        raise ValueError(f"unknown scenario {name!r}; built-ins: {', '.join(names)}")
    return name


def check_overrides(values: dict[str, float]) -> dict[str, float]:
    for name, value in values.items():
        try:
            check_value(name, value, where="overrides")
        except TakeoffValidationError as exc:
            raise ValueError(str(exc)) from None
    return values


@cache
def model_series_names() -> frozenset[str]:
    """Names of every series the model records (from a one-step run, cached)."""
    from takeoff.api import simulate

    return frozenset(simulate("default", dt=1.0, end_year=2027.0).series)


def fan_series_names() -> frozenset[str]:
    from takeoff.uncertainty.montecarlo import FAN_SERIES

    return frozenset(FAN_SERIES)


def check_series_names(names: list[str] | None, allowed: frozenset[str]) -> list[str] | None:
    if names is None:
        return None
    unknown = [n for n in names if n not in allowed]
    if unknown:
        raise ValueError(f"unknown series {unknown[:5]}; allowed: {', '.join(sorted(allowed))}")
    return list(dict.fromkeys(names))


class _Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dt: Number | None = Field(
        None,
        ge=MIN_DT,
        le=MAX_DT,
        description="Time step in years (default: the scenario's, 0.1). Results are "
        "dt-converged to ~0.1 yr; the playground uses 0.2 while a slider moves.",
    )
    end_year: Number | None = Field(
        None,
        ge=MIN_END_YEAR,
        le=MAX_END_YEAR,
        description="Last simulated year (default: the scenario's, 2100).",
    )

    overrides: dict[Name, Number] = Field(
        default_factory=dict,
        max_length=200,
        description="Parameter name -> value, in the registry's unit (GET /api/parameters).",
    )

    @field_validator("overrides")
    @classmethod
    def _overrides(cls, value):
        return check_overrides(value)


class _OneScenario(_Settings):
    scenario: Name = Field("default", description="A built-in scenario (GET /api/scenarios).")

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, value):
        return check_scenario_name(value)


class RunRequest(_OneScenario):
    """Simulate one scenario with parameter overrides."""

    series: list[Name] | None = Field(
        None,
        max_length=MAX_SERIES,
        description="Series to return (default: all). `year` is always included.",
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scenario": "default",
                    "overrides": {"full_automation_requirement": 1e36, "diffusion_years": 5},
                    "dt": 0.2,
                    "series": ["automated_share", "gwp_growth"],
                }
            ]
        },
    )

    @field_validator("series")
    @classmethod
    def _series(cls, value):
        return check_series_names(value, model_series_names())


class MonteCarloRequest(_OneScenario):
    """Sample the scenario's parameter distributions (overrides fix a parameter)."""

    n_samples: int = Field(
        1000, strict=True, ge=1, le=MAX_SAMPLES, description=f"1 to {MAX_SAMPLES:,} samples."
    )
    seed: int = Field(0, strict=True, ge=0, le=2**32 - 1, description="Random seed.")
    series: list[Name] | None = Field(
        None, max_length=MAX_SERIES, description="Fan-chart series (default: all available)."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"scenario": "default", "n_samples": 1000, "seed": 1, "dt": 0.2}]
        },
    )

    @field_validator("series")
    @classmethod
    def _series(cls, value):
        return check_series_names(value, fan_series_names())

    @model_validator(mode="after")
    def _bounded_work(self):
        from takeoff.scenarios.loader import load_scenario

        settings = load_scenario(self.scenario).settings
        dt = self.dt if self.dt is not None else settings.dt
        end = self.end_year if self.end_year is not None else settings.end_year
        steps = max(1, round((end - settings.start_year) / dt))
        if self.n_samples * steps > MAX_MC_WORK:
            raise ValueError(
                f"n_samples x time steps = {self.n_samples} x {steps} exceeds the server's "
                f"limit of {MAX_MC_WORK:,}; use fewer samples, a larger dt or an earlier end_year"
            )
        return self


class CompareRequest(_Settings):
    """Run several worldviews side by side (each at its point values)."""

    scenarios: list[Name] | None = Field(
        None,
        min_length=1,
        max_length=MAX_COMPARE,
        description=f"1 to {MAX_COMPARE} built-in scenarios (default: all, up to {MAX_COMPARE}).",
    )
    series: list[Name] | None = Field(
        None, max_length=MAX_SERIES, description="Series to return (default: the key series)."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"scenarios": ["default"], "dt": 0.2}]},
    )

    @field_validator("scenarios")
    @classmethod
    def _scenarios(cls, value):
        if value is None:
            return None
        for name in value:
            check_scenario_name(name)
        if len(set(value)) != len(value):
            raise ValueError("scenarios: each scenario may appear once")
        return value

    @field_validator("series")
    @classmethod
    def _series(cls, value):
        return check_series_names(value, model_series_names())


# ------------------------------------------------------------------ responses (for /docs)


class ErrorItem(BaseModel):
    loc: list[str | int] = Field(description="Where the problem is, e.g. ['body', 'overrides'].")
    msg: str = Field(description="What is wrong and what is allowed.")
    type: str


class ErrorResponse(BaseModel):
    detail: list[ErrorItem] | str


class ParameterInfo(BaseModel):
    name: str
    block: str
    unit: str
    default: float
    value: float = Field(description="Value in the chosen scenario (median if distributed).")
    range: tuple[float, float] = Field(description="Allowed range (validated).")
    plausible: tuple[float, float] = Field(description="Range worth exploring.")
    log_scale: bool
    description: str
    source: str
    distribution: dict[str, Any] | None = None


class ScenarioInfo(BaseModel):
    name: str
    colour: str | None = Field(None, description="Its colour in the playground and the report.")
    title: str
    description: str
    settings: dict[str, float]
    values: dict[str, float]
    distributions: dict[str, dict[str, Any]]
    sources: dict[str, str]
    n_correlations: int


class MilestoneInfo(BaseModel):
    name: str
    description: str
    source: str
    conditions: list[dict[str, Any]]


class SeriesInfo(BaseModel):
    name: str
    label: str
    unit: str
    log_scale: bool


class RunResponse(BaseModel):
    scenario: str
    settings: dict[str, float]
    overrides: dict[str, float]
    milestones: dict[str, float | None] = Field(description="Year, or null if not reached.")
    series: dict[str, list[float | None]] = Field(description="Yearly values; `year` included.")
    growth_capped: bool
    elapsed_ms: float
    cached: bool


class MonteCarloResponse(BaseModel):
    scenario: str
    n_samples: int
    seed: int
    settings: dict[str, float]
    overrides: dict[str, float]
    sampled: list[str] = Field(description="Parameters drawn from distributions.")
    quantiles: list[float]
    years: list[float]
    fans: dict[str, list[list[float | None]]] = Field(
        description="series -> one list per quantile (same order as `quantiles`) over `years`."
    )
    milestones: dict[str, dict[str, Any]] = Field(
        description="p10/p50/p90 (null = not reached), prob_by, prob_reached, se_median."
    )
    cdf: dict[str, list[float]] = Field(
        description="milestone -> P(reached by year) for each of `years`."
    )
    growth_capped_share: float
    elapsed_ms: float
    cached: bool


class CompareRun(BaseModel):
    scenario: str
    title: str
    milestones: dict[str, float | None]
    series: dict[str, list[float | None]]


class CompareResponse(BaseModel):
    settings: dict[str, float]
    overrides: dict[str, float]
    runs: list[CompareRun]
    elapsed_ms: float


# ------------------------------------------------------------------ cruxes (docs/cruxes.md)

#: Samples per hybrid worldview of one /api/cruxes request.
MAX_CRUXES_SAMPLES = 2_000
#: Work bound of one attribution: hybrids x samples x time steps (~20 s on one core).
MAX_CRUXES_WORK = 8_000_000


class CruxesRequest(BaseModel):
    """Why two built-in worldviews differ: Shapley attribution of a metric's difference."""

    a: Name = Field(description="First worldview (a built-in scenario).")
    b: Name = Field(description="Second worldview; the attribution explains metric(b) - metric(a).")
    milestone: Name = Field("automated_100pct", description="Milestone (GET /api/milestones).")
    metric: str = Field(
        "median",
        max_length=40,
        description="median (year), prob-by:YEAR (P reached by YEAR) or mean-growth:Y0-Y1 "
        "(mean GWP growth, %/yr).",
    )
    by: Literal["auto", "block", "parameter"] = Field(
        "auto", description="Group differing parameters by model block, one by one, or auto."
    )
    n_samples: int = Field(
        200,
        strict=True,
        ge=16,
        le=MAX_CRUXES_SAMPLES,
        description=f"Samples per hybrid worldview, 16 to {MAX_CRUXES_SAMPLES:,}.",
    )
    seed: int = Field(0, strict=True, ge=0, le=2**32 - 1, description="Random seed.")
    dt: Number | None = Field(
        None, ge=MIN_DT, le=MAX_DT, description="Time step in years (default: the scenarios')."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "a": "amodei",
                    "b": "besiroglu-erdil",
                    "milestone": "automated_100pct",
                    "metric": "median",
                    "n_samples": 200,
                    "dt": 0.2,
                }
            ]
        },
    )

    @field_validator("a", "b")
    @classmethod
    def _scenario(cls, value):
        return check_scenario_name(value)

    @field_validator("milestone")
    @classmethod
    def _milestone(cls, value):
        from takeoff.cruxes.metrics import check_milestone

        try:
            return check_milestone(value, "milestone")
        except TakeoffValidationError as exc:
            raise ValueError(str(exc)) from None

    @model_validator(mode="after")
    def _bounded(self):
        from takeoff.cruxes.metrics import parse_metric
        from takeoff.scenarios.loader import load_scenario
        from takeoff.web.cruxes import planned_hybrids

        if self.a == self.b:
            raise ValueError("a and b: choose two different worldviews")
        settings = load_scenario(self.a).settings
        try:
            parse_metric(self.metric, self.milestone).check(settings.start_year, settings.end_year)
            hybrids = planned_hybrids(self.a, self.b, self.by)
        except TakeoffValidationError as exc:
            raise ValueError(str(exc).replace("--metric", "metric")) from None
        dt = self.dt if self.dt is not None else settings.dt
        steps = max(1, round((settings.end_year - settings.start_year) / dt))
        if hybrids * self.n_samples * steps > MAX_CRUXES_WORK:
            raise ValueError(
                f"{hybrids} hybrid worldviews x {self.n_samples} samples x {steps} time steps "
                f"exceeds the server's limit of {MAX_CRUXES_WORK:,}; use fewer samples, a "
                "larger dt or by = block"
            )
        return self


class CruxesGroup(BaseModel):
    name: str
    parameters: list[str]
    shapley: float = Field(description="Shapley value, in the metric's unit.")
    se: float = Field(description="Bootstrap standard error of the Shapley value.")
    alone: float = Field(description="Change when the group alone is swapped into a.")
    last: float = Field(description="Change when the group is taken last out of b.")


class CruxesResponse(BaseModel):
    a: str
    b: str
    milestone: str
    metric: str
    unit: str
    n_samples: int
    seed: int
    value_a: float
    value_b: float
    total: float
    se_total: float
    censored: dict[str, float | None] = Field(description="Share never reaching it (median).")
    exact: bool
    orders: int
    coalitions: int
    groups: list[CruxesGroup] = Field(description="Largest |Shapley value| first.")
    sentences: list[str]
    titles: dict[str, str]
    colours: dict[str, str]
    elapsed_ms: float
    cached: bool


# ------------------------------------------------------------------ labs (docs/labs.md)

#: Bound on one labs request's demand paths: the Python API's own bound (docs/labs.md).
MAX_LABS_SAMPLES = LABS_MAX_SAMPLES


class LabsRequest(LabParams):
    """Amodei's compute-purchase dilemma: the lab's economics (every field optional, with the
    defaults and ranges of `takeoff labs`) and the purchase rules to compare."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        strict=True,
        allow_inf_nan=False,
        json_schema_extra={
            "examples": [{"buy_growth": [10, 5], "demand_growth": 5, "years": 4, "n_samples": 2000}]
        },
    )

    buy_growth: list[Annotated[float, Field(ge=0.2, le=50.0)]] = Field(
        [10.0, 5.0],
        min_length=1,
        max_length=8,
        description="Growth (x/yr) each strategy buys compute for, 0.2 to 50; 1 to 8 strategies.",
    )
    years: int = Field(4, ge=1, le=20, description="Years simulated after base_year (1 to 20).")
    n_samples: int = Field(
        2000, ge=1, le=MAX_LABS_SAMPLES, description=f"Demand paths, 1 to {MAX_LABS_SAMPLES:,}."
    )
    seed: int = Field(0, ge=0, le=2**32 - 1, description="Random seed (same seed, same result).")


class LabsResponse(BaseModel):
    params: dict[str, Any]
    n_samples: int
    seed: int
    years: list[int]
    quantiles: list[float]
    market: dict[str, Any] = Field(description="Cournot margin (Lerner index) and markup.")
    demand: dict[str, list[float | None]] = Field(description="p10/p50/p90 of demand, $B/yr.")
    shortfall: dict[str, Any] = Field(
        description="Planned revenue above which a 20% shortfall is fatal."
    )
    strategies: list[dict[str, Any]] = Field(
        description="Per purchase rule: probabilities and yearly bands."
    )
    elapsed_ms: float


# ------------------------------------------------------------ evidence (docs/evidence.md)

#: Most observations one update request may carry.
MAX_OBSERVATIONS = 20


class UpdateRequest(BaseModel):
    """A worldview's milestones after observations (likelihood-weighted Monte Carlo)."""

    scenario: Name = Field(description="A built-in worldview with parameter distributions.")
    observations: list[Annotated[str, Field(min_length=3, max_length=120)]] = Field(
        [],
        max_length=MAX_OBSERVATIONS,
        description="SERIES=VALUE@YEAR[±SD] each, as `takeoff update --observe` "
        f"(at most {MAX_OBSERVATIONS}); may be empty with what_if.",
    )
    what_if: bool = Field(
        False, description="Also the worldview's what-would-change-your-mind table."
    )
    n_samples: int = Field(
        2000,
        strict=True,
        ge=100,
        le=MAX_SAMPLES,
        description=f"Prior samples, 100 to {MAX_SAMPLES:,}.",
    )
    seed: int = Field(0, strict=True, ge=0, le=2**32 - 1, description="Random seed.")
    min_ess: Number = Field(
        100.0, ge=1.0, le=MAX_SAMPLES, description="Least effective sample size."
    )

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "scenario": "besiroglu-erdil",
                    "observations": ["openai_revenue=500B@2030±25%"],
                    "what_if": True,
                    "n_samples": 2000,
                }
            ]
        },
    )

    @field_validator("scenario")
    @classmethod
    def _scenario(cls, value):
        return check_scenario_name(value)

    @model_validator(mode="after")
    def _something(self):
        if not self.observations and not self.what_if:
            raise ValueError("give observations or what_if = true")
        return self


class UpdateResponse(BaseModel):
    scenario: str
    samples: int
    update: dict[str, Any] | None = Field(
        description="Observations (prior/posterior p10-p50-p90 of each), milestones "
        "(prior and posterior summaries), `cdf` (`years` and, per milestone, the prior and "
        "posterior P(reached by year) on them; not reached counts as not reached, so a CDF "
        "may end below 1), parameters moved, effective sample size."
    )
    what_if: dict[str, Any] | None = Field(description="The what-would-change-your-mind table.")
    elapsed_ms: float
    cached: bool = Field(description="Whether the prior Monte Carlo came from the cache.")


class ObservableInfo(BaseModel):
    """A series an observation of ``POST /api/update`` may name (SERIES=VALUE@YEAR[±SD])."""

    name: str
    unit: str
    scale: Literal["log", "linear"] = Field(
        description="log: log-normal error, a relative SD; linear: normal error in the unit."
    )
    default_sd: str = Field(description="The SD used when an observation gives none.")
    description: str
