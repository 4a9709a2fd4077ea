"""GET /t/<ticket_id>/ with a short, lower-case or padded id: a redirect to the one true
address; an ambiguous short id: a page listing the reports it could mean."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import pytest
from django.test import Client

from pracha.cases.models import Case
from pracha.tickets import citizen_token
from pracha.web.session import TOKENS_KEY
from tests.helpers import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_ticket(make_case: Callable[..., Case]) -> Callable[[str], Case]:
    def make(ticket_id: str) -> Case:
        case = make_case()
        Case.objects.filter(pk=case.pk).update(ticket_id=ticket_id)
        return Case.objects.get(pk=case.pk)

    return make


@pytest.mark.parametrize("given", ["GHA47R", "gha47r", " GHA47R", "2023-gha47r"])
def test_other_forms_redirect_to_the_canonical_page(
    make_ticket: Callable[[str], Case], given: str
) -> None:
    make_ticket("2023-GHA47R")
    response = Client().get(f"/t/{quote(given)}/")
    assert response.status_code == 302
    assert response["Location"] == "/t/2023-GHA47R/"
    assert Client().get(response["Location"]).status_code == 200


def test_an_unknown_short_id_is_404(make_ticket: Callable[[str], Case]) -> None:
    make_ticket("2023-GHA47R")
    assert Client().get("/t/ZZZ999/").status_code == 404


def test_an_ambiguous_short_id_lists_the_candidates_with_links(
    make_ticket: Callable[[str], Case],
) -> None:
    make_ticket("2022-ABC123")
    make_ticket("2023-ABC123")
    response = Client().get("/t/abc123/")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'href="/t/2022-ABC123/"' in html and 'href="/t/2023-ABC123/"' in html
    assert "ABC123" in page_text(response)


def test_the_reporters_link_with_a_short_id_remembers_them(
    make_ticket: Callable[[str], Case],
) -> None:
    make_ticket("2023-GHA47R")
    client = Client()
    response = client.get(f"/t/GHA47R/?k={citizen_token('2023-GHA47R')}")
    assert response.status_code == 302 and response["Location"] == "/t/2023-GHA47R/"
    assert "2023-GHA47R" in client.session[TOKENS_KEY]
