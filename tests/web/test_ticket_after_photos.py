"""A reopened case's old after-photo is not shown as the fix (issue 23.11)."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.test import Client

from pracha.agencies.models import Officer
from pracha.cases.models import Case, Photo
from pracha.cases.services.citizen import do_reopen
from pracha.cases.services.photos import do_add_photo
from pracha.cases.services.workflow import do_accept, do_close
from pracha.tickets import citizen_token
from tests.helpers import english, image_bytes, page_text

pytestmark = pytest.mark.django_db


def gallery(html: str, testid: str) -> str:
    """The HTML of one photo gallery (the timeline below shows photos too)."""
    return html.split(f'data-testid="{testid}"', 1)[1].split("</div>", 1)[0]


def close_with_photo(case: Case, officer: Officer) -> Photo:
    do_accept(Case.objects.get(pk=case.pk), officer)
    data = image_bytes()
    photo = do_add_photo(case, io.BytesIO(data), len(data), kind=Photo.Kind.AFTER)
    do_close(Case.objects.get(pk=case.pk), officer, "done", "ซ่อมแล้ว", photo)
    return photo


def test_a_reopened_case_shows_its_old_after_photo_only_as_earlier(
    make_case: Callable[..., Case], make_officer: Callable[..., tuple[Officer, str]]
) -> None:
    case = make_case()
    officer, _ = make_officer(case.agency)
    first = close_with_photo(case, officer)
    page = english(Client()).get(f"/t/{case.ticket_id}/")
    assert 'data-testid="photos-after"' in page.content.decode()
    assert "Earlier after-photo" not in page_text(page)

    do_reopen(Case.objects.get(pk=case.pk), "ยังมืดอยู่", citizen_token(case.ticket_id))
    page = english(Client()).get(f"/t/{case.ticket_id}/")
    html = page.content.decode()
    assert 'data-testid="photos-after"' not in html  # not shown as the fix
    assert "Earlier after-photo (case reopened)" in page_text(page)
    assert first.public_url in gallery(html, "photos-after-earlier")

    # Closed again with a new photo: that one is the result, the first stays earlier.
    second = close_with_photo(case, officer)
    html = Client().get(f"/t/{case.ticket_id}/").content.decode()
    after, earlier = gallery(html, "photos-after"), gallery(html, "photos-after-earlier")
    assert second.public_url in after and first.public_url not in after
    assert first.public_url in earlier and second.public_url not in earlier
