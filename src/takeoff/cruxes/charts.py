"""Charts of crux analyses (PNG): the attribution waterfall and the sensitivity tornado.

Colours are from the Okabe-Ito palette, which stays distinct under the common forms of
colour blindness.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
UP, DOWN, ENDS = "#D55E00", "#0072B2", "#7f7f7f"


def waterfall(att, path: str | Path) -> Path:
    """From metric(A) (top) through each group's Shapley value to metric(B) (bottom).

    Each group's bar runs from the running total before it to the total after it, with
    +-1 SE; the circle marks what the group adds swapped alone into A, the cross what it
    adds taken last out of B (the two one-at-a-time bounds).
    """
    m, order = att.metric, att.ranked()
    s = m.scale
    labels = [f"{att.a}"] + [att.groups[g].name for g in order] + [f"{att.b}"]
    fig, ax = plt.subplots(figsize=(9, 1.2 + 0.5 * len(labels)))
    level = att.value_a
    xs = [att.value_a, att.value_b]
    ax.barh(0, s * level, color=ENDS, height=0.6)
    for row, g in enumerate(order, start=1):
        phi = att.shapley[g]
        ax.barh(row, s * phi, left=s * level, color=UP if phi >= 0 else DOWN, height=0.6)
        ax.errorbar(s * (level + phi), row, xerr=s * att.se[g], color="k", capsize=3, lw=1)
        ax.plot(s * (level + att.alone[g]), row, "o", color="k", mfc="white", ms=6)
        ax.plot(s * (level + att.last[g]), row, "x", color="k", ms=6)
        xs += [level, level + att.alone[g], level + att.last[g]]
        level += phi
    ax.barh(len(labels) - 1, s * att.value_b, color=ENDS, height=0.6)
    # Bars of absolute values would start at 0 (year 0): zoom on where the steps are.
    pad = 0.1 * max(abs(att.total), np.ptp(xs), 1e-9)
    ax.set_xlim(s * (min(xs) - pad), s * (max(xs) + pad))
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel(f"{m.label} ({m.unit})")
    ax.plot([], [], "o", color="k", mfc="white", label=f"swapped alone into {att.a}")
    ax.plot([], [], "x", color="k", label=f"taken last out of {att.b}")
    ax.legend(loc="upper right", fontsize=8)
    how = "exact" if att.exact else f"{att.orders} sampled orders"
    ax.set_title(
        f"Why {att.a} and {att.b} differ: Shapley attribution ({how}, "
        f"{att.n_samples} samples per hybrid)",
        fontsize=10,
    )
    return _save(fig, path)


def tornado(sens, path: str | Path) -> Path:
    """Per output, total (light) and first-order (dark) indices with 95% intervals; and
    the convergence of the milestone year's total indices with the base sample size."""
    outputs = list(sens.outputs.values())
    rows = len(outputs) + 1
    fig, axes = plt.subplots(rows, 1, figsize=(9, rows * (1.2 + 0.35 * len(sens.groups))))
    for ax, ix in zip(axes, outputs, strict=False):
        order = ix.ranked()
        names = [sens.groups[g].name for g in order]
        y = np.arange(len(order))
        ax.barh(
            y,
            np.nan_to_num(ix.ST[order]),
            xerr=np.nan_to_num(ix.ST_conf[order]),
            color="#56B4E9",
            label="total ST",
        )
        ax.barh(
            y,
            np.nan_to_num(ix.S1[order]),
            height=0.4,
            xerr=np.nan_to_num(ix.S1_conf[order]),
            color="#0072B2",
            label="first-order S1",
        )
        ax.set_yticks(y, names, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, 1.05)
        note = f"; never reached: {ix.censored:.0%}" if ix.censored else ""
        ax.set_title(f"{ix.label}{note}", fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    ax = axes[-1]
    year = outputs[0]
    for g, group in enumerate(sens.groups):
        ns = [n for n, _, _ in year.convergence]
        ax.plot(
            ns,
            [st[g] for _, _, st in year.convergence],
            "o-",
            color=OKABE_ITO[g % 7],
            label=group.name,
        )
    ax.set_xscale("log", base=2)
    ax.set_xlabel("base samples N")
    ax.set_ylabel("total index ST")
    ax.set_title("convergence (milestone year)", fontsize=9)
    ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(1.01, 0.5))
    fig.suptitle(f"Sensitivity within {sens.scenario} ({sens.runs} runs)", fontsize=10)
    return _save(fig, path)


def _save(fig, path) -> Path:
    path = Path(path)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
