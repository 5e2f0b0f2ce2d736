#!/usr/bin/env python
"""Generate the parameter and milestone tables of docs/model.md from the shipped data.

Every row comes from ``src/takeoff/params/parameters.toml`` (parameters) or
``src/takeoff/model/engine/milestones.toml`` (milestones); nothing is typed by hand. The
tables live in docs/model.md between marker comments::

    <!-- BEGIN GENERATED: params:compute -->  ...  <!-- END GENERATED: params:compute -->
    <!-- BEGIN GENERATED: milestones -->      ...  <!-- END GENERATED: milestones -->

Usage (from the repository root)::

    python scripts/gen_param_tables.py            # print every table to stdout
    python scripts/gen_param_tables.py --write    # rewrite the tables inside docs/model.md
    python scripts/gen_param_tables.py --check    # exit 1 if docs/model.md is out of date

``--check`` also fails when a registry block has no table in the document and (if
``takeoff`` is importable) when the outputs table in the document does not list
exactly the series that ``takeoff.simulate()`` returns, or when a cited name
(``takeoff.module.function``, ``Constants.field``, ``State.field``) does not exist.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAMETERS = ROOT / "src" / "takeoff" / "params" / "parameters.toml"
MILESTONES = ROOT / "src" / "takeoff" / "model" / "engine" / "milestones.toml"
DOC = ROOT / "docs" / "model.md"

#: Symbol used for each parameter in docs/model.md (notation only; no values here).
SYMBOLS = {
    "gwp_2026": r"$Y_0$",
    "capital_2026": r"$K_0$",
    "labour_force_2026": r"$L_0$",
    "largest_training_run_2026": r"$C_{T,0}$",
    "installed_ai_compute_2026": r"$Q_0$",
    "ai_capex_share_2026": r"$s_0$",
    "hardware_price_performance_2026": r"$h_0$",
    "energy_efficiency_2026": r"$e_0$",
    "algorithmic_progress_2026": r"$g_{S,0}$",
    "metr_horizon_2026": r"$M_0$",
    "ai_revenue_2026": "(check only)",
    "ai_researchers_2026": r"$H_0$",
    "baseline_gwp_growth": r"$g$",
    "labour_force_growth": r"$n$",
    "capital_share": r"$\alpha$",
    "capital_task_rho": r"$\rho_K$",
    "capital_depreciation": r"$\delta_K$",
    "capital_adjustment_rate": r"$\kappa_K$",
    "compute_adjustment_rate": r"$\kappa_C$",
    "max_investment_share": r"$s_{max}$",
    "task_substitution_rho": r"$\rho$",
    "cognitive_task_share": r"$\omega$",
    "physical_extra_oom": r"$\Delta_P$",
    "hardware_growth_2026": r"$g_{h,0}$",
    "hardware_research_elasticity": r"$\lambda_h$",
    "hardware_returns": r"$r_h$",
    "hardware_ceiling_oom": r"$O_h$",
    "energy_efficiency_growth": r"$g_e$",
    "energy_efficiency_ceiling_oom": r"$O_e$",
    "compute_depreciation": r"$\delta_Q$",
    "cost_of_capital": r"$i$",
    "electricity_price": r"$p_{el}$",
    "ai_capex_growth": r"$g_s$",
    "ai_capex_plan_revision": r"$\lambda_s$",
    "ai_capex_ceiling": r"$s_c$",
    "ai_capex_value_response": r"$k_v$",
    "ai_capex_ceiling_max": r"$s_{hard}$",
    "experiment_compute_share": r"$c_x$",
    "rnd_inference_share": r"$c_r$",
    "software_returns": r"$r$",
    "research_parallelism": r"$\lambda$",
    "research_substitution_rho": r"$\rho_r$",
    "research_labour_weight": r"$w$",
    "software_ceiling_oom": r"$O_S$",
    "human_researcher_growth": r"$n_H$",
    "ai_research_speed": r"$v$",
    "rnd_task_substitution_rho": r"$\rho_R$",
    "full_automation_requirement": r"$T_{100}$",
    "flop_gap_oom": r"$G$",
    "rnd_easier_oom": r"$\Delta_R$",
    "horizon_doublings_per_oom": r"$k$",
    "horizon_doubling_difficulty": r"$d$",
    "runtime_flop_per_worker": r"$F_0$",
    "runtime_spread_oom": r"$\sigma_F$",
    "runtime_efficiency_exponent": r"$\epsilon$",
    "diffusion_years": r"$\tau$",
    "rnd_diffusion_years": r"$\tau_R$",
    "automation_cap": r"$a_{max}$",
    "ai_power_ceiling_gw": r"$P_{max}$",
    "supply_planning_growth": r"$g_{plan}$",
    "supply_spare_capacity": r"$m$",
    "chip_lead_time": r"$L_C$",
    "chip_capacity_max_growth": r"$g_C$",
    "ai_share_of_leading_edge_2026": r"$\sigma_{2026}$",
    "leading_edge_growth": r"$g_{R_C}$",
    "leading_edge_max_growth": r"$g_{W,C}$",
    "chip_supply_elasticity": r"$\eta_C$",
    "chip_cost_share": r"$s_C$",
    "power_lead_time": r"$L_G$",
    "power_capacity_max_growth": r"$g_G$",
    "world_power_generation_gw": r"$R_P(0)$",
    "world_power_growth": r"$g_{R_P}$",
    "world_power_max_growth": r"$g_{W,P}$",
    "power_supply_elasticity": r"$\eta_P$",
    "power_cost_share": r"$s_P$",
    "datacentre_lead_time": r"$L_D$",
    "datacentre_capacity_max_growth": r"$g_D$",
    "ai_work_share_2026": r"$s_{AI,0}$",
    "ai_automatable_share_2026": r"$s_{a,0}$",
}


def number(value: float) -> str:
    """Compact number: 0.35, 3000, 1.15e14, 1e-05 -> 1e-5."""
    value = float(value)
    if value == 0:
        return "0"
    text = f"{value:g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def cell(text: str) -> str:
    """Make free text safe inside a Markdown table cell (pipes and dollar signs escaped)."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    # A bare "$" (dollars) would open inline math on GitHub.
    return text.replace("$", "\\$")


