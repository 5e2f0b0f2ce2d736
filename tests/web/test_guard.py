"""Host checking, the JSON pre-scan, the server's limits from the environment, and the
layout: the web package never imports the command line."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import takeoff  # noqa: E402
from takeoff.errors import ValidationError  # noqa: E402
from takeoff.web.guard import MAX_JSON_DEPTH, HostGuard, json_problem  # noqa: E402
from takeoff.web.limits import Limits  # noqa: E402
from takeoff.web.server import create_app  # noqa: E402
from takeoff.web.serving import server_hosts  # noqa: E402

SRC = Path(takeoff.__file__).resolve().parent


@pytest.mark.parametrize(
    ("header", "ok"),
    [
        ("localhost", True),
        ("localhost:8000", True),
        ("LocalHost.", True),
        ("127.0.0.1:1", True),
        ("[::1]", True),
        ("[::1]:8000", True),
        ("localhost:", True),
        ("evil.example", False),
        ("localhost.evil.example", False),
        ("evil.example:8000", False),
        ("127.0.0.2", False),
        ("[::2]", False),
        ("::1", False),
        ("[::1", False),
        ("localhost:80@evil.example", False),
        ("localhost:123456", False),
        ("local host", False),
        ("", False),
        (None, False),
    ],
)
def test_loopback_names_only_by_default(header, ok):
    guard = HostGuard(None, ["localhost", "127.0.0.1", "[::1]"])
    assert guard.allows(header) is ok


def test_extra_names_wildcards_and_any():
    guard = HostGuard(None, ["localhost", "Play.Example.org.", "*.lab.example", "::5"])
    assert guard.allows("play.example.org:8000")
    assert guard.allows("a.lab.example") and guard.allows("b.a.lab.example")
    assert not guard.allows("lab.example") and not guard.allows("evil-lab.example")
    assert guard.allows("[::5]:80")
    assert HostGuard(None, ["*"]).allows("anything.example")


def test_the_bind_address_is_allowed_unless_a_wildcard():
    assert server_hosts("0.0.0.0") == [] and server_hosts("::") == []
    assert server_hosts("192.168.1.5", ["a.example"]) == ["a.example", "192.168.1.5"]
    assert server_hosts("fe80::1") == ["[fe80::1]"]


def test_create_app_answers_to_configured_hosts(monkeypatch):
    monkeypatch.setenv("TAKEOFF_WEB_ALLOWED_HOSTS", "env.example, other.example")
    app = create_app(Limits(backend="numpy"), ["arg.example"])
    with TestClient(app, base_url="http://arg.example") as client:
        assert client.get("/api/health").status_code == 200
        for host in ("env.example", "other.example:81", "127.0.0.1"):
            assert client.get("/api/health", headers={"host": host}).status_code == 200
        r = client.get("/api/health", headers={"host": "rebind.example"})
        assert r.status_code == 400
        assert r.json()["detail"][0]["loc"] == ["header", "host"]
        assert "localhost" in r.json()["detail"][0]["msg"]


def test_json_problem_names_the_top_level_field():
    deep = "[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1)
    assert json_problem(json.dumps({"dt": 1}).encode()) is None
    assert json_problem(f'{{"dt": 1, "series": {deep}}}'.encode())[0] == ["body", "series"]
    assert json_problem(deep.encode())[0] == ["body"]
    assert json_problem(('{"seed": ' + "7" * 5000 + "}").encode())[0] == ["body", "seed"]
    # long numbers that Python parses, and brackets inside strings, are fine
    assert json_problem(('{"dt": 0.' + "1" * 5000 + "}").encode()) is None
    assert json_problem(('{"pad": "' + "[" * 5000 + '"}').encode()) is None
    legit = {"overrides": {f"p{i}": 1.5e30 for i in range(200)}, "series": ["gwp"] * 64}
    assert json_problem(json.dumps(legit).encode()) is None


def test_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("TAKEOFF_WEB_BODY_SECONDS", "2.5")
    monkeypatch.setenv("TAKEOFF_WEB_MAX_CONNECTIONS", "7")
    monkeypatch.setenv("TAKEOFF_WEB_BACKEND", "numpy")
    limits = Limits.from_env()
    assert limits.body_seconds == 2.5 and limits.max_connections == 7
    assert limits.header_seconds == Limits.header_seconds
    for bad in ("soon", "-1", "nan", "inf"):
        monkeypatch.setenv("TAKEOFF_WEB_HEADER_SECONDS", bad)
        with pytest.raises(ValidationError, match="TAKEOFF_WEB_HEADER_SECONDS"):
            Limits.from_env()


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_import_cycle_between_the_cli_and_the_web_package():
    for path in sorted((SRC / "web").glob("*.py")):
        assert not {n for n in _imports(path) if n.startswith("takeoff.cli")}, path.name
    below = _imports(SRC / "serialise.py")
    assert not {n for n in below if n.startswith(("takeoff.cli", "takeoff.web"))}
    code = (
        "import sys, takeoff.web.server, takeoff.web.compute; "
        "assert 'takeoff.cli' not in sys.modules, 'the web package loaded the CLI'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_cli_and_server_serialise_runs_the_same_way():
    import math

    from takeoff import cli, serialise
    from takeoff.web import compute

    assert cli.result_json is serialise.result_json is compute.result_json
    assert serialise.finite_list([1, math.nan, math.inf, -2.5]) == [1.0, None, None, -2.5]
    result = takeoff.simulate("default", dt=1.0, end_year=2030)
    payload = serialise.result_json(result)
    assert payload["series"]["year"] == [2026.0, 2027.0, 2028.0, 2029.0, 2030.0]
    assert json.dumps(payload, allow_nan=False)


def test_serve_passes_allowed_hosts_to_the_server(monkeypatch):
    """`takeoff serve --allowed-host NAME` (repeatable) reaches web.server.serve."""
    from typer.testing import CliRunner

    from takeoff import cli
    from takeoff.web import server

    seen = {}
    monkeypatch.setattr(server, "serve", lambda **kwargs: seen.update(kwargs))
    result = CliRunner().invoke(
        cli.app,
        ["serve", "--allowed-host", "lab.example.org", "--allowed-host", "*.corp", "--port", "9"],
    )
    assert result.exit_code == 0, result.output
    assert seen == {"host": "127.0.0.1", "port": 9, "allowed_hosts": ["lab.example.org", "*.corp"]}
