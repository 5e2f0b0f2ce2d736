"""What the playground's metadata endpoints return: scenarios, parameters, milestones and
the labels of series (no computation; see ``compute.py`` for the runs)."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("takeoff.web")

#: The parameters the playground shows as sliders, most influential first.
KEY_PARAMETERS = (
    "full_automation_requirement",
    "flop_gap_oom",
    "software_returns",
    "research_substitution_rho",
    "task_substitution_rho",
    "diffusion_years",
    "ai_capex_ceiling",
    "ai_capex_growth",
    "automation_cap",
    "runtime_flop_per_worker",
    "physical_extra_oom",
    "algorithmic_progress_2026",
)

#: Series the compare view returns by default.
COMPARE_SERIES = (
    "automatable_share",
    "automated_share",
    "gwp_growth",
    "gwp",
    "ai_compute",
    "power_gw",
    "ai_capex_share",
    "wage",
    "time_horizon_minutes",
)

#: Milestones drawn as markers on the time axis of the playground's charts.
MARKER_MILESTONES = (
    "automated_coder",
    "automated_20pct",
    "automated_50pct",
    "country_of_geniuses",
    "remote_work_automated",
    "explosive_growth",
    "automated_100pct",
)

#: Labels and units of the series (others are shown by name).
SERIES_INFO: dict[str, tuple[str, str, bool]] = {
    "gwp": ("Gross world product", "$/yr", True),
    "gwp_growth": ("GWP growth", "1/yr (fraction)", False),
    "gwp_per_worker": ("GWP per worker", "$/yr", True),
    "automatable_share": ("Tasks automatable", "share of tasks", False),
    "automated_share": ("Tasks automated", "share of tasks", False),
    "cognitive_automatable_share": ("Cognitive tasks automatable", "share", False),
    "cognitive_automated_share": ("Cognitive tasks automated", "share", False),
    "rnd_automatable_share": ("AI R&D tasks automatable", "share", False),
    "rnd_automated_share": ("AI R&D tasks automated", "share", False),
    "rnd_compute_share": ("AI compute running AI researchers", "share of AI compute", False),
    "ai_compute": ("Installed AI compute", "FLOP/s", True),
    "power_gw": ("AI power draw", "GW", True),
    "ai_capex_share": ("AI capex", "share of GWP", False),
    "ai_capex": ("AI capex", "$/yr", True),
    "cost_per_gw_year": ("Cost per GW-year", "$/GW-yr", True),
    "power_capacity_gw": ("Power available to AI", "GW", True),
    "datacentre_capacity_gw": ("Data-centre capacity", "GW", True),
    "chip_capacity": ("AI chip output capacity", "FLOP/s per yr", True),
    "chip_markup": ("Chip cost multiplier", "x 2026", True),
    "power_markup": ("Power cost multiplier", "x 2026", True),
    "hardware_cost_factor": ("All-in compute cost multiplier", "x 2026", True),
    "binding_supply": (
        "Binding supply limit",
        "0 none, 1 chips, 2 power, 3 data centres, 4 cap",
        False,
    ),
    "chip_shadow_price": ("Chip scarcity rent", "$ per PFLOP/s-yr", False),
    "power_shadow_price": ("Power scarcity rent", "$ per W-yr", False),
    "datacentre_shadow_price": ("Data-centre scarcity rent", "$ per W-yr", False),
    "consumption": ("Consumption", "$/yr", True),
    "effective_training_compute": ("Largest run, effective", "FLOP (2026 algorithms)", True),
    "largest_training_run": ("Largest training run", "FLOP", True),
    "software_efficiency": ("Software efficiency", "x 2026", True),
    "hardware_price_performance": ("Hardware price-performance", "FLOP/s per $", True),
    "energy_efficiency": ("Energy efficiency", "FLOP/s per W", True),
    "time_horizon_minutes": ("METR 50% time horizon", "minutes", True),
    "ai_workers": ("AI workers", "worker-equivalents at market prices", True),
    "ai_researchers": ("AI researchers", "researcher-equivalents at market prices", True),
    "expert_equivalents": ("Expert-equivalents runnable", "instances", True),
    "wage": ("Wage", "$/worker/yr", True),
    "labour_share": ("Labour share", "share of GWP", False),
    "ai_output_share": ("AI share of output", "share of GWP", False),
    "ai_revenue": ("AI revenue", "$/yr", True),
    "labour_force": ("Labour force", "workers", True),
    "capital": ("Capital", "$", True),
}


def settings_dict(settings) -> dict[str, float]:
    return {
        "start_year": float(settings.start_year),
        "end_year": float(settings.end_year),
        "dt": float(settings.dt),
    }


# ------------------------------------------------------------------ metadata


def series_info(name: str) -> dict[str, Any]:
    label, unit, log = SERIES_INFO.get(name, (name.replace("_", " "), "", False))
    return {"name": name, "label": label, "unit": unit, "log_scale": log}


def milestones_payload() -> list[dict[str, Any]]:
    from takeoff.model.engine.milestones import default_milestones

    return [
        {
            "name": m.name,
            "description": m.description,
            "source": m.source,
            "conditions": [
                {"series": c.series, "at_least": c.at_least, "scale": c.scale} for c in m.conditions
            ],
        }
        for m in default_milestones().values()
    ]


def scenario_payload(name: str) -> dict[str, Any]:
    from takeoff.report.palette import builtin_colour
    from takeoff.scenarios.loader import load_scenario

    s = load_scenario(name)
    return {
        "name": s.name,
        # the same colour as in the HTML report (takeoff.report.palette)
        "colour": builtin_colour(name),
        "title": s.title,
        "description": s.description,
        "settings": settings_dict(s.settings),
        "values": dict(s.values),
        "distributions": {k: dict(v) for k, v in s.distributions.items()},
        "sources": dict(s.sources),
        "n_correlations": len(s.correlations),
    }


def scenarios_payload() -> list[dict[str, Any]]:
    from takeoff.errors import TakeoffError
    from takeoff.scenarios.loader import builtin_names

    names = builtin_names()
    ordered = (["default"] if "default" in names else []) + [n for n in names if n != "default"]
    out = []
    for name in ordered:
        try:
            out.append(scenario_payload(name))
        except TakeoffError as exc:  # one broken file must not hide the others
            log.warning("scenario %s is not listed: %s", name, exc)
    return out


def parameters_payload(scenario: str) -> list[dict[str, Any]]:
    from takeoff.params.schema import registry
    from takeoff.scenarios.loader import load_scenario

    s = load_scenario(scenario)
    values = s.point_values()
    out = []
    for name, spec in registry().items():
        out.append(
            {
                "name": name,
                "block": spec.block,
                "unit": spec.unit,
                "default": spec.default,
                "value": float(values.get(name, spec.default)),
                "range": [spec.low, spec.high],
                "plausible": list(spec.plausible),
                "log_scale": spec.log_scale,
                "description": spec.description,
                "source": spec.source,
                "scenario_source": s.sources.get(name),
                "distribution": s.distributions.get(name),
                "key": name in KEY_PARAMETERS,
            }
        )
    return out