def load_parameters() -> dict[str, dict]:
    return tomllib.loads(PARAMETERS.read_text())


def load_milestones() -> dict[str, dict]:
    return tomllib.loads(MILESTONES.read_text())


def parameter_table(block: str, params: dict[str, dict]) -> str:
    rows = [
        "| parameter | symbol | unit | default | allowed range | plausible range | meaning | source |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, spec in params.items():
        if spec["block"] != block:
            continue
        low, high = spec["range"]
        p_low, p_high = spec["plausible"]
        rows.append(
            "| "
            + " | ".join(
                [
                    f"`{name}`",
                    SYMBOLS.get(name, ""),
                    cell(spec["unit"]),
                    number(spec["default"]),
                    f"[{number(low)}, {number(high)}]",
                    f"[{number(p_low)}, {number(p_high)}]",
                    cell(spec["description"]),
                    cell(spec["source"]),
                ]
            )
            + " |"
        )
    return "\n".join(rows)


def milestone_table(milestones: dict[str, dict]) -> str:
    rows = [
        "| milestone | reached when (all conditions hold) | description | source |",
        "|---|---|---|---|",
    ]
    for name, entry in milestones.items():
        conditions = []
        for cond in entry["conditions"]:
            scale = " (log interpolation)" if cond.get("scale", "linear") == "log" else ""
            conditions.append(f"`{cond['series']}` ≥ {number(cond['at_least'])}{scale}")
        rows.append(
            f"| `{name}` | {'; '.join(conditions)} | {cell(entry.get('description', ''))} | "
            f"{cell(entry.get('source', '')) or '—'} |"
        )
    return "\n".join(rows)


def tables() -> dict[str, str]:
    """Marker key -> generated Markdown."""
    params = load_parameters()
    blocks = list(dict.fromkeys(spec["block"] for spec in params.values()))
    out = {f"params:{block}": parameter_table(block, params) for block in blocks}
    out["milestones"] = milestone_table(load_milestones())
    return out


def marker_pattern(key: str) -> re.Pattern:
    return re.compile(
        rf"(<!-- BEGIN GENERATED: {re.escape(key)} -->\n)(.*?)(<!-- END GENERATED: {re.escape(key)} -->)",
        re.S,
    )


def render(doc: str, generated: dict[str, str]) -> tuple[str, list[str]]:
    """Replace every marked region; returns (new text, keys without markers)."""
    missing = []
    for key, table in generated.items():
        pattern = marker_pattern(key)
        if not pattern.search(doc):
            missing.append(key)
            continue
        doc = pattern.sub(lambda m, t=table: m.group(1) + t + "\n" + m.group(3), doc)
    return doc, missing


def documented_series(doc: str) -> set[str]:
    match = re.search(r"<!-- series:begin -->(.*?)<!-- series:end -->", doc, re.S)
    if not match:
        return set()
    return set(re.findall(r"^\| `([a-z0-9_]+)` \|", match.group(1), re.M))


def check_series(doc: str) -> list[str]:
    try:
        import takeoff
    except ImportError:  # pragma: no cover - the check is optional without the package
        return []
    names = set(takeoff.simulate(end_year=2027).series)
    listed = documented_series(doc)
    problems = []
    if names - listed:
        problems.append(f"series missing from the outputs table: {sorted(names - listed)}")
    if listed - names:
        problems.append(f"outputs table lists unknown series: {sorted(listed - names)}")
    return problems


def check_references(doc: str) -> list[str]:
    """Names cited in backticks (``takeoff.a.b.c``, ``Constants.x``, ``State.x``) must exist."""
    try:
        import importlib

        from takeoff.model.engine.state import Constants, State
    except ImportError:  # pragma: no cover - the check is optional without the package
        return []
    problems = []
    for name in sorted(set(re.findall(r"`(takeoff(?:\.\w+)+)`", doc))):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                problems.append(f"cites {name}, which does not exist")
            break
    fields = {"Constants": set(Constants.__dataclass_fields__), "State": set(dir(State))}
    for owner, field in sorted(set(re.findall(r"`(Constants|State)\.(\w+)`", doc))):
        if field not in fields[owner]:
            problems.append(f"cites {owner}.{field}, which does not exist")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="rewrite the tables in docs/model.md")
    mode.add_argument("--check", action="store_true", help="fail if docs/model.md is stale")
    args = parser.parse_args(argv)
    generated = tables()
    if not (args.write or args.check):
        for key, table in generated.items():
            print(f"<!-- {key} -->\n{table}\n")
        return 0
    doc = DOC.read_text()
    new, missing = render(doc, generated)
    if args.write:
        DOC.write_text(new)
        for key in missing:
            print(f"warning: no markers for {key} in {DOC}", file=sys.stderr)
        return 0
    problems = [f"no markers for {key}" for key in missing]
    if new != doc:
        problems.append("generated tables are out of date (run with --write)")
    problems += check_series(doc)
    problems += check_references(doc)
    for problem in problems:
        print(f"{DOC.relative_to(ROOT)}: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
