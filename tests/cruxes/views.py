"""Two small worldviews for crux tests: 20 + 5 tasks, dt 0.25, 2026-2050 (fast runs)."""

from __future__ import annotations

from pathlib import Path

SETTINGS = """
[simulation]
end_year = 2050
dt = 0.25
n_tasks = 20
n_rnd_tasks = 5
"""
FAST = (
    """
name = "fast-view"
[parameters]
full_automation_requirement = { dist = "lognormal", median = 1e31, sd_log10 = 0.5 }
flop_gap_oom = { dist = "lognormal", median = 3.0, sd_log10 = 0.1 }
diffusion_years = 1.5
[[correlations]]
between = ["full_automation_requirement", "flop_gap_oom"]
rank = 0.8
"""
    + SETTINGS
)
SLOW = (
    """
name = "slow-view"
[parameters]
full_automation_requirement = { dist = "lognormal", median = 1e34, sd_log10 = 0.7 }
flop_gap_oom = { dist = "lognormal", median = 4.0, sd_log10 = 0.1 }
diffusion_years = { dist = "lognormal", median = 6.0, sd_log10 = 0.15 }
task_substitution_rho = { dist = "uniform", low = -1.0, high = -0.2 }
[[correlations]]
between = ["full_automation_requirement", "flop_gap_oom"]
rank = 0.8
"""
    + SETTINGS
)


def write_views(folder: Path) -> tuple[str, str]:
    """(fast, slow) scenario file paths."""
    folder.mkdir(parents=True, exist_ok=True)
    fast, slow = folder / "fast.toml", folder / "slow.toml"
    fast.write_text(FAST)
    slow.write_text(SLOW)
    return str(fast), str(slow)
