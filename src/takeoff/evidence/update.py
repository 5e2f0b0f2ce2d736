"""Updating a worldview on observations: likelihood-weighted Monte Carlo.

``update(scenario, observations)`` runs the worldview's Monte Carlo (its prior), weights
each sample by the likelihood of the observations (``takeoff.evidence.likelihood``) and
reports the milestone distributions before and after (percentiles, P(by year) and the
whole CDF of each milestone's year on the run's year grid), the effective sample size and
which sampled parameters the evidence moved. Reweighting needs no new simulation, so
:func:`reweight` can try many hypothetical observations on one Monte Carlo (the
"what would change your mind" tables of ``takeoff.evidence.whatif``).

How far a parameter moved is measured on the prior's own scale: the share of prior
samples below the posterior median, minus 1/2 (``shift``; +0.3 means the posterior
median sits at the prior's 80th percentile), which needs no unit and treats log-scaled
and linear parameters alike.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from takeoff.errors import ValidationError
from takeoff.evidence.likelihood import (
    effective_sample_size,
    log_likelihood,
    model_values,
    normalised_weights,
    weighted_cdf,
    weighted_quantiles,
    weighted_year_cdf,
    weighted_year_summary,
)
from takeoff.evidence.observables import Observation
from takeoff.uncertainty.montecarlo import BY_YEARS, MCResult

#: Samples the prior Monte Carlo draws unless asked otherwise.
DEFAULT_SAMPLES = 4000
#: Least effective sample size a posterior is reported with.
DEFAULT_MIN_ESS = 100.0


@dataclass
class UpdateResult:
    """The prior Monte Carlo, the observations and each sample's posterior weight."""

    scenario: str
    n_samples: int
    seed: int
    end_year: float
    observations: list[Observation]
    weights: np.ndarray  # (n,), sums to 1
    milestones: dict[str, np.ndarray]  # name -> (n,) years, NaN = not reached
    sampled: dict[str, np.ndarray]  # sampled parameter -> (n,)
    fitted: dict[str, np.ndarray]  # observation label -> model value per sample (n,)
    years: np.ndarray  # the run's year grid (whole years), where the milestone CDFs are given

    @property
    def prior_weights(self) -> np.ndarray:
        """Every sample weighted 1/n: the prior."""
        return np.full(self.n_samples, 1.0 / self.n_samples)

    @property
    def ess(self) -> float:
        return effective_sample_size(self.weights)

    def milestone_table(self) -> dict[str, dict]:
        """Per milestone: {"prior": summary, "posterior": summary} (weighted_year_summary)."""
        equal = self.prior_weights
        return {
            name: {
                "prior": weighted_year_summary(years, equal, self.end_year, BY_YEARS),
                "posterior": weighted_year_summary(years, self.weights, self.end_year, BY_YEARS),
            }
            for name, years in self.milestones.items()
        }

    def milestone_cdfs(self) -> dict:
        """P(reached by year) on the run's year grid, per milestone, before (equal
        weights) and after (the posterior weights) the evidence (``weighted_year_cdf``;
        never reached counts as not reached, so a CDF may end below 1):
        {"years": [...], "milestones": {name: {"prior": [...], "posterior": [...]}}}."""
        equal = self.prior_weights

        def rounded(cdf: np.ndarray) -> list[float]:
            return [round(float(p), 5) for p in cdf]

        return {
            "years": [round(float(y), 6) for y in self.years],
            "milestones": {
                name: {
                    "prior": rounded(weighted_year_cdf(years, equal, self.years)),
                    "posterior": rounded(weighted_year_cdf(years, self.weights, self.years)),
                }
                for name, years in self.milestones.items()
            },
        }

    def parameter_shifts(self) -> list[dict]:
        """Per sampled parameter: prior and posterior p10/p50/p90 and ``shift`` (module
        docstring), largest |shift| first."""
        equal = self.prior_weights
        rows = []
        for name, values in self.sampled.items():
            prior = weighted_quantiles(values, equal, (0.1, 0.5, 0.9))
            posterior = weighted_quantiles(values, self.weights, (0.1, 0.5, 0.9))
            below = weighted_cdf(values, equal, [posterior[1]])[0]
            rows.append(
                {
                    "parameter": name,
                    "prior": [float(v) for v in prior],
                    "posterior": [float(v) for v in posterior],
                    "shift": round(float(below - 0.5), 4),
                }
            )
        return sorted(rows, key=lambda row: -abs(row["shift"]))

    def observation_fit(self) -> list[dict]:
        """Per observation: the observed value and the model's prior and posterior
        p10/p50/p90 of it."""
        equal = self.prior_weights
        rows = []
        for observation in self.observations:
            values = self.fitted[observation.label]
            rows.append(
                {
                    "observation": observation.label,
                    "unit": observation.observable.unit,
                    "observed": observation.value,
                    "sd": observation.sd,
                    "scale": observation.observable.scale,
                    "prior": [
                        _finite(v) for v in weighted_quantiles(values, equal, (0.1, 0.5, 0.9))
                    ],
                    "posterior": [
                        _finite(v)
                        for v in weighted_quantiles(values, self.weights, (0.1, 0.5, 0.9))
                    ],
                }
            )
        return rows

    def to_dict(self) -> dict:
        """Everything a report or the API shows, as plain JSON-ready values."""
        return {
            "scenario": self.scenario,
            "samples": self.n_samples,
            "seed": self.seed,
            "effective_sample_size": round(self.ess, 1),
            "observations": self.observation_fit(),
            "milestones": self.milestone_table(),
            "cdf": self.milestone_cdfs(),
            "parameters": self.parameter_shifts(),
        }


