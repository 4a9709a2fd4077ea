"""Hostile inputs for every endpoint: the catalogue and a runner that records the answers."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.etree import ElementTree

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

# Texts that must never reach a database or a page unchecked.
NASTY_TEXT = [
    "\u0000",
    "ก\u0000ข",
    "\ud800",  # a lone surrogate (only representable as a JSON escape)
    "x" * 100_000,
    "ไฟดับ" * 20_000,  # 100,000 Thai characters
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../../../etc/passwd",
    "\u202e\u200b\ufeff",
    "😀" * 1000,
]
WRONG_TYPES: list[Any] = [None, True, 0, -1, 1.5, 10**30, "text", [], {}, [1, "a"], {"a": 1}]
RAW_BODIES: list[tuple[bytes, str]] = [
    (b'{"description": "x",', "application/json"),  # cut short
    (b"[1, 2", "application/json"),
    (b"{'single': 'quotes'}", "application/json"),
    (b'{"a": 1}{"b": 2}', "application/json"),
    (b"", "application/json"),
    (b"null", "application/json"),
    (b"[]", "application/json"),
    (b'"a string"', "application/json"),
    (b"123", "application/json"),
    (b'{"description": "\xff\xfe bad bytes", "lat": 13.75, "lon": 100.5}', "application/json"),
    (b'{"description": "\xc0\xaf overlong", "lat": 13.75, "lon": 100.5}', "application/json"),
    (b'{"description": "\xe0\xb8 cut", "lat": 13.75, "lon": 100.5}', "application/json"),
    (b'{"description": "nul \x00 raw", "lat": 13.75, "lon": 100.5}', "application/json"),
    (b'{"description": "\\ud800", "lat": 13.75, "lon": 100.5}', "application/json"),
    (b'{"lat": NaN, "lon": Infinity, "description": "x"}', "application/json"),
    (b'{"lat": 1e400, "lon": -1e400, "description": "x"}', "application/json"),
    (b'{"lat": 1' + b"0" * 5000 + b', "lon": 100.5, "description": "x"}', "application/json"),
    (b"[" * 100_000 + b"]" * 100_000, "application/json"),  # nesting deeper than any parser
    (b'{"description": "x", "lat": 13.75, "lon": 100.5}', "text/plain"),
    (b"description=x&lat=13.75&lon=100.5", "application/x-www-form-urlencoded"),
    (b'{"description": "x"}', "application/json; charset=utf-16"),
    (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nabc',
        "multipart/form-data; boundary=B",
    ),  # never terminated
    (b"garbage", "multipart/form-data"),  # no boundary
    (b"garbage", "multipart/form-data; boundary="),
]
BAD_COORDINATES = [
    {"lat": 91, "lon": 100.5},
    {"lat": -90.0001, "lon": 100.5},
    {"lat": 13.75, "lon": 180.5},
    {"lat": 13.75, "lon": -181},
    {"lat": 100.5, "lon": 13.75},  # swapped
    {"lat": 0, "lon": 0},
    {"lat": 1e308, "lon": -1e308},
    {"lat": "13.75", "lon": "100.5"},
    {"lat": True, "lon": False},
]
HOSTILE_SEGMENTS = [
    "%00",
    "%FF%FE",
    "%C0%AF",
    "%E0%B8",  # a Thai character cut in half
    "..%2F..%2Fetc%2Fpasswd",
    "a" * 5000,
    "%3Cscript%3E",
    "'%20OR%201=1--",
    "%F0%9F%98%80",
    "2026-ABC%0A123",
]
HOSTILE_QUERIES = [
    "%FF=%FE",
    "q=%00",
    "q=%FF%FE%FD",
    "q=%C0%AF",
    "q=" + "x" * 10_000,
    "limit=-1",
    "limit=99999999999999999999999999",
    "limit=1e9",
    "limit=NaN",
    "limit=&offset=",
    "offset=-5",
    "offset=99999999999999999999",
    "offset=9223372036854775808",
    "state=%00",
    "state=nope",
    "category=../../etc",
    "category=%FF",
    "agency=%00",
    "district=" + "ข" * 1000,
    "order=;DROP%20TABLE",
    "limit=1&limit=2&limit=x",
    "purpose=%00",
    "purpose=" + "x" * 5000,
    "from=2024-13-45&to=not-a-date",
    "period=%FF&group=%00",
]
# Dates at the ends of what a datetime can hold: arithmetic on them (a default window added
# or subtracted) overflows unless the dates are bounded first.
HOSTILE_DATES = [
    "start_date=9999-12-31T23:59:59Z",
    "start_date=9999-12-31",
    "end_date=0001-01-01",
    "end_date=0001-01-01T00:00:00Z",
    "start_date=0001-01-01T00:00:00%2B14:00",
    "end_date=9999-12-31T23:59:59-12:00",
    "start_date=0001-01-01&end_date=0001-01-02",
    "start_date=9999-12-30&end_date=9999-12-31",
    "from=0001-01-01&to=9999-12-31",
    "from=9999-12-31",
    "to=0001-01-01",
]
HOSTILE_QUERIES += HOSTILE_DATES
# Paths under /media/ (whitenoise does not serve uploads; a view reads them from disk).
HOSTILE_MEDIA_PATHS = [
    "%00",
    "a%00b.jpg",
    "photos/%00/x.jpg",
    "a" * 5000,  # one name longer than any file system allows
    "photos/" + "b" * 300 + ".jpg",
    "/".join(["d"] * 3000),  # a path longer than PATH_MAX
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "../../../../etc/passwd",
    "%FF%FE.jpg",
    "%E0%B8",
    "nope.jpg",
    "",
]
# media_url values an Open311 client may send: malformed URLs must be refused, not crash.
HOSTILE_MEDIA_URLS = [
    "http://[::1",
    "https://[fe80::1%25eth0/a.jpg",
    "http://[not-an-ip]/a.jpg",
    "http://]/a.jpg",
    "http://example.org:99999999999999999999/a.jpg",
    "http://\x00/a.jpg",
    "http://example.org/\x00.jpg",
    "//example.org/a.jpg",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://exa mple.org/a.jpg",
    "http://" + "a" * 1000 + ".example/a.jpg",
    "http://\ud800.example/a.jpg",
]


@dataclass
class Tally:
    tried: int = 0
    server_errors: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    not_refused: list[str] = field(default_factory=list)

    def record(
        self, label: str, response: Any, *, must_refuse: bool, api: bool, open311: bool = False
    ) -> None:
        """`api`: 4xx answers carry the JSON API's `detail`; `open311`: the GeoReport v2
        error list (every status, 404 and 405 included, since the specification says so)."""
        self.tried += 1
        status = response.status_code
        if status >= 500:
            self.server_errors.append(f"{status} {label}")
            return
        if must_refuse and not 400 <= status < 500:
            self.not_refused.append(f"{status} {label}")
        if 400 <= status < 500 and open311:
            if not open311_reasons(response):
                self.unreadable.append(f"{status} {label}: {response.content[:120]!r}")
        elif 400 <= status < 500 and status not in {401, 404, 405} and api:
            try:
                detail = response.json().get("detail")
            except (ValueError, AttributeError):
                detail = None
            if not isinstance(detail, str) or not detail.strip():
                self.unreadable.append(f"{status} {label}: {response.content[:120]!r}")


def open311_reasons(response: Any) -> list[str]:
    """The descriptions of a GeoReport v2 error list (JSON or XML) with the response's status;
    empty when the answer is not one."""
    status = response.status_code
    if response["Content-Type"].startswith("application/json"):
        try:
            errors = response.json()
        except ValueError:
            return []
        if not isinstance(errors, list):
            return []
        return [
            e["description"]
            for e in errors
            if isinstance(e, dict)
            and e.get("code") == status
            and isinstance(e.get("description"), str)
            and e["description"].strip()
        ]
    try:
        root = ElementTree.fromstring(response.content)
    except ElementTree.ParseError:
        return []
    if root.tag != "errors":
        return []
    return [
        (e.findtext("description") or "").strip()
        for e in root.findall("error")
        if e.findtext("code") == str(status) and (e.findtext("description") or "").strip()
    ]


def json_body(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=True).encode()


def send(
    client: Client, method: str, path: str, body: bytes | None, content_type: str, **headers: Any
) -> Any:
    if method == "GET":
        return client.get(path, **headers)
    return client.generic(method, path, body or b"", content_type=content_type, **headers)


def django_pages() -> Iterator[tuple[str, list[str]]]:
    """Every URL pattern outside the API, the admin and media: (path template, names)."""

    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, text)
            elif isinstance(pattern, URLPattern):
                yield text

    for template in walk(get_resolver(), ""):
        if template.startswith(("api/", "admin/", "^media", "static/")):
            continue
        yield "/" + template.lstrip("^").rstrip("$"), re.findall(r"<(?:\w+:)?(\w+)>", template)
