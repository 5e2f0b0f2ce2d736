"""Where the commands write, checked before the work starts, and writes that are all or nothing.

* Output paths (``--out``, ``--report``, ``--plot``) are checked before any simulation:
  a path at or under an existing file, a name too long or a folder that cannot be
  written fails in a second, not after a minute of Monte Carlo.
* A scenario's ``name`` never decides where files go beyond one safe folder name
  (:func:`safe_folder_name`): ``name = "../../x"`` stays inside ``takeoff-out/``.
* An output folder is filled in a temporary sibling and renamed into place; an old
  one is renamed aside first and deleted after, so the folder never holds a mix of
  new and stale files (:func:`staged_folder`). Single files go through a temporary
  file and ``os.replace`` (:func:`staged_file`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from takeoff.errors import ValidationError
from takeoff.scenarios.files import display_path

#: Files that ``run`` and ``mc`` write: an existing folder holding only these (or
#: nothing) is an earlier output and may be replaced; any other file stops the command.
OUTPUT_NAMES = frozenset(
    f"{stem}.{ext}"
    for stem in ("series", "yearly", "milestones", "quantiles", "trajectories")
    for ext in ("csv", "parquet")
) | {"milestones.json", "summary.json", "chart.png"}

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_folder_name(name: str, limit: int = 64) -> str:
    """``name`` as one folder name of [A-Za-z0-9._-], no leading dot or dash."""
    slug = _UNSAFE.sub("-", name).lstrip(".-")[:limit].rstrip(".-")
    return slug or "scenario"


def overrides_label(name: str, overrides: dict[str, float]) -> tuple[str, str]:
    """(folder name, chart title) for a run with ``--set``: distinct from the plain run's,
    and the same folder for the same overrides (a short hash of them)."""
    canonical = ";".join(f"{key}={value!r}" for key, value in sorted(overrides.items()))
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:8]
    folder = f"{safe_folder_name(name, 48)}-set-{digest}"
    shown = ", ".join(f"{key}={value:g}" for key, value in overrides.items())
    if len(shown) > 80:
        shown = shown[:79] + "…"
    return folder, f"{name} (--set {shown})"


def _check_parents(path: Path, option: str) -> None:
    """Every existing ancestor of ``path`` must be a folder, and the folder that will
    receive the new entry must be writable."""
    for candidate in (path, *path.parents):
        try:
            info = os.stat(candidate)
        except (FileNotFoundError, NotADirectoryError):  # not there yet, or under a file
            continue
        except OSError as exc:
            raise ValidationError(
                f"{option}: cannot use {display_path(path)}: {exc.strerror or exc}"
            ) from None
        if candidate != path and not stat.S_ISDIR(info.st_mode):
            raise ValidationError(
                f"{option}: {display_path(candidate)} is a file, so nothing can be written under it"
            )
        _probe_writable(candidate if candidate != path else path.parent, option)
        return


def _probe_writable(folder: Path, option: str) -> None:
    # os.access says yes to root on a read-only file system; creating a file does not lie.
    try:
        fd, probe = tempfile.mkstemp(prefix=".takeoff-probe-", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise ValidationError(
            f"{option}: cannot write in {display_path(folder)}: {exc.strerror or exc}"
        ) from None


def _check_name_lengths(path: Path, option: str) -> None:
    try:
        max_name = os.pathconf(".", "PC_NAME_MAX")
    except (OSError, ValueError):  # pragma: no cover - not POSIX
        max_name = 255
    for part in path.parts:
        if len(os.fsencode(part)) > max_name:
            raise ValidationError(
                f"{option}: the name {display_path(part)} is longer than {max_name} bytes"
            )


@contextmanager
def _os_errors(path: Path, option: str) -> Iterator[None]:
    """An OSError while looking at ``path`` (a path too long in all, a loop of links,
    a folder we may not list) as a message."""
    try:
        yield
    except OSError as exc:
        raise ValidationError(
            f"{option}: cannot use {display_path(path)}: {exc.strerror or exc}"
        ) from None


def check_output_folder(path: Path, option: str = "--out") -> Path:
    """Check that ``path`` can become an output folder; return it (symlinks resolved)."""
    with _os_errors(path, option):
        return _check_output_folder(_usable(path, option), option)


def _check_output_folder(path: Path, option: str) -> Path:
    if path.is_symlink():
        path = path.resolve()
    if os.path.lexists(path):
        if not path.is_dir():
            raise ValidationError(
                f"{option}: {display_path(path)} exists and is not a folder; give a folder"
            )
        cwd = Path.cwd().resolve()
        if path.resolve() == cwd or path.resolve() in cwd.parents:
            raise ValidationError(
                f"{option}: {display_path(path)} is the current folder or holds it; "
                "give a folder of its own, e.g. takeoff-out/mine"
            )
        others = sorted(
            p.name for p in path.iterdir() if p.name not in OUTPUT_NAMES or not p.is_file()
        )
        if others:
            raise ValidationError(
                f"{option}: {display_path(path)} holds files that takeoff did not write "
                f"({', '.join(others[:3])}{', …' if len(others) > 3 else ''}); the folder is "
                "replaced as a whole, so give a new or empty folder"
            )
    _check_parents(path, option)
    return path


def check_output_file(
    path: Path, option: str, suffix: str | None = None, example: str = "report.html"
) -> Path:
    """Check that a file can be written at ``path`` (not a folder, parent writable)."""
    with _os_errors(path, option):
        return _check_output_file(_usable(path, option), option, suffix, example)


def _check_output_file(path: Path, option: str, suffix: str | None, example: str) -> Path:
    if path.is_dir():
        raise ValidationError(
            f"{option}: {display_path(path)} is a folder; give a file name like "
            f"{display_path(path / example)}"
        )
    if suffix is not None and path.suffix.lower() != suffix:
        raise ValidationError(
            f"{option}: {display_path(path)} must be a file name ending in {suffix}, "
            f"e.g. {display_path(path.with_suffix(suffix))}"
        )
    _check_parents(path, option)
    return path


def _usable(path: Path, option: str) -> Path:
    text = str(path)
    if not text or "\x00" in text:
        raise ValidationError(f"{option}: not a usable path: {display_path(text)!r}")
    _check_name_lengths(path, option)
    return path


@contextmanager
def staged_folder(out: Path, option: str = "--out") -> Iterator[Path]:
    """Yield an empty temporary folder beside ``out``; when the block ends without an
    error, it becomes ``out`` (replacing an old ``out`` whole); otherwise it is removed."""
    created = _make_parents(out.parent, option)
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.takeoff-", dir=out.parent))
        yield staging
        os.chmod(staging, 0o777 & ~_umask())  # mkdtemp makes 0700; give the usual mode
        _swap_in(staging, out)
    except BaseException as exc:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        _remove_created(created)
        if isinstance(exc, OSError):
            raise ValidationError(
                f"{option}: cannot write {display_path(out)}: {exc.strerror or exc}"
            ) from None
        raise


def _swap_in(staging: Path, out: Path) -> None:
    """Rename ``staging`` to ``out``. An old ``out`` is renamed aside first (and renamed
    back if the second rename fails), so ``out`` is always old or new, never a mix."""
    if not os.path.lexists(out):
        os.rename(staging, out)
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.old-", dir=out.parent))
    os.rmdir(aside)  # only the unique name is wanted
    os.rename(out, aside)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(aside, out)
        raise
    shutil.rmtree(aside, ignore_errors=True)


@contextmanager
def staged_file(path: Path, option: str) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` (same suffix); on success it replaces
    ``path`` in one rename; on failure nothing is left behind."""
    created = _make_parents(path.parent, option)
    tmp = None
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{path.stem[:40]}.takeoff-", suffix=path.suffix, dir=path.parent
        )
        os.close(fd)
        tmp = Path(name)
        yield tmp
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        _remove_created(created)
        if isinstance(exc, OSError):
            raise ValidationError(
                f"{option}: cannot write {display_path(path)}: {exc.strerror or exc}"
            ) from None
        raise


def _umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask


def _make_parents(folder: Path, option: str) -> list[Path]:
    """mkdir -p ``folder``; returns the folders it created (deepest last)."""
    missing = [p for p in (folder, *folder.parents) if not os.path.lexists(p)][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ValidationError(
            f"{option}: cannot create {display_path(folder)}: {exc.strerror or exc}"
        ) from None
    return missing


def _remove_created(created: list[Path]) -> None:
    for folder in reversed(created):
        try:
            folder.rmdir()
        except OSError:
            return
