"""Reading scenario files without trusting them.

A scenario file may come from anyone, so it is bounded before ``tomllib`` sees it:
``tomllib`` has no limits of its own, and a small hostile file can exhaust it (500
nested arrays overflow the stack; a dotted key of 30,000 parts takes 9 s and 3.6 GB;
a FIFO blocks the reader forever). Every failure is a :class:`ValidationError` that
names the file and, where it can, the line and key.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from takeoff.errors import ValidationError, brief

#: Largest scenario file read (the built-in ones are under 5 kB).
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of arrays and inline tables (a percentile table needs 3).
MAX_NESTING = 20
#: Most parts in one dotted key or table header (``a.b.c`` has 3).
MAX_KEY_PARTS = 20
#: Longest run of digits in a number (Python refuses integers over 4,300 digits).
MAX_DIGITS = 400

# Strings and comments are skipped whole, so brackets, dots and digits inside them
# do not count; everything else but structure and digit runs is skipped by finditer.
_TOKENS = re.compile(
    r'"""(?:[^\\]|\\[\s\S])*?"""'  # multi-line basic string
    r"|'''[\s\S]*?'''"  # multi-line literal string
    r'|"(?:[^"\\\n]|\\.)*"'  # basic string
    r"|'[^'\n]*'"  # literal string
    r"|#[^\n]*"  # comment
    r"|[0-9_]+"  # digits (whole runs, so that a long one is one token)
    r"|[\[\]{}=,.\n]"
)


def read_toml(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Parse the TOML file at ``path``: a regular file, at most MAX_FILE_BYTES, UTF-8."""
    text = read_text(path)
    return parse_toml(text, where=str(path))


def read_text(path: str | os.PathLike[str]) -> str:
    """The file's text; refuses anything but a small regular UTF-8 file (a BOM is allowed)."""
    where = str(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ValidationError(f"scenario {brief(where)}: no such file") from None
    except (OSError, ValueError) as exc:  # name too long, permission, embedded NUL
        raise ValidationError(
            f"scenario {brief(where)}: cannot read file: {_reason(exc)}"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        # Reading a FIFO or a device would block or never end.
        raise ValidationError(
            f"{brief(where)}: not a regular file (a scenario must be a .toml file)"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise ValidationError(
            f"{brief(where)}: file is {info.st_size:,} bytes; a scenario file may have at most "
            f"{MAX_FILE_BYTES:,}"
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)  # the file may have grown since stat
    except OSError as exc:
        raise ValidationError(f"{brief(where)}: cannot read file: {_reason(exc)}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ValidationError(
            f"{brief(where)}: a scenario file may have at most {MAX_FILE_BYTES:,} bytes"
        )
    try:
        return data.decode("utf-8-sig")  # -sig: editors on Windows start files with a BOM
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ValidationError(
            f"{brief(where)}: line {line}: not valid UTF-8 (byte 0x{data[exc.start]:02x}); "
            "save the file as UTF-8"
        ) from None


def parse_toml(text: str, where: str = "scenario") -> dict[str, Any]:
    """``tomllib.loads`` after checking nesting, dotted keys and number lengths."""
    if len(text) > MAX_FILE_BYTES:
        raise ValidationError(f"{where}: a scenario may have at most {MAX_FILE_BYTES:,} characters")
    check_bounds(text, where)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(f"{where}: malformed TOML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # beyond what check_bounds foresees
        raise ValidationError(f"{where}: malformed TOML: {_reason(exc)}") from None


def check_bounds(text: str, where: str) -> None:
    """Refuse nesting deeper than MAX_NESTING, keys of more than MAX_KEY_PARTS parts and
    numbers of more than MAX_DIGITS digits, naming the line (linear time)."""
    depth, dots = 0, 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth, dots = depth + 1, 0
            if depth > MAX_NESTING:
                raise _bound_error(text, match.start(), where, f"nested deeper than {MAX_NESTING}")
        elif token in ("]", "}"):
            depth, dots = max(depth - 1, 0), 0
        elif token == ".":
            dots += 1
            if dots >= MAX_KEY_PARTS:
                raise _bound_error(
                    text, match.start(), where, f"a dotted key of more than {MAX_KEY_PARTS} parts"
                )
        elif token in ("=", ",", "\n"):
            dots = 0
        elif len(token) > MAX_DIGITS and token[0] in "0123456789_":
            raise _bound_error(
                text, match.start(), where, f"a number of more than {MAX_DIGITS} digits"
            )


def _bound_error(text: str, pos: int, where: str, what: str) -> ValidationError:
    line_no = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    key = line.split("=", 1)[0].strip(" \t[]{}") if "=" in line else ""
    named = f" (key {brief(key, 40)})" if key else ""
    return ValidationError(f"{where}: line {line_no}{named}: {what}; not a scenario file?")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return brief(str(exc), 120).strip("'\"")


def display_path(path: Path | str) -> str:
    """A path for a message, cut to a readable length."""
    text = str(path)
    return text if len(text) <= 120 else text[:60] + "…" + text[-59:]
