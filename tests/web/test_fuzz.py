"""A corpus of malformed and hostile requests (tests/web/fuzz.py) against every endpoint.

Every answer must be below 500; every 4xx must be JSON (``detail``: loc, msg, type)
naming the field at fault; no answer may show a traceback or a path of this machine.
CI runs the first FUZZ_CI cases (every kind of request, well under a minute);
TAKEOFF_FUZZ_ALL=1 runs all FUZZ_ALL of them.
"""

from __future__ import annotations

import collections
import os
import warnings

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("httpx")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from takeoff.web.server import Limits, create_app  # noqa: E402
from tests.web.fuzz import KINDS, check, corpus  # noqa: E402

FUZZ_ALL = 10_000
FUZZ_CI = 2_000


def send(client, case):
    content = case.body
    if case.chunked and content is not None:
        body = content
        content = (body[i : i + 8192] for i in range(0, len(body), 8192))
    return client.request(case.method, case.url, content=content, headers=list(case.headers))


def run_corpus(cases) -> tuple[list[str], collections.Counter]:
    failures, statuses = [], collections.Counter()
    with TestClient(
        create_app(Limits(backend="numpy")),
        base_url="http://localhost",
        raise_server_exceptions=False,
        follow_redirects=False,
    ) as client:
        for case in cases:
            r = send(client, case)
            statuses[r.status_code] += 1
            why = check(case, r.status_code, r.headers.get("content-type", ""), r.text)
            if why:
                failures.append(f"{why} <- {case.describe()}")
    return failures, statuses


def test_the_corpus_is_seeded_and_covers_every_kind():
    assert corpus(200) == corpus(200)
    assert corpus(200, seed=1) != corpus(200)
    kinds = collections.Counter(case.kind for case in corpus(FUZZ_CI))
    assert set(kinds) == {k.__name__ for k in KINDS}
    assert min(kinds.values()) >= FUZZ_CI // len(KINDS)


def test_hostile_requests_get_json_4xx_naming_the_field():
    n = FUZZ_ALL if os.environ.get("TAKEOFF_FUZZ_ALL") else FUZZ_CI
    cases = corpus(n)
    failures, statuses = run_corpus(cases)
    assert sum(statuses.values()) == n >= 1_000
    assert not failures, f"{len(failures)} of {n} failed:\n" + "\n".join(failures[:25])
    assert sum(v for k, v in statuses.items() if k >= 500) == 0
    # the corpus is hostile: most requests are refused
    assert sum(v for k, v in statuses.items() if 400 <= k < 500) > 0.9 * n


def test_the_checker_catches_what_it_should():
    """The judge itself fails a 500, a plain-text 4xx, a 4xx not naming the field, a leak."""
    from tests.web.fuzz import LEAKS, Case

    case = Case("x", "POST", "/api/run", b"{}", status=frozenset({422}), field="dt")
    good = '{"detail": [{"loc": ["body", "dt"], "msg": "bad", "type": "t"}]}'
    assert check(case, 422, "application/json", good) is None
    assert check(case, 500, "application/json", good)
    assert check(case, 400, "application/json", good)
    assert check(case, 422, "text/plain", good)
    assert check(case, 422, "application/json", good.replace('"dt"', '"end_year"'))
    assert check(case, 422, "application/json", '{"detail": "dt"}')
    assert check(case, 422, "application/json", good.replace("bad", f"bad {LEAKS[1]}x"))
