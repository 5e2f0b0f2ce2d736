"""A seeded corpus of malformed and hostile scenario files (over 1,000) and ``--set``
values (over 300). Every case is invalid by construction and names what a correct
message must mention (the offending field, line or path).

``tests/robustness/fuzz_runner.py`` sends each through ``takeoff validate``, ``run``
and ``mc``; the cases below the level of fields (syntax, encodings, resources, paths)
are in ``fuzz_files.py``.
"""

from __future__ import annotations

import random

from takeoff.params.schema import registry
from tests.robustness.fuzz_files import (
    _encoding_cases,
    _path_cases,
    _resource_cases,
    _syntax_cases,
)
from tests.robustness.fuzz_toml import Case, Raw, _case, _with, base, to_toml

SEED = 14


# ---------------------------------------------------------------- scenario files


def _bad_scalars(spec, rng: random.Random) -> list[tuple[str, object]]:
    span = spec.high - spec.low
    options = [
        ("string", "fast"),
        ("numeric string", str(spec.default)),
        ("bool", True),
        ("list", [spec.default, spec.default]),
        ("empty list", []),
        ("nested list", [[spec.default]]),
        ("table without value", {"source": "x"}),
        ("nan", Raw("nan")),
        ("inf", Raw("inf")),
        ("-inf", Raw("-inf")),
        ("date", Raw("1979-05-27")),
        ("above range", spec.high + max(abs(spec.high), 1.0)),
        ("below range", spec.low - max(abs(span), 1.0)),
        ("huge int", int("9" * 300)),
        ("huge float", Raw("1e400")),
    ]
    return rng.sample(options, 6)


def _parameter_cases(rng: random.Random) -> list[Case]:
    cases = []
    for name, spec in registry().items():
        for label, value in _bad_scalars(spec, rng):
            doc = _with(("parameters", name), value)
            cases.append(_case("parameter value", f"{name}: {label}", doc, name))
        entries = [
            ("unit", {"value": spec.default, "unit": "furlongs"}),
            ("extra key", {"value": spec.default, "colour": "red"}),
            ("missing value", {"unit": spec.unit}),
            ("source int", {"value": spec.default, "source": 5}),
            ("note list", {"value": spec.default, "note": ["a"]}),
            ("value list", {"value": [spec.default]}),
            ("value string", {"value": "1"}),
        ]
        for label, entry in rng.sample(entries, 2):
            doc = _with(("parameters", name), entry)
            cases.append(_case("parameter table", f"{name}: {label}", doc, name))
        mid = spec.default
        wide = max(abs(spec.high), abs(spec.low), 1.0) * 1e9
        dists = [
            ("unknown dist", {"dist": "gaussian", "mean": mid, "sd": 1.0}),
            ("dist not a string", {"dist": 5}),
            ("missing keys", {"dist": "normal", "mean": mid}),
            ("negative sd", {"dist": "normal", "mean": mid, "sd": -1.0}),
            ("low above high", {"dist": "uniform", "low": spec.high, "high": spec.low}),
            ("nan sd", {"dist": "normal", "mean": mid, "sd": Raw("nan")}),
            ("string median", {"dist": "lognormal", "median": "1", "sd_log10": 0.1}),
            ("extra key", {"dist": "normal", "mean": mid, "sd": 1.0, "skew": 2.0}),
            ("median out of range", {"dist": "normal", "mean": spec.high + wide, "sd": 1.0}),
            (
                "little mass",
                {"dist": "percentiles", "p5": mid - wide, "p50": mid, "p95": mid + wide},
            ),
            ("unit", {"dist": "normal", "mean": mid, "sd": 1.0, "unit": "furlongs"}),
            ("source table", {"dist": "normal", "mean": mid, "sd": 1.0, "source": {"a": 1}}),
        ]
        for label, dist in rng.sample(dists, 4):
            doc = _with(("parameters", name), dist)
            cases.append(_case("distribution", f"{name}: {label}", doc, name))
    return cases


