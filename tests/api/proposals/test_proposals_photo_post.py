"""A proposal's one optional photo, in the API (multipart) and on the web form: checked like a
case's photo (by content, size), stored as a JPEG without EXIF, shown on the page and in
GET /api/v1/proposals/{ref}."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from pracha.proposals.models import Proposal
from tests.helpers import image_bytes
from tests.proposals.support import BODY, TITLE, bearer, make_citizen, web_client

URL = "/api/v1/proposals"


def upload(data: bytes, name: str = "park.jpg", kind: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=kind)


def file_with(api: Client, token: str, photo: SimpleUploadedFile) -> Any:
    return api.post(URL, {"title": TITLE, "body": BODY, "photo": photo}, **bearer(token))


def test_a_photo_is_stored_without_exif_and_shown(api: Client) -> None:
    _citizen, token = make_citizen()
    response = file_with(api, token, upload(image_bytes("JPEG", gps=True)))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["photo"].startswith("/media/proposals/")
    stored = Proposal.objects.get(ref=answer["ref"]).photo
    with stored.open("rb") as f:
        data = f.read()
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    assert "exif" not in image.info and not image.getexif()
    assert b"SecretCam" not in data
    read = api.get(f"{URL}/{answer['ref']}").json()
    assert read["photo"] == answer["photo"]
    page = api.get(f"/proposals/{answer['ref']}/").content.decode()
    assert answer["photo"] in page


def test_without_a_photo_the_field_is_null_and_json_still_works(api: Client) -> None:
    _citizen, token = make_citizen()
    form = api.post(URL, {"title": TITLE, "body": BODY}, **bearer(token))
    assert form.status_code == 201 and form.json()["photo"] is None
    ref = form.json()["ref"]
    assert api.get(f"{URL}/{ref}").json()["photo"] is None


def test_a_file_that_is_not_an_image_is_refused(api: Client) -> None:
    _citizen, token = make_citizen()
    response = file_with(api, token, upload(b"%PDF-1.4 not a photo", "plan.pdf", "application/pdf"))
    assert response.status_code == 415
    assert "image" in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_a_photo_over_the_limit_is_refused(api: Client, pracha: Callable[..., None]) -> None:
    pracha(max_photo_bytes=100)
    _citizen, token = make_citizen()
    response = file_with(api, token, upload(image_bytes("JPEG", (200, 200))))
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert not Proposal.objects.exists()


def test_bad_fields_in_a_multipart_body_are_refused_with_reasons(api: Client) -> None:
    _citizen, token = make_citizen()
    response = api.post(URL, {"body": BODY}, **bearer(token))
    assert response.status_code == 422 and response.json()["field"] == "title"


def test_the_web_form_takes_a_photo(pracha: Callable[..., None]) -> None:
    citizen, _ = make_citizen()
    browser = web_client(citizen, "en")
    assert 'enctype="multipart/form-data"' in browser.get("/proposals/new/").content.decode()
    fields = {"title": TITLE, "body": BODY}
    refused = browser.post("/proposals/new/", {**fields, "photo": upload(b"not an image")})
    assert refused.status_code == 415 and "not a readable image" in refused.content.decode()
    pracha(max_photo_bytes=100)
    big = browser.post("/proposals/new/", {**fields, "photo": upload(image_bytes("JPEG"))})
    assert big.status_code == 413 and not Proposal.objects.exists()
    pracha(max_photo_bytes=10 * 1024 * 1024)
    done = browser.post(
        "/proposals/new/", {**fields, "photo": upload(image_bytes("JPEG", gps=True))}
    )
    assert done.status_code == 302
    proposal = Proposal.objects.get(author=citizen)
    page = browser.get(f"/proposals/{proposal.ref}/").content.decode()
    assert proposal.photo.url in page and 'data-testid="proposal-photo"' in page
