"""Updating worldviews on observations with the integrated model: the API, the CLI,
simulation-based calibration, and clear refusals."""

from __future__ import annotations

import json
import re
from functools import cache

import numpy as np
import pytest
from scipy import stats
from typer.testing import CliRunner

from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.evidence.likelihood import weighted_cdf
from takeoff.evidence.observables import (
    load_observations,
    make_observation,
    parse_observation,
)
from takeoff.evidence.update import reweight
from takeoff.uncertainty.montecarlo import run_mc

runner = CliRunner()


@cache
def amodei_prior(samples: int = 800, seed: int = 0):
    return run_mc("amodei", samples, seed, keep_trajectories=True, end_year=2034)


def test_posterior_moves_toward_the_observation_and_is_reproducible():
    observation = parse_observation("ai_revenue_growth=4@2027±25%")
    result = reweight(amodei_prior(), [observation])
    again = reweight(run_mc("amodei", 800, 0, keep_trajectories=True, end_year=2034), [observation])
    np.testing.assert_array_equal(result.weights, again.weights)
    assert 100 <= result.ess < 800
    (fit,) = result.observation_fit()
    # The prior's median is ~10x; the posterior's is near the observed 4x.
    assert abs(np.log(fit["posterior"][1] / 4)) < 0.5 * abs(np.log(fit["prior"][1] / 4))
    # Slower revenue growth comes with later milestones in this worldview.
    table = result.milestone_table()["country_of_geniuses"]
    assert table["posterior"]["p50"] > table["prior"]["p50"]
    shifts = result.parameter_shifts()
    assert [abs(r["shift"]) for r in shifts] == sorted(
        (abs(r["shift"]) for r in shifts), reverse=True
    )
    json.dumps(result.to_dict(), allow_nan=False)


def test_milestone_cdfs_before_and_after():
    prior = amodei_prior()
    result = reweight(prior, [parse_observation("ai_revenue_growth=4@2027±25%")])
    cdf = result.to_dict()["cdf"]
    assert cdf["years"] == [float(y) for y in prior.years]
    assert set(cdf["milestones"]) == set(prior.milestones)
    table = result.milestone_table()
    for name, years in prior.milestones.items():
        pair = cdf["milestones"][name]
        assert set(pair) == {"prior", "posterior"}
        for key in ("prior", "posterior"):
            values = np.array(pair[key])
            assert values.shape == (len(cdf["years"]),)
            assert np.all((values >= 0) & (values <= 1)) and np.all(np.diff(values) >= 0)
            # the CDF at the end year is the share reached; at 2030 the table's P(by 2030)
            assert values[-1] == pytest.approx(table[name][key]["prob_reached"], abs=1e-4)
            assert values[cdf["years"].index(2030.0)] == pytest.approx(
                table[name][key]["prob_by"]["2030"], abs=1e-4
            )
        # the prior is the Monte Carlo's unweighted ECDF (as POST /api/montecarlo gives it)
        filled = np.where(np.isnan(years), np.inf, years)
        ecdf = np.mean(filled[:, None] <= prior.years[None, :] + 1e-9, axis=0)
        np.testing.assert_allclose(pair["prior"], ecdf, atol=1e-5)
        # the posterior is the weighted share, year by year
        weighted = (result.weights[:, None] * (filled[:, None] <= prior.years + 1e-9)).sum(0)
        np.testing.assert_allclose(pair["posterior"], weighted, atol=1e-5)
    # slower revenue growth: the headline milestone is less likely by 2030 afterwards
    geniuses = cdf["milestones"]["country_of_geniuses"]
    at = cdf["years"].index(2030.0)
    assert geniuses["posterior"][at] < geniuses["prior"][at]


def test_simulation_based_calibration_with_the_model():
    """Truths from an independent draw of the same prior; each yields a noisy AI-revenue
    observation in 2028; the posterior CDF of the truth's diffusion time (the parameter
    revenue moves most) at the truth is uniform."""
    prior = amodei_prior()
    truths = run_mc("amodei", 150, 1, keep_trajectories=True, end_year=2034)
    rng = np.random.default_rng(7)
    error_sd = 0.3
    template = make_observation("ai_revenue", 1e12, 2028.0, "35%")
    from takeoff.evidence.likelihood import model_values

    true_values = model_values(template, truths.years, truths.trajectories)
    observed = true_values * np.exp(rng.normal(0.0, error_sd, true_values.size))
    ranks = []
    for value, truth in zip(observed, truths.sampled["diffusion_years"], strict=True):
        observation = make_observation("ai_revenue", float(value), 2028.0)
        observation = type(observation)(observation.observable, 2028.0, float(value), error_sd)
        weights = reweight(prior, [observation], min_ess=1).weights
        ranks.append(weighted_cdf(prior.sampled["diffusion_years"], weights, [truth])[0])
    assert stats.kstest(ranks, "uniform").pvalue > 0.01