def _unknown_key_cases(rng: random.Random) -> list[Case]:
    cases = []
    names = list(registry())
    typos: set[str] = set()
    while len(typos) < 20:
        name = rng.choice(names)
        cut = rng.randrange(len(name))
        typo = name[:cut] + name[cut + 1 :] + "x"
        if typo in typos:
            continue
        typos.add(typo)
        cases.append(
            _case("unknown key", f"parameter {typo}", _with(("parameters", typo), 1.0), typo)
        )
    for key in (
        "paramters",
        "Name",
        "simulations",
        "correlation",
        "source",
        "version",
        "étoile",
        "a b",
    ):
        cases.append(
            _case("unknown key", f"top-level {key}", _with((key,), 1), key[:20], "top-level")
        )
    for key in ("dT", "end", "backend", "seed", "samples", "start", "n_task"):
        cases.append(_case("unknown key", f"simulation {key}", _with(("simulation", key), 1), key))
    for key in ("nonsense", "diffusion-years", ""):
        doc = {**base(), "sources": {key: "x"}}
        cases.append(_case("unknown key", f"sources {key!r}", doc, "sources"))
    doc = {**base(), "sources": {"diffusion_years": 5}}
    cases.append(_case("unknown key", "sources value int", doc, "sources"))
    cases.append(
        _case("unknown key", "sources not a table", {**base(), "sources": Raw("5")}, "sources")
    )
    cases.append(
        _case(
            "unknown key",
            "parameters not a table",
            {**base(), "parameters": Raw("[1]")},
            "parameters",
        )
    )
    many = base()
    for i in range(5000):
        many[f"k{i}"] = i
    cases.append(_case("unknown key", "5000 unknown keys", many, "top-level"))
    return cases


def _settings_cases() -> list[Case]:
    bad = {
        "dt": [0, -0.1, 5.0, 1e-9, "0.1", True, Raw("nan"), Raw("inf"), [0.1], 0.7, 0.3],
        "end_year": [
            2020,
            2026,
            1e9,
            2301,
            -1,
            "2100",
            Raw("inf"),
            2030.05,
            2026.1,
            2026.25,
            [2100],
        ],
        "start_year": [2026.5, -1e9, 1e9, 1999, 2101, 2040, "2026", Raw("nan"), 2030, False],
        "n_tasks": [0, 1, 2.5, 10**9, "100", -5, Raw("inf"), [100], 2001],
        "n_rnd_tasks": [0, 3.5, 10**12, "20", -1, True],
        "output_step": [0.3, 0.0, -1.0, 100.0, "1", Raw("nan"), 0.7],
    }
    # (the base runs 2026-2030 at dt 0.5: 2030 as start_year and 0.7, 0.3 as dt leave no
    # whole number of steps, or no steps at all)
    # A start year at or after the end year, or a step that does not divide the span, is
    # reported on end_year (the field that decides where the run stops).
    span_related = {("start_year", "2040"), ("start_year", "2030"), ("dt", "0.7"), ("dt", "0.3")}
    cases = []
    for key, values in bad.items():
        for value in values:
            expect = ("simulation.end_year",) if (key, repr(value)) in span_related else ()
            doc = _with(("simulation", key), value)
            cases.append(_case("settings", f"{key} = {value!r}", doc, f"simulation.{key}", *expect))
    cases.append(
        _case(
            "settings", "simulation not a table", {**base(), "simulation": Raw("1")}, "simulation"
        )
    )
    return cases


def _text_cases() -> list[Case]:
    bad = {
        "name": [
            5,
            "",
            "   ",
            "\t",
            "a\nb",
            "bell\u0007",
            "x" * 81,
            "x" * 200_000,
            ["a"],
            {"a": 1},
            True,
            Raw("1979-05-27"),
        ],
        "title": [5, ["a"], "a\nb", "x" * 201, "\u001b[31mred", False, {"a": "b"}],
        "description": [5, ["a"], "x" * 4001, "esc\u001b[2J", 1.5, {"a": 1}, "x" * 900_000],
    }
    cases = []
    for key, values in bad.items():
        for value in values:
            cases.append(
                _case("text field", f"{key} = {str(value)[:20]!r}", _with((key,), value), key)
            )
    cases.append(_case("text field", "name missing", _with(("name",), None, delete=True), "name"))
    for meta in ("source", "note"):
        for value in (1, ["a"], "x" * 2001, "a\u0000b"):
            entry = {"value": 4.0, meta: value}
            doc = _with(("parameters", "diffusion_years"), entry)
            cases.append(
                _case("text field", f"{meta} = {str(value)[:10]!r}", doc, "diffusion_years")
            )
    return cases


