"""GET /api/v1/cases/{id}/reporter, and reporter contact never appearing anywhere else."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.audit.models import AuditEntry
from tests.factories import REPORTER
from tests.helpers import auth, case_url, post_json

SRC = Path(__file__).resolve().parents[3] / "src" / "pracha"


def url(ticket: str) -> str:
    return case_url(ticket, "reporter")


def test_the_responsible_officer_reads_the_contact_and_it_is_audited(
    api: Client, reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    me, key = officer
    ticket = reported()["ticket_id"]

    response = api.get(url(ticket), {"purpose": "นัดเข้าพื้นที่"}, REMOTE_ADDR="192.0.2.4", **auth(key))

    assert response.status_code == 200
    assert response.json() == {"ticket_id": ticket, **REPORTER}
    entry = AuditEntry.objects.get(action="contact.read")
    assert (entry.actor, entry.ip, entry.object_id) == (me.user, "192.0.2.4", ticket)
    assert entry.detail["purpose"] == "นัดเข้าพื้นที่"
    assert entry.api_key_prefix == key[:12]


def test_a_purpose_is_required(
    api: Client, reported: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    ticket = reported()["ticket_id"]
    missing = api.get(url(ticket), **auth(officer[1]))
    blank = api.get(url(ticket), {"purpose": "   "}, **auth(officer[1]))
    assert missing.status_code == 422 and missing.json()["field"] == "purpose"
    assert blank.status_code == 400 and blank.json()["field"] == "purpose"
    assert not AuditEntry.objects.filter(action="contact.read").exists()


def test_no_contact_held_is_404_and_still_audited(
    api: Client, file_case: Callable[..., dict[str, Any]], officer: tuple[Officer, str]
) -> None:
    ticket = file_case()["ticket_id"]  # filed without contact
    response = api.get(url(ticket), {"purpose": "x"}, **auth(officer[1]))
    assert response.status_code == 404
    assert "no contact details are held" in response.json()["detail"]
    assert AuditEntry.objects.get(action="contact.read").detail["found"] is False


def test_an_officer_of_a_forwarded_case_loses_access(
    api: Client,
    reported: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _me, key = officer
    ticket = reported()["ticket_id"]
    district = make_agency("district-x")
    _them, their_key = make_officer(district)
    post_json(api, case_url(ticket, "accept"), {}, **auth(key))
    forwarded = post_json(
        api, case_url(ticket, "forward"), {"agency": "district-x", "reason": "ของเขต"}, **auth(key)
    )
    assert forwarded.status_code == 200
    assert api.get(url(ticket), {"purpose": "x"}, **auth(key)).status_code == 403
    assert api.get(url(ticket), {"purpose": "x"}, **auth(their_key)).status_code == 200


def test_unknown_ticket_is_404(api: Client, officer: tuple[Officer, str]) -> None:
    assert api.get(url("2026-NOPE99"), {"purpose": "x"}, **auth(officer[1])).status_code == 404


# --- never published ----------------------------------------------------------------------


class Crawler:
    """Follows same-site links from public pages (API and, once they exist, web pages)."""

    LINK = re.compile(r"""(?:href|src|action)=["'](/[^"'#?]*)(?:\?[^"']*)?["']""")

    def __init__(self, client: Client) -> None:
        self.client = client
        self.seen: dict[str, str] = {}

    def crawl(self, start: list[str], limit: int = 80) -> dict[str, str]:
        todo = list(start)
        while todo and len(self.seen) < limit:
            path = todo.pop(0)
            if path in self.seen or path.startswith(("/static/", "/media/", "/admin/")):
                continue
            response = self.client.get(path, follow=True)
            raw = (
                b"".join(response.streaming_content)  # open data downloads
                if response.streaming
                else response.content
            )
            body = raw.decode("utf-8", "replace")
            self.seen[path] = body
            if "html" in response.get("Content-Type", ""):
                todo += [p for p in self.LINK.findall(body) if p not in self.seen]
        return self.seen


def test_reporter_contact_never_reaches_a_public_output(
    api: Client,
    reported: Callable[..., dict[str, Any]],
    officer: tuple[Officer, str],
) -> None:
    body = reported(description="น้ำท่วมขัง ติดต่อผู้แจ้งที่ 089-111-2222 หรือ noi@example.org")
    ticket = body["ticket_id"]
    _me, key = officer
    post_json(api, case_url(ticket, "comment"), {"note": "โทรหาแล้วที่ 089-111-2222"}, **auth(key))
    pages = Crawler(Client()).crawl(
        [
            "/",
            case_url(ticket),
            f"/api/v1/cases?q={ticket}",
            "/api/v1/cases?limit=200",
            f"/open311/v2/requests/{ticket}.json",
            "/open311/v2/requests.json",
            "/open311/v2/requests.xml",
            "/api/v1/open-data/cases.csv",
            "/api/v1/open-data/cases.geojson",
            f"/cases/{ticket}/",
            f"/c/{ticket}",
        ]
    )
    print(f"\ncrawled {len(pages)} public pages: {sorted(pages)[:40]}")
    assert len(pages) >= 5
    secrets = [REPORTER["name"], REPORTER["phone"], REPORTER["email"], "089-111-2222", "noi@"]
    for path, text in pages.items():
        for secret in secrets:
            assert secret not in text, f"{secret!r} published at {path}"
    # The staff view (the agency's officer) shows the text as written, but still no contact.
    staff = api.get(case_url(ticket), **auth(key)).content.decode()
    assert "089-111-2222" in staff and REPORTER["phone"] not in staff


def test_searching_by_personal_data_is_refused(
    api: Client, reported: Callable[..., dict[str, Any]]
) -> None:
    reported(description="รถทะเบียน กข 1234 จอดขวาง โทร 089-111-2222")
    for q in ["089-111-2222", "0891112222", "กข 1234", "noi@example.org"]:
        response = api.get("/api/v1/cases", {"q": q})
        assert response.status_code == 400, q
        assert response.json()["field"] == "q"
    assert api.get("/api/v1/cases", {"q": "จอดขวาง"}).json()["count"] == 1


def contact_reads(source: str) -> list[int]:
    """Lines of code (not comments or strings) naming ReporterContact or `.reporter.phone`."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(source).readline)
        if t.type in {tokenize.NAME, tokenize.OP}
    ]
    lines = []
    for i, token in enumerate(tokens):
        if token.type == tokenize.NAME and token.string == "ReporterContact":
            lines.append(token.start[0])
        window = [t.string for t in tokens[i : i + 4]]
        if window[:3] == [".", "reporter", "."] and window[3:] in (["name"], ["phone"], ["email"]):
            lines.append(token.start[0])
    return lines


def test_only_sanctioned_code_reads_reporter_contact() -> None:
    """ReporterContact is read only by the audited reader and the privacy commands."""
    allowed = {
        "cases/contact.py",
        "privacy/services.py",
        "cases/models.py",
        "intake/services.py",  # writes it
    }
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if relative in allowed or "/migrations/" in relative:
            continue
        source = path.read_text(encoding="utf-8")
        for number in contact_reads(source):
            offenders.append(f"{relative}:{number}: {source.splitlines()[number - 1].strip()}")
    assert offenders == [], "read contact through pracha.cases.contact.read_reporter_contact"


def test_the_scanner_sees_code_not_comments() -> None:
    code = (
        "# ReporterContact in a comment\n"
        "x = 'ReporterContact in a string'\n"
        "from pracha.cases.models import ReporterContact\n"
        "phone = case.reporter.phone\n"
        "reporter = payload.reporter.model_dump()\n"
    )
    assert contact_reads(code) == [3, 4]