def test_refusals():
    prior = amodei_prior()
    with pytest.raises(ValidationError, match=r"effective sample size .* \(at least 100"):
        reweight(prior, [parse_observation("power_gw=5@2028±5%")])
    with pytest.raises(ValidationError, match="after the run's end year"):
        reweight(prior, [parse_observation("power_gw=50@2040")])
    deterministic = run_mc("default", 3, 0, keep_trajectories=True, end_year=2030)
    with pytest.raises(ValidationError, match="no parameter distributions"):
        reweight(deterministic, [parse_observation("power_gw=50@2028")])
    without = run_mc("amodei", 20, 0, end_year=2030)
    with pytest.raises(ValidationError, match="keep its trajectories"):
        reweight(without, [parse_observation("power_gw=50@2028")])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ai_revenue=5e11", "expected SERIES=VALUE@YEAR"),
        ("revenue=5e11@2030", "unknown series 'revenue'"),
        ("ai_revenue=-5@2030", "must be positive"),
        ("ai_revenue=5e11@2020", r"outside \[2026, 2100\]"),
        ("ai_revenue=5e11@2030±0%", "must be positive"),
        ("ai_revenue=5e11@2030±abc", "is not a number"),
        ("ai_revenue=nan@2030", "not a finite number"),
        ("ai_revenue_growth=3@2026.5", "year >= 2027"),
    ],
)
def test_bad_observations_are_named(text, message):
    with pytest.raises(ValidationError, match=message):
        parse_observation(text)


def test_observation_syntax():
    a = parse_observation("openai_revenue=500B@2030±30%")
    assert a.value == 5e11 and a.year == 2030 and a.sd == pytest.approx(np.log(1.3))
    b = parse_observation("power_gw = 100 @ 2028 +- 20")
    assert b.sd == pytest.approx(np.sqrt(np.log(1 + 0.2**2)))
    c = parse_observation("gwp_growth=0.05@2035")  # the series' default SD: 0.01
    assert c.sd == pytest.approx(0.01)


def test_observations_file(tmp_path):
    good = tmp_path / "obs.toml"
    good.write_text(
        '[[observe]]\nseries = "power_gw"\nyear = 2028\nvalue = 80\nsd = "20%"\n'
        'source = "news"\n[[observe]]\nseries = "ai_revenue"\nyear = 2027\nvalue = 4e11\n'
    )
    first, second = load_observations(good)
    assert first.source == "news" and second.sd == pytest.approx(np.log(1.25))
    for body, message in [
        ('[[observe]]\nseries = "power_gw"\nyear = 2028\n', "missing value"),
        ('[[observe]]\nseries = "power_gw"\nyear = 2028\nvalue = 1\ncolour = 1\n', "colour"),
        ("[[observe]\n", "malformed TOML"),
        ('title = "x"\n', "unknown key"),
    ]:
        bad = tmp_path / "bad.toml"
        bad.write_text(body)
        with pytest.raises(ValidationError, match=message):
            load_observations(bad)


def test_cli_update_json_and_out(tmp_path):
    out = tmp_path / "update.json"
    result = runner.invoke(
        app,
        [
            "update",
            "amodei",
            "--observe",
            "ai_revenue_growth=4@2027",
            "-n",
            "400",
            "--end-year",
            "2034",
            "--min-ess",
            "20",
            "--json",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload == json.loads(out.read_text())
    update = payload["update"]
    assert update["samples"] == 400 and 20 <= update["effective_sample_size"] <= 400
    assert set(update["milestones"]["automated_100pct"]) == {"prior", "posterior"}
    cdf = update["cdf"]
    assert cdf["years"][0] == 2026.0 and cdf["years"][-1] == 2034.0
    assert set(cdf["milestones"]) == set(update["milestones"])
    for pair in cdf["milestones"].values():
        assert len(pair["prior"]) == len(pair["posterior"]) == len(cdf["years"])


def test_cli_update_table_reads_p_by_year_off_the_cdfs():
    result = runner.invoke(
        app,
        ["update", "amodei", "--observe", "ai_revenue_growth=4@2027", "-n", "400"]
        + ["--end-year", "2034", "--min-ess", "20"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "P(by 2030)" in result.output and "P(by 2040)" not in result.output  # ends 2034
    row = next(line for line in result.output.splitlines() if "country_of_geniuses" in line)
    assert re.search(r"\d+% -> \d+%", row), row


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["update", "default", "--observe", "power_gw=50@2028", "-n", "5"], "no parameter"),
        (["update", "amodei"], "give observations"),
        (["update", "default", "--what-if"], "no hypothetical observations"),
        (["update", "amodei", "--observe", "power=5@2028"], "unknown series"),
        (["update", "amodei", "--observe", "power_gw=5@2028", "--min-ess", "0"], "--min-ess"),
        (["update", "amodei", "--observe", "power_gw=5@2040", "--end-year", "2035"], "end year"),
    ],
)
def test_cli_refuses_clearly(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
