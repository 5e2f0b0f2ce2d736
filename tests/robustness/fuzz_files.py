"""Fuzz cases that break a scenario file below the level of its fields: TOML syntax,
encodings, resource bounds and the path itself."""

from __future__ import annotations

import json
import random

from tests.robustness.fuzz_toml import Case, _case, _with, base, to_toml


def _syntax_cases(rng: random.Random) -> list[Case]:
    good = to_toml(base())
    lines = good.splitlines()
    inserts = [
        "= = =",
        "[[",
        "key = ",
        "x = 1 2",
        "[parameters]",
        'name = "again"',
        "a = [1, 2",
        'a = "unterminated',
        "a = '''never closed",
        'a = "bad \\q escape"',
        'a = "\\uD800"',
        "a = 1__0",
        "a = 0x",
        "a = { b = 1, b = 2 }",
        "a = {b = 1,}",
        "[a]\n[a]",
        "a.b = 1\na = 2",
        "a = 1979-13-45",
        "a = +nan_",
        "\u00a0a = 1",
    ]
    cases = []
    for text in inserts:
        # a second name is a duplicate key only among the top-level keys (lines 1-3)
        spots = [0, 1, 2, 3] if text.startswith("name") else range(1, len(lines) + 1)
        made: set[str] = set()
        for at in rng.sample(list(spots), len(spots)):
            broken = "\n".join([*lines[:at], text, *lines[at:]]) + "\n"
            if broken in made:  # beside an identical line, two spots give one file
                continue
            made.add(broken)
            label = f"{text[:20]!r} at line {at + 1}"
            cases.append(_case("syntax", label, broken, "line", "end of document"))
            if len(made) == 4:
                break
    return cases


def _encoding_cases(rng: random.Random) -> list[Case]:
    good = to_toml(base())
    bad_param = to_toml(_with(("parameters", "diffusion_years"), 500.0))
    cases = [
        _case("encoding", "UTF-16 with BOM", good.encode("utf-16"), "UTF-8"),
        _case("encoding", "UTF-16-LE", good.encode("utf-16-le"), "line", "UTF-8"),
        _case("encoding", "UTF-32", good.encode("utf-32"), "UTF-8"),
        _case("encoding", "latin-1 name", 'name = "caf\xe9"\n'.encode("latin-1"), "UTF-8"),
        _case(
            "encoding", "BOM + bad value", b"\xef\xbb\xbf" + bad_param.encode(), "diffusion_years"
        ),
        _case("encoding", "two BOMs", b"\xef\xbb\xbf\xef\xbb\xbf" + good.encode(), "line 1"),
        _case("encoding", "BOM only", b"\xef\xbb\xbf", "name"),
        _case("encoding", "empty file", b"", "name"),
        _case("encoding", "only comments", b"# nothing here\n# at all\n", "name"),
        _case("encoding", "only whitespace", b"\n\n   \n\t\n", "name"),
        _case("encoding", "NUL byte", good.encode().replace(b"fuzz", b"fu\x00zz"), "line"),
        _case("encoding", "lone surrogate bytes", b'name = "\xed\xa0\x80"\n', "UTF-8"),
        _case("encoding", "overlong UTF-8", b'name = "\xc0\xaf"\n', "UTF-8"),
        _case("encoding", "PNG bytes", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "UTF-8", "line"),
        _case("encoding", "JSON instead", json.dumps(base()).encode(), "line"),
        _case(
            "encoding", "YAML instead", b"name: fuzz\nparameters:\n  diffusion_years: 4\n", "line"
        ),
        _case("encoding", "CR line ends", good.replace("\n", "\r").encode(), "line"),
    ]
    for i in range(10):
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400)))
        cases.append(_case("encoding", f"random bytes {i}", b"\xff" + noise, "UTF-8"))
    return cases


def _resource_cases() -> list[Case]:
    cases = []
    for depth in (21, 50, 500, 5000, 100_000):
        text = 'name = "x"\na = ' + "[" * depth + "]" * depth + "\n"
        cases.append(_case("resource", f"arrays nested {depth}", text, "line 2"))
        text = 'name = "x"\na = ' + "{b = " * depth + "1" + "}" * depth + "\n"
        cases.append(_case("resource", f"inline tables nested {depth}", text, "line 2"))
    for parts in (21, 1000, 30_000, 150_000):
        key = ".".join(["a"] * parts)
        cases.append(
            _case("resource", f"dotted key {parts} parts", f'name = "x"\n{key} = 1\n', "line 2")
        )
        cases.append(
            _case("resource", f"table header {parts} parts", f'name = "x"\n[{key}]\n', "line 2")
        )
    for digits in (401, 4301, 100_000):
        text = f'name = "x"\n[parameters]\ndiffusion_years = {"1" * digits}\n'
        cases.append(_case("resource", f"integer of {digits} digits", text, "line 3"))
    big = 'name = "x"\ndescription = "' + "x" * 1_100_000 + '"\n'
    cases.append(_case("resource", "file over 1 MB", big, "bytes"))
    many = 'name = "x"\n' + "".join(f"[[t{i % 7}]]\n" for i in range(90_000))
    cases.append(_case("resource", "90,000 array tables", many, "top-level"))
    return cases


def _path_cases() -> list[Case]:
    return [
        Case("path", "FIFO", None, ("fifo.toml",), "fifo"),
        Case("path", "directory", None, ("dir.toml",), "dir"),
        Case("path", "character device", None, ("null",), "device"),
        Case("path", "missing file", None, ("missing.toml",), "missing"),
        Case("path", "name of 300 characters", None, ("aaaa",), "long"),
        Case("path", "under a file", None, ("plain.toml",), "under-file"),
        Case("path", "symlink loop", None, ("loop-a.toml",), "loop"),
        Case("path", "path of 5000 characters", None, ("d/d/d",), "very-long"),
    ]