def _finite(value) -> float | None:
    return float(value) if np.isfinite(value) else None


def observed_series(observations: list[Observation]) -> set[str]:
    """The model series the observations need."""
    return {name for o in observations for name in o.observable.series}


def check_answerable(
    scenario: str, has_distributions: bool, end_year: float, observations: list[Observation]
) -> None:
    """Refuse observations a worldview's Monte Carlo cannot answer: none at all, a worldview
    whose samples are all the same run, or a year after the run's end."""
    if not has_distributions:
        raise ValidationError(
            f"update: {scenario} has no parameter distributions, so every sample is the "
            "same run and observations cannot move it; choose a worldview with distributions "
            "(`takeoff scenarios`)"
        )
    if not observations:
        raise ValidationError("update: give at least one observation")
    for observation in observations:
        if observation.year > end_year:
            raise ValidationError(
                f"observation {observation.label}: year {observation.year:g} is after the "
                f"run's end year {end_year:g}"
            )


def reweight(
    mc: MCResult, observations: list[Observation], *, min_ess: float = DEFAULT_MIN_ESS
) -> UpdateResult:
    """Posterior weights of ``mc``'s samples (run with ``keep_trajectories=True``) given
    ``observations``; a ValidationError when the ESS falls below ``min_ess``."""
    if mc.trajectories is None:
        raise ValidationError("update: the Monte Carlo must keep its trajectories")
    check_answerable(mc.scenario, bool(mc.sampled), mc.end_year, observations)
    fitted = {o.label: model_values(o, mc.years, mc.trajectories) for o in observations}
    weights = normalised_weights(log_likelihood(observations, mc.years, mc.trajectories))
    result = UpdateResult(
        scenario=mc.scenario,
        n_samples=mc.n_samples,
        seed=mc.seed,
        end_year=mc.end_year,
        observations=list(observations),
        weights=weights,
        milestones=mc.milestones,
        sampled=mc.sampled,
        fitted=fitted,
        years=np.asarray(mc.years, dtype=float),
    )
    ess = result.ess
    if not ess >= min_ess:
        raise ValidationError(
            f"update: the observations leave an effective sample size of {ess:.1f} of "
            f"{mc.n_samples:,} samples (at least {min_ess:g} is needed): they lie far in the "
            f"tail of {mc.scenario}'s prior. Use more samples, a wider SD (±...), or fewer "
            "observations"
        )
    return result


def update(
    scenario,
    observations: list[Observation],
    n_samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    *,
    min_ess: float = DEFAULT_MIN_ESS,
    end_year: float | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> UpdateResult:
    """Run ``scenario``'s Monte Carlo and weight it by ``observations`` (:func:`reweight`).

    The run ends at ``end_year`` (default: the scenario's) and must reach every
    observation's year.
    """
    from takeoff.uncertainty.montecarlo import run_mc

    if not (isinstance(min_ess, int | float) and not isinstance(min_ess, bool) and min_ess >= 1):
        raise ValidationError(f"min_ess: {min_ess!r} must be a number >= 1")
    if not observations:
        raise ValidationError("update: give at least one observation")
    mc = run_mc(
        scenario,
        n_samples,
        seed,
        keep_trajectories=True,
        end_year=end_year,
        workers=workers,
        progress=progress,
    )
    return reweight(mc, observations, min_ess=min_ess)
