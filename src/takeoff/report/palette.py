"""One colour per worldview, the same in the HTML report and in the playground.

The colours are the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), whose
eight colours stay distinct under the common forms of colour blindness (protanopia,
deuteranopia, tritanopia). They are ordered so that the first six, which the built-in
worldviews take, are the most distinct on white; yellow, the palest, comes last.

Built-in worldviews keep a fixed colour wherever they appear (the i-th built-in other
than ``default``, in name order, takes ``PALETTE[i]``; ``default`` is black), so
``amodei`` has one colour in every chart of the report and of the playground. Other
views (scenario files) take the colours no view of the same set already has. The
playground receives each built-in's colour in ``GET /api/scenarios`` and keeps
``PALETTE`` as a constant in ``app.js``, which a test checks against this list.
"""

from __future__ import annotations

from collections.abc import Sequence

#: Okabe-Ito: blue, orange, bluish green, reddish purple, sky blue, vermillion, black, yellow.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#000000",
    "#F0E442",
)
#: The colour of the ``default`` scenario (a reference, not a worldview).
DEFAULT_COLOUR = "#000000"


def builtin_colour(name: str, builtins: Sequence[str] | None = None) -> str | None:
    """A built-in worldview's fixed colour, or None if ``name`` is not a built-in.

    ``builtins`` is the list of built-in names (default: the installed ones); beyond
    seven built-ins besides ``default`` the colours repeat.
    """
    if builtins is None:
        from takeoff.scenarios.loader import builtin_names

        builtins = builtin_names()
    if name not in builtins:
        return None
    if name == "default":
        return DEFAULT_COLOUR
    others = [n for n in sorted(builtins) if n != "default"]
    usable = [c for c in PALETTE if c != DEFAULT_COLOUR]
    return usable[others.index(name) % len(usable)]


def view_colours(
    keys: Sequence[str], names: Sequence[str] | None = None, builtins: Sequence[str] | None = None
) -> list[str]:
    """A colour per view, in the order of ``keys``.

    ``names[i]`` is the scenario name of view i (default: ``keys``); a built-in keeps its
    fixed colour (:func:`builtin_colour`) unless an earlier view of this set already has
    it (the same built-in compared twice); every other view takes the first colour no
    view of the set has. With more views than colours, colours repeat in palette order.
    """
    names = list(keys) if names is None else list(names)
    fixed = [builtin_colour(n, builtins) for n in names]
    out: list[str | None] = []
    for colour in fixed:
        out.append(colour if colour is not None and colour not in out else None)
    spare = [c for c in PALETTE if c not in out]
    for i, colour in enumerate(out):
        if colour is None:
            out[i] = spare.pop(0) if spare else PALETTE[i % len(PALETTE)]
    return [str(c) for c in out]
