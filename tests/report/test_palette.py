"""One colour-blind-safe colour per worldview, the same in the report and the playground."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from takeoff.report.palette import DEFAULT_COLOUR, PALETTE, builtin_colour, view_colours

APP_JS = Path(__file__).resolve().parents[2] / "src" / "takeoff" / "web" / "static" / "app.js"
OKABE_ITO = {"#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"}
BUILTINS = ["amodei", "baumol-skeptic", "besiroglu-erdil", "default", "epoch-gate", "ftm",
            "software-explosion"]  # fmt: skip


def test_palette_is_okabe_ito_with_eight_distinct_colours():
    assert len(PALETTE) >= 8 and len(set(PALETTE)) == len(PALETTE)
    assert set(PALETTE) == OKABE_ITO
    assert all(re.fullmatch(r"#[0-9A-F]{6}", c) for c in PALETTE)


def test_every_builtin_has_its_own_colour_wherever_it_appears():
    colours = {name: builtin_colour(name, BUILTINS) for name in BUILTINS}
    assert len(set(colours.values())) == len(BUILTINS)
    assert colours["default"] == DEFAULT_COLOUR
    # the report's complaint: amodei and software-explosion must differ
    assert colours["amodei"] != colours["software-explosion"]
    # a view's colour does not depend on which others are compared, or in which order
    pair = view_colours(["software-explosion", "amodei"], builtins=BUILTINS)
    assert pair == [colours["software-explosion"], colours["amodei"]]
    assert builtin_colour("my-view", BUILTINS) is None


def test_other_views_take_colours_no_view_of_the_set_has():
    keys = [*BUILTINS, "mine"]
    colours = view_colours(keys, builtins=BUILTINS)
    assert len(set(colours)) == len(keys) == 8
    assert view_colours(["x", "y"], builtins=BUILTINS) == list(PALETTE[:2])
    # the same built-in twice (two files named alike): the second gets a free colour
    twice = view_colours(["amodei", "amodei-2"], ["amodei", "amodei"], builtins=BUILTINS)
    assert twice[0] == builtin_colour("amodei", BUILTINS) and twice[1] != twice[0]
    # beyond eight views colours repeat, but every view still gets one
    many = view_colours([f"v{i}" for i in range(11)], builtins=BUILTINS)
    assert len(many) == 11 and set(many) == set(PALETTE)


def test_the_playground_uses_the_same_list():
    text = APP_JS.read_text()
    match = re.search(r"const PALETTE = \[([^\]]*)\]", text)
    assert match, "app.js must define const PALETTE = [...]"
    assert re.findall(r'"(#[0-9A-Fa-f]{6})"', match[1]) == list(PALETTE)
    # the compare view colours each run by its worldview, not by its position
    assert "viewColour(r.scenario, i)" in text


def test_the_api_sends_each_builtin_its_colour():
    pytest.importorskip("fastapi")
    from takeoff.errors import TakeoffError
    from takeoff.scenarios.loader import builtin_names
    from takeoff.web.catalogue import scenario_payload

    checked = 0
    for name in builtin_names():
        try:
            payload = scenario_payload(name)
        except TakeoffError:  # a broken file is left out of /api/scenarios, not coloured
            continue
        assert payload["colour"] == builtin_colour(name)
        checked += 1
    assert checked