def _correlation_cases() -> list[Case]:
    sr, far = "software_returns", "full_automation_requirement"
    bad = [
        ({"between": [sr, far], "rank": 7.5}, "rank"),
        ({"between": [sr, far], "rank": -1.0001}, "rank"),
        ({"between": [sr, far], "rank": Raw("nan")}, "rank"),
        ({"between": [sr, far], "rank": Raw("inf")}, "rank"),
        ({"between": [sr, far], "rank": "0.5"}, "rank"),
        ({"between": [sr, far], "rank": True}, "rank"),
        ({"between": [sr, far], "rank": int("9" * 350)}, "rank"),
        ({"between": [sr, far]}, "rank"),
        ({"between": [sr, "nonsense_param"], "rank": 0.5}, "nonsense_param"),
        ({"between": [sr, "diffusion_years"], "rank": 0.5}, "diffusion_years"),
        ({"between": [sr, sr], "rank": 0.5}, sr),
        ({"between": [sr], "rank": 0.5}, "between"),
        ({"between": [sr, far, far], "rank": 0.5}, "between"),
        ({"between": sr, "rank": 0.5}, "between"),
        ({"between": [1, 2], "rank": 0.5}, "between"),
        ({"between": [sr, far], "rank": 0.5, "colour": 1}, "correlations"),
        ({"between": [sr, far], "rank": 0.5, "source": 5}, "correlations"),
        ({"rank": 0.5}, "between"),
    ]
    cases = []
    for entry, expect in bad:
        doc = base()
        doc["correlations"] = [entry]
        cases.append(_case("correlations", f"{entry}"[:60], doc, "correlations", expect))
    doc = base()
    doc["correlations"].append({"between": [far, sr], "rank": 0.2})
    cases.append(_case("correlations", "pair given twice", doc, "correlations"))
    doc = base()
    doc["parameters"]["diffusion_years"] = {"dist": "uniform", "low": 1.0, "high": 9.0}
    doc["correlations"] = [
        {"between": [sr, far], "rank": 0.95},
        {"between": [sr, "diffusion_years"], "rank": 0.95},
        {"between": [far, "diffusion_years"], "rank": -0.95},
    ]
    cases.append(_case("correlations", "not positive semi-definite", doc, "correlations"))
    for raw in ("5", '"a"', "[1, 2]", "{ between = 1 }"):
        text = to_toml({k: v for k, v in base().items() if k != "correlations"})
        text = f"correlations = {raw}\n" + text
        cases.append(_case("correlations", f"correlations = {raw}", text, "correlations"))
    doc = base()
    doc["parameters"]["software_returns"] = {"dist": "point", "value": 1.2}
    cases.append(_case("correlations", "correlated point value", doc, "software_returns"))
    return cases


