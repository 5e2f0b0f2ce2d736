"""The report's "What would change each view's mind" section and `compare --json`'s
`what_if` (takeoff.evidence.whatif; docs/report.md)."""

from __future__ import annotations

import json

from takeoff.report.compare import compare_json, load_worldviews, run_worldviews
from takeoff.report.whatif_section import what_if_section


def test_sampled_views_with_cases_get_a_table_and_others_do_not():
    views = run_worldviews(load_worldviews(["amodei", "default"]), 300, 0)
    amodei, default = views
    assert default.what_if is None
    table = amodei.what_if
    assert table["milestone"] == "country_of_geniuses" and len(table["cases"]) == 4
    assert amodei.result.trajectories is None  # freed once the table is computed
    html = what_if_section(views)
    assert "country_of_geniuses" in html and "AI revenue grows 3x in 2027" in html
    for case in table["cases"]:
        if case["posterior"] is None:
            assert "too far in the prior" in html
        else:
            assert case["ess"] >= 100
    payload = compare_json(views)
    assert payload["worldviews"]["amodei"]["what_if"]["milestone"] == "country_of_geniuses"
    assert payload["worldviews"]["default"]["what_if"] is None
    json.dumps(payload, allow_nan=False)


def test_no_view_with_cases_says_so():
    views = run_worldviews(load_worldviews(["default"]), 5, 0)
    assert "None of the compared worldviews" in what_if_section(views)
