"""Every form hint is tied to its field for screen readers (issue 23.11), on every form a
citizen or an officer fills in: a field's hint has an id that its input's aria-describedby
names, so a screen reader reads the hint with the field."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case

pytestmark = pytest.mark.django_db

HINT = re.compile(r'<(?:span|p)\b[^>]*\bclass="hint"[^>]*>(.*?)</(?:span|p)>', re.S)
DESCRIBED = re.compile(r'aria-describedby="([^"]+)"')


def untied_hints(html: str) -> list[str]:
    """The hints that no element names in its aria-describedby (or that have no id at all)."""
    described = {name for found in DESCRIBED.findall(html) for name in found.split()}
    untied = []
    for hint in HINT.finditer(html):
        hint_id = re.search(r'\bid="([^"]+)"', hint.group(0).split(">", 1)[0])
        if hint_id is None or hint_id.group(1) not in described:
            untied.append(" ".join(hint.group(1).split())[:120])
    return untied


def test_the_check_notices_an_untied_hint() -> None:
    assert untied_hints('<span class="hint">h</span><input id="x">') == ["h"]
    assert untied_hints('<span class="hint" id="h">h</span><input id="x">') == ["h"]
    assert not untied_hints('<span class="hint" id="h">h</span><input aria-describedby="x h">')


@pytest.mark.parametrize("path", ["/report/", "/signin/"])
def test_public_forms(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert not untied_hints(response.content.decode())


def test_the_office_case_page_forms(
    make_case: Callable[..., Case],
    make_agency: Callable[..., Agency],
    officer_client: Callable[[Agency], tuple[Client, Officer]],
) -> None:
    """The responsible officer's page holds the most forms: close (with its after-photo
    hint) and the audited "show contact" (with its purpose hint)."""
    district = make_agency("khet-bangrak", "สำนักงานเขตบางรัก")
    case = make_case(agency=district, state="accepted", name="สมศรี", phone="0812345678")
    client, _officer = officer_client(district)
    html = client.get(f"/office/case/{case.ticket_id}/").content.decode()
    assert 'id="close-photo"' in html and 'id="contact-purpose"' in html
    assert not untied_hints(html)
