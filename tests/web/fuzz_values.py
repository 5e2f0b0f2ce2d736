"""The values tests/web/fuzz.py draws its hostile requests from."""

from __future__ import annotations

BAD_CONTENT_TYPES = (
    None,
    b"",
    b"text/plain",
    b"text/json",
    b"application/x-www-form-urlencoded",
    b"multipart/form-data; boundary=xyz",
    b"application/xml",
    b"application/jsonx",
    b"application/javascript",
    b"json",
    b"*/*",
    b"application/octet-stream",
    b"text/html; charset=utf-8",
)

MALFORMED = (
    b"{bad",
    b"{'dt': 1}",
    b'{"dt": 1,}',
    b'{"dt": 1} trailing',
    b"// comment\n{}",
    b"\xff\xfe{\x00",
    b'{"scenario": "\xc3\x28"}',
    b"",
    b"   ",
    b"null",
    b"[]",
    b"1",
    b'"default"',
    b"true",
    b'{"dt": 01}',
    b'{"dt": .5}',
    b'{"dt": 1e}',
    b'{"dt": 0x10}',
    b'{"dt": +1}',
    b'{"dt": 1 "end_year": 2030}',
    b'{"dt": "\\x41"}',
    b'{"dt"}',
    b'{"overrides": {"flop_gap_oom" 5}}',
    b"{" * 3,
    b'{"dt": 1}}',
    b"\x00\x00\x00",
)

NON_FINITE = ("NaN", "Infinity", "-Infinity", "1e999", "-1e999")

WRONG_TYPES = {
    "dt": ("0.5", True, False, [], {}, [0.5], {"v": 0.5}),
    "end_year": ("2030", True, [], {}, [2030]),
    "n_samples": (2.0, 2.5, "2", True, None, [], {}),
    "seed": (1.0, "1", True, None, [], {}),
    "scenario": (3, 1.5, True, None, [], {}, ["default"]),
    "overrides": ("flop_gap_oom=5", [], [["flop_gap_oom", 5]], 3, True, None),
    "series": ("gwp", 3, {"gwp": 1}, [3], [None], [True], [[]], [{}]),
    "scenarios": ("default", 3, [3], [None], {}, [["default"]], [True]),
}

UNKNOWN_KEYS = (
    "chunk_size",
    "__proto__",
    "constructor",
    "DT",
    "dt ",
    "overides",
    "Scenario",
    "backend",
    "dté",
    "\u202edt",
    "😀",
    "\u0000",
    "k" * 500,
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
)

UNICODE = (
    "défault",
    "default\u200b",
    "ｄｅｆａｕｌｔ",
    "default\u0000",
    "\u202edefault",
    "😀",
    "default\n",
    "Ω" * 70,
    "e\u0301",
    "\ufeffdefault",
    "\ud7ff",
    "ﷺ" * 20,
)

TRAVERSAL = (
    "..",
    "../..",
    "../../etc/passwd",
    "..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%252e%252e%252f",
    "....//....//etc/passwd",
    "..\\..\\windows\\win.ini",
    "..%5c..%5cserver.py",
    "default/../default",
    "%00",
    "default%00.toml",
    "default.toml",
    "~root",
    "C:%5Cwindows",
    "\u2215etc\u2215passwd",
    "x" * 5_000,
    "%2Fetc%2Fpasswd",
    "../server.py",
    "..;/server.py",
)

BAD_HOSTS = (
    b"evil.example",
    b"localhost.evil.example",
    b"127.0.0.1.nip.io",
    b"localhost:80@evil.example",
    b"evil.example:8000",
    b"",
    b" ",
    b"[::1",
    b"::1",
    b"localhost:abc",
    b"127.0.0.2",
    b"0.0.0.0",
    b"2130706433",
    b"127.1",
    b"localhost, evil.example",
    b"l\xc3\xb6calhost",
    b"localhost/",
    b"localhost\\@evil",
    b"[::ffff:127.0.0.1]",
)

GOOD_HOSTS = (b"LOCALHOST", b"localhost.", b"127.0.0.1:65535", b"[::1]:8000", b"localhost:1")
