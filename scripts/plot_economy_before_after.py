"""Before/after plots of the economy (issue 10): the review's commit against this tree.

    python scripts/plot_economy_before_after.py            # writes docs/img/economy_before_after.png

"Before" is commit 0d96745 (the review's), run from a temporary git worktree; "after" is
the checked-out code. Each runs the point (median) parameters of the default scenario and
two worldviews. Consumption before is Y (1 - s_K) - capex spent, since that model did not
compute it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BEFORE = "0d96745"
VIEWS = ("default", "amodei", "besiroglu-erdil")
SERIES = ("gwp", "gwp_growth", "wage", "labour_share", "ai_capex_share", "consumption")

RUN = """
import json, sys, numpy as np, takeoff
out = {}
for name in sys.argv[1:]:
    r = takeoff.simulate(name, output_step=0.5)
    s = {k: v[:, 0].tolist() for k, v in r.series.items()}
    if "consumption" not in s:  # before: no resource constraint
        p = r.parameters
        saving = float(p["capital_2026"][0] / p["gwp_2026"][0]
                       * (p["baseline_gwp_growth"][0] + p["capital_depreciation"][0]))
        s["consumption"] = (np.array(s["gwp"]) * (1 - saving) - np.array(s["ai_capex"])).tolist()
    s["years"] = r.years.tolist()
    out[name] = s
print(json.dumps(out))
"""


def run(source: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN, *VIEWS],
        env={"PYTHONPATH": str(source), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "-q", tmp, BEFORE], check=True)
        try:
            before = run(Path(tmp) / "src")
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", tmp], check=True
            )
    after = run(ROOT / "src")
    fig, axes = plt.subplots(2, 3, figsize=(14, 8), constrained_layout=True)
    colours = dict(zip(VIEWS, ("C0", "C1", "C2"), strict=True))
    for ax, name in zip(axes.flat, SERIES, strict=True):
        for view in VIEWS:
            for data, style, label in ((before, "--", "before"), (after, "-", "after")):
                years = np.array(data[view]["years"])
                values = np.abs(np.array(data[view][name]))
                ax.plot(years, values, style, color=colours[view], label=f"{view} ({label})")
        ax.set_title(name)
        ax.set_yscale("log")
        ax.set_xlim(2026, 2060)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"Economy before ({BEFORE}, dashed) and after (solid): point runs")
    out = ROOT / "docs" / "img" / "economy_before_after.png"
    fig.savefig(out, dpi=110)
    print(out)


if __name__ == "__main__":
    main()
