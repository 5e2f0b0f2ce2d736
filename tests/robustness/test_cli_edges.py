"""New-user rough edges (issue 14, item 7): install hints, --help, --version, classics
tables, the README's script and the message for workers that cannot start."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

import takeoff
from takeoff import parallel
from takeoff.cli import app
from takeoff.errors import ValidationError
from takeoff.scenarios.loader import builtin_names

ROOT = Path(__file__).resolve().parents[2]


def invoke(*args: str):
    return CliRunner().invoke(app, list(args))


def test_serve_without_the_web_extra_shows_the_whole_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "takeoff.web.server", None)  # import fails
    result = invoke("serve")
    assert result.exit_code == 2
    assert "pip install 'takeoff[web]'" in result.output  # "[web]" was eaten as markup
    assert "pip install -e '.[web]'" in result.output


def test_jax_hint_keeps_its_brackets(monkeypatch):
    monkeypatch.setattr("takeoff.model.engine.setup.find_spec", lambda name: None)
    result = invoke("run", "--backend", "jax", "--end-year", "2027")
    assert result.exit_code == 2 and "pip install 'takeoff[jax]'" in result.output


def test_user_text_in_messages_is_not_markup(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text('name = "x"\n"[bold]" = 1\n')
    result = invoke("validate", str(path))
    assert result.exit_code == 2 and "['[bold]']" in result.output


def test_version_and_builtins_in_help():
    result = invoke("--version")
    assert result.exit_code == 0 and result.output.strip() == f"takeoff {takeoff.__version__}"
    text = " ".join(invoke("--help").output.split())
    for name in builtin_names():
        assert name in text


def test_classics_tables_are_tables_not_dicts():
    result = invoke("classics", "kremer")
    assert result.exit_code == 0
    assert "{'" not in result.output and "..." not in result.output
    assert "from_minus_200.slope" in result.output
    assert "period_weighted.all.slope" in result.output


def test_classics_cases_get_a_table_of_their_own():
    from takeoff.classics import ClassicResult
    from takeoff.report.tables import classic_tables

    result = ClassicResult(
        name="demo",
        values={
            "growth": 0.02,
            "ci": [0.01, 0.03],
            "cases": [{"phi": 0.5, "fit": {"r2": 0.9}}, {"phi": 0.25, "fit": {"r2": 0.8}}],
            "curve": {"years": [1, 2, 3], "p": [0.1, 0.2, 0.3]},
            "label": "[red]not markup",
        },
        published={"growth": 0.02},
    )
    tables = classic_tables(result)
    assert [str(t.title) for t in tables] == ["classics: demo", "demo: cases", "demo: curve"]
    main, cases, curve = tables
    assert main.row_count == 3 and cases.row_count == 2 and curve.row_count == 3
    assert [c.header for c in cases.columns] == ["quantity", "case 1", "case 2"]
    from rich.console import Console

    console = Console(record=True, width=120)
    console.print(main)
    assert "[red]not markup" in console.export_text()


def test_readme_python_snippet_runs_workers_under_the_main_guard():
    text = (ROOT / "README.md").read_text()
    start = text.index("```python\n") + len("```python\n")
    code = text[start : text.index("```", start)]
    tree = ast.parse(code)
    guards = [
        node
        for node in tree.body
        if isinstance(node, ast.If) and "__main__" in ast.unparse(node.test)
    ]
    assert guards, "the README's script needs an `if __name__ == '__main__':` guard"
    for node in tree.body:  # nothing at module level starts worker processes
        if not isinstance(node, ast.FunctionDef | ast.If):
            assert "workers" not in ast.unparse(node), ast.unparse(node)


def test_a_script_from_stdin_is_told_what_to_do(monkeypatch):
    monkeypatch.setattr(sys.modules["__main__"], "__file__", "<stdin>", raising=False)
    with pytest.raises(ValidationError, match=r"save it to a file and run `python FILE.py`"):
        with parallel.worker_pool(2):
            pass


@pytest.mark.timeout(120)
def test_piped_script_fails_with_the_message_not_a_broken_pool():
    script = textwrap.dedent(
        """
        import numpy as np
        import takeoff

        if __name__ == "__main__":
            big = {"diffusion_years": np.linspace(1, 10, 1000)}
            takeoff.simulate(overrides=big, end_year=2027, output_step=1.0, workers=2)
        """
    )
    done = subprocess.run(
        [sys.executable, "-"], input=script, capture_output=True, text=True, timeout=110
    )
    assert done.returncode != 0
    assert "python FILE.py" in done.stderr.splitlines()[-1], done.stderr[-500:]


def test_names_and_sources_that_look_like_markup_are_printed_as_given(tmp_path, monkeypatch):
    """'[/]' in a name or source used to raise Rich's MarkupError (a traceback)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.toml").write_text(
        'name = "[/]"\n[simulation]\nend_year = 2028\ndt = 1.0\n[parameters]\n'
        'diffusion_years = { value = 5.0, source = "[/x] see [1]" }\n'
        'software_returns = { dist = "lognormal", median = 1.2, sd_log10 = 0.1 }\n'
    )
    for args, shown in (
        (["run", "s.toml"], "Milestones — [/]"),
        (["run", "s.toml", "--out", "out[/]"], "wrote out[/]/chart.png"),
        (["params", "s.toml"], "[/x] see [1]"),
        (["mc", "s.toml", "-n", "3"], "Monte Carlo — [/]"),
        (["compare", "s.toml", "-n", "3"], "[/]"),
    ):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
        assert shown in result.output, (args, result.output)