def _cross_cases() -> list[Case]:
    combos = [
        ({"experiment_compute_share": 0.6, "rnd_inference_share": 0.5}, "experiment_compute_share"),
        ({"experiment_compute_share": 0.9, "rnd_inference_share": 0.1}, "experiment_compute_share"),
        ({"rnd_compute_shift": 0.6, "experiment_compute_shift": 0.6}, "rnd_compute_shift"),
        ({"ai_capex_ceiling": 0.5, "ai_capex_ceiling_max": 0.1}, "ai_capex_ceiling"),
        ({"capital_2026": 1e16}, "capital_2026"),
        ({"capital_2026": 9e15, "gwp_2026": 2e13}, "capital_2026"),
        (
            {"capital_2026": 1e13, "baseline_gwp_growth": 0.0, "capital_depreciation": 0.0},
            "capital_2026",
        ),
    ]
    cases = []
    for values, expect in combos:
        doc = base()
        doc["parameters"].update(values)
        cases.append(_case("constraint", ", ".join(values), doc, expect))
    # The Monte Carlo samples break a constraint the point values keep.
    doc = base()
    doc["parameters"]["capital_2026"] = {"dist": "uniform", "low": 5e14, "high": 1e16}
    cases.append(_case("constraint", "capital_2026 samples", doc, "capital_2026"))
    doc = base()
    doc["parameters"]["experiment_compute_share"] = {"dist": "uniform", "low": 0.1, "high": 0.9}
    doc["parameters"]["rnd_inference_share"] = 0.5
    cases.append(_case("constraint", "share samples", doc, "experiment_compute_share"))
    return cases


def scenario_cases(seed: int = SEED) -> list[Case]:
    """Every malformed or hostile scenario input (over 1,000), in a fixed order."""
    rng = random.Random(seed)
    return [
        *_parameter_cases(rng),
        *_unknown_key_cases(rng),
        *_settings_cases(),
        *_text_cases(),
        *_correlation_cases(),
        *_cross_cases(),
        *_syntax_cases(rng),
        *_encoding_cases(rng),
        *_resource_cases(),
        *_path_cases(),
    ]


# ---------------------------------------------------------------- --set values


def set_cases(seed: int = SEED) -> list[tuple[str, str, tuple[str, ...]]]:
    """(label, --set text, expected substrings): over 300 malformed overrides."""
    rng = random.Random(seed + 1)
    specs = registry()
    names = list(specs)
    values = [
        "",
        " ",
        "abc",
        "inf",
        "-inf",
        "Infinity",
        "nan",
        "NaN",
        "1_0",
        "1__0",
        "١٠",  # Arabic-Indic digits
        "٥",
        "５",  # fullwidth
        "५",  # Devanagari
        "0x10",
        "0b1",
        "1e",
        "e5",
        "1e5.5",
        "--5",
        "+-5",
        "5,0",
        "1,000",
        "5%",
        "5 years",
        "1/2",
        "2**3",
        "(5)",
        "5j",
        "\u00a05",  # no-break space
        "5\u2003",  # em space
        "5\x00",
        "5\n6",
        "1e999",
        "-1e999",
        "9" * 70,
        "1" + "0" * 5000,
        "true",
        "None",
        "[1, 2]",
        "{1}",
        "'5'",
        '"5"',
        ".",
        "-.e1",
        "1.2.3",
    ]
    cases = []
    for value in values:
        for name in rng.sample(names, 6):
            cases.append((f"{name}={value[:12]!r}", f"{name}={value}", (name,)))
    for name in rng.sample(names, 30):
        spec = specs[name]
        high = spec.high * 10 + 1 if spec.high > 0 else spec.high + 1
        low = spec.low - max(abs(spec.high - spec.low), 1.0)
        cases.append((f"{name} above range", f"{name}={high:.6g}", (name,)))
        cases.append((f"{name} below range", f"{name}={low:.6g}", (name,)))
    names_bad = [
        ("no =", "diffusion_years", ("--set",)),
        ("empty name", "=5", ("--set",)),
        ("unknown name", "nonsense=5", ("nonsense",)),
        ("typo", "diffusion_yeras=5", ("diffusion_yeras",)),
        ("name with space", "diffusion years=5", ("diffusion years",)),
        ("unicode name", "diffusion_yéars=5", ("diffusion_y",)),
        ("double =", "diffusion_years==5", ("diffusion_years",)),
        ("long name", "x" * 10_000 + "=5", ("xxxx",)),
        ("long value", "diffusion_years=" + "5" * 10_000, ("diffusion_years",)),
        ("control name", "diffusion\x1b_years=5", ("diffusion",)),
        ("only =", "=", ("--set",)),
        ("empty", "", ("--set",)),
    ]
    cases.extend(names_bad)
    return cases
