"""Where `run`, `mc`, `compare` and `classics` write (issue 14, items 1, 3 and 5).

Output paths are checked before any work; a scenario's name picks at most one safe
folder name inside takeoff-out/; an output folder is replaced whole or not at all.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from takeoff import io_safety
from takeoff.cli import app
from takeoff.io_safety import OUTPUT_NAMES, overrides_label, safe_folder_name

SHORT = ["--dt", "1", "--end-year", "2028"]


def invoke(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def cwd(tmp_path, monkeypatch) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def scenario(folder: Path, name: str) -> str:
    path = folder / "s.toml"
    path.write_text(f"name = {json.dumps(name)}\n[simulation]\nend_year = 2028\ndt = 1.0\n")
    return str(path)


def no_work(monkeypatch, target: str) -> None:
    """Make ``target`` (the expensive step) fail the test if it is ever reached."""

    def forbidden(*args, **kwargs):
        raise AssertionError(f"{target} ran before the output path was checked")

    monkeypatch.setattr(target, forbidden)


# ------------------------------------------------------------------ 1. the name


@pytest.mark.parametrize(
    "name, folder",
    [
        ("../../escaped", "escaped"),
        ("/tmp/absolute", "tmp-absolute"),
        (".hidden", "hidden"),
        ("..", "scenario"),
        ("my view: v2 (draft)", "my-view-v2-draft"),
        ("-rf", "rf"),
        ("ünïcode", "n-code"),
    ],
)
def test_the_name_picks_only_a_safe_folder_inside_takeoff_out(cwd, tmp_path, name, folder):
    assert safe_folder_name(name) == folder
    path = scenario(tmp_path, name)
    before = listing(tmp_path)
    result = invoke("run", path)
    assert result.exit_code == 0, result.output
    new = listing(tmp_path) - before
    assert new and all(
        p.startswith(f"work/takeoff-out/{folder}") or p == "work/takeoff-out" for p in new
    )
    assert (cwd / "takeoff-out" / folder / "chart.png").exists()
    assert not Path("/tmp/absolute").exists() and not (tmp_path.parent / "escaped").exists()


def test_folder_names_are_bounded_and_safe():
    for name in ("x" * 80, "a/" * 40, "\u202e" * 10 + "gpj.exe", "con", "~user"):
        slug = safe_folder_name(name)
        assert 0 < len(slug) <= 64 and not slug.startswith((".", "-"))
        assert all(c.isascii() and (c.isalnum() or c in "._-") for c in slug)


def test_set_runs_get_their_own_folder_and_title(cwd, monkeypatch):
    assert invoke("run", *SHORT).exit_code == 0
    plain = cwd / "takeoff-out" / "default"
    stamp = {p.name: p.read_bytes() for p in plain.iterdir()}
    titles = []
    import takeoff.report.charts as charts

    real_chart = charts.run_chart
    monkeypatch.setattr(
        charts,
        "run_chart",
        lambda result, path: (titles.append(result.scenario), real_chart(result, path)),
    )
    result = invoke("run", "--set", "diffusion_years=8", *SHORT)
    assert result.exit_code == 0, result.output
    folder, title = overrides_label("default", {"diffusion_years": 8.0})
    assert folder.startswith("default-set-") and folder != "default"
    assert (cwd / "takeoff-out" / folder / "chart.png").exists()
    assert titles == [title] and "--set diffusion_years=8" in title
    assert "default (--set diffusion_years=8)" in result.output  # the tables' titles too
    assert {p.name: p.read_bytes() for p in plain.iterdir()} == stamp  # the plain run is intact
    # same overrides, same folder; different overrides, another one
    assert overrides_label("default", {"diffusion_years": 8.0})[0] == folder
    assert overrides_label("default", {"diffusion_years": 9.0})[0] != folder


# ------------------------------------------------------------------ 3. paths checked first


@pytest.mark.parametrize(
    "args, target, fragment",
    [
        (["run", "--out", "afile", *SHORT], "takeoff.api.simulate", "is not a folder"),
        (["run", "--out", "afile/sub", *SHORT], "takeoff.api.simulate", "afile is a file"),
        (
            ["run", "--json", "--out", "afile/sub", *SHORT],
            "takeoff.api.simulate",
            "afile is a file",
        ),
        (["run", "--out", "a" * 300, *SHORT], "takeoff.api.simulate", "longer than"),
        (["run", "--out", "/proc/takeoff/x", *SHORT], "takeoff.api.simulate", "cannot write in"),
        (["run", "--out", "d/" * 2500, *SHORT], "takeoff.api.simulate", "File name too long"),
        (
            ["compare", "-n", "10", "--report", "d/" * 2500 + "r.html"],
            "takeoff.report.compare.run_worldviews",
            "File name too long",
        ),
        (
            ["classics", "kremer", "--plot", "d/" * 2500 + "k.png"],
            "takeoff.classics.kremer.reproduce",
            "File name too long",
        ),
        (
            ["mc", "-n", "5", "--out", "afile/x"],
            "takeoff.uncertainty.montecarlo.run_mc",
            "afile is a file",
        ),
        (
            ["mc", "-n", "5", "--out", "afile"],
            "takeoff.uncertainty.montecarlo.run_mc",
            "not a folder",
        ),
        (
            ["compare", "-n", "10", "--report", "afile/r.html"],
            "takeoff.report.compare.run_worldviews",
            "afile is a file",
        ),
        (
            ["compare", "-n", "10", "--report", "a" * 300 + ".html"],
            "takeoff.report.compare.run_worldviews",
            "longer than",
        ),
        (
            ["classics", "kremer", "--plot", "afile/k.png"],
            "takeoff.classics.kremer.reproduce",
            "afile is a file",
        ),
        (
            ["classics", "kremer", "--plot", "k"],
            "takeoff.classics.kremer.reproduce",
            "ending in .png",
        ),
        (
            ["classics", "kremer", "--plot", "folder"],
            "takeoff.classics.kremer.reproduce",
            "is a folder",
        ),
    ],
)
def test_output_paths_are_checked_before_the_work(cwd, monkeypatch, args, target, fragment):
    (cwd / "afile").write_text("not a folder")
    (cwd / "folder").mkdir()
    no_work(monkeypatch, target)
    before = listing(cwd)
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    assert fragment in result.output and result.output.count("\n") == 1, result.output
    assert listing(cwd) == before


def test_an_unwritable_folder_is_found_before_the_work(cwd, monkeypatch):
    """os.access says yes to root; the probe creates a file, as the write will."""

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(io_safety.tempfile, "mkstemp", denied)
    no_work(monkeypatch, "takeoff.api.simulate")
    result = invoke("run", "--out", "out", *SHORT)
    assert result.exit_code == 2
    assert "--out: cannot write in .: Permission denied" in result.output, result.output


def test_a_folder_with_other_files_is_not_replaced(cwd, monkeypatch):
    (cwd / "mine").mkdir()
    (cwd / "mine" / "notes.txt").write_text("keep me")
    no_work(monkeypatch, "takeoff.api.simulate")
    result = invoke("run", "--out", "mine", *SHORT)
    assert result.exit_code == 2 and "notes.txt" in result.output
    assert (cwd / "mine" / "notes.txt").read_text() == "keep me"
    result = invoke("run", "--out", ".", *SHORT)
    assert result.exit_code == 2 and "current folder" in result.output


def test_classics_plot_is_a_png_file(cwd):
    result = invoke("classics", "kremer", "--plot", "charts/kremer.png")
    assert result.exit_code == 0, result.output
    assert (cwd / "charts" / "kremer.png").read_bytes()[:4] == b"\x89PNG"
    assert listing(cwd) == {"charts", "charts/kremer.png"}  # no DIR.png, no temporary file


# ------------------------------------------------------------------ 5. all or nothing


def test_a_rerun_replaces_the_folder_whole(cwd):
    assert invoke("run", "--out", "out", "--format", "parquet", *SHORT).exit_code == 0
    assert invoke("run", "--out", "out", *SHORT).exit_code == 0
    names = {p.name for p in (cwd / "out").iterdir()}
    assert names == {"series.csv", "yearly.csv", "milestones.json", "chart.png"}  # no stale parquet
    assert names <= OUTPUT_NAMES
    assert listing(cwd) == {"out", *(f"out/{n}" for n in names)}  # no staging folders left
    mode = (cwd / "out").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o777 & ~umask


@pytest.mark.parametrize("fail_at", ["write", "swap"])
def test_a_failed_write_leaves_the_old_folder_as_it_was(cwd, monkeypatch, fail_at):
    assert invoke("run", "--out", "out", *SHORT).exit_code == 0
    old = {p.name: p.read_bytes() for p in (cwd / "out").iterdir()}
    if fail_at == "write":
        import takeoff.report.charts as charts

        def broken_chart(result, path):
            Path(path).write_bytes(b"half")
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(charts, "run_chart", broken_chart)
    else:
        real_rename = os.rename

        def rename(src, dst):
            if ".takeoff-" in str(src):  # the staging folder's move into place
                raise OSError(18, "Invalid cross-device link")
            return real_rename(src, dst)

        monkeypatch.setattr(io_safety.os, "rename", rename)
    result = invoke("run", "--out", "out", "--set", "diffusion_years=9", *SHORT)
    assert result.exit_code == 2 and "--out: cannot write out" in result.output, result.output
    assert {p.name: p.read_bytes() for p in (cwd / "out").iterdir()} == old
    assert listing(cwd) == {"out", *(f"out/{n}" for n in old)}


def test_a_failed_first_write_leaves_nothing(cwd, monkeypatch):
    import takeoff.report.charts as charts

    def broken_chart(result, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(charts, "run_chart", broken_chart)
    result = invoke("run", "--out", "deep/er/out", *SHORT)
    assert result.exit_code == 2 and "No space left" in result.output
    assert listing(cwd) == set()  # not even the parent folders it made


def test_mc_output_is_all_or_nothing(cwd):
    assert invoke("mc", "-n", "4", "--dt", "1", "--end-year", "2028", "--out", "mc").exit_code == 0
    assert (
        invoke(
            "mc", "-n", "4", "--dt", "1", "--end-year", "2028", "--out", "mc", "--format", "parquet"
        ).exit_code
        == 0
    )
    assert {p.name for p in (cwd / "mc").iterdir()} == {
        "milestones.parquet",
        "quantiles.parquet",
        "summary.json",
    }
