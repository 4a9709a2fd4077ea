"""POST /api/v1/cases/{ticket_id}/photos: real images only, re-encoded without metadata."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from PIL import ExifTags, Image

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Event, Photo
from pracha.cases.services.photos import MAX_PHOTOS_PER_CASE
from pracha.states import State
from tests.factories import set_state
from tests.helpers import auth, image_bytes, upload


@pytest.fixture
def ticket(media: Path, file_case: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return file_case()


def stored(photo_id: int) -> Image.Image:
    photo = Photo.objects.get(pk=photo_id)
    with photo.image.open("rb") as fh:
        image = Image.open(io.BytesIO(fh.read()))
        image.load()
    return image


def test_a_png_is_stored_as_jpeg(api: Client, ticket: dict[str, Any], media: Path) -> None:
    response = upload(api, ticket["ticket_id"], image_bytes("PNG", (64, 48)))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "before"
    assert (body["width"], body["height"]) == (64, 48)
    assert body["url"].startswith("/media/photos/") and body["url"].endswith(".jpg")
    photo = Photo.objects.get(pk=body["id"])
    assert Path(photo.image.path).is_relative_to(media)
    assert stored(body["id"]).format == "JPEG"
    # The timeline and the case show it.
    case = api.get(f"/api/v1/cases/{ticket['ticket_id']}").json()
    assert [p["id"] for p in case["photos"]] == [body["id"]]
    assert case["timeline"][-1]["kind"] == "photo_added"
    assert case["timeline"][-1]["photo_url"] == body["url"]


def test_the_stored_photo_is_served(api: Client, ticket: dict[str, Any]) -> None:
    url = upload(api, ticket["ticket_id"], image_bytes()).json()["url"]
    response = api.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"


def test_gps_exif_is_removed(api: Client, ticket: dict[str, Any]) -> None:
    original = image_bytes("JPEG", gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # sanity

    response = upload(
        api, ticket["ticket_id"], original, filename="IMG_0001.jpg", content_type="image/jpeg"
    )

    assert response.status_code == 201
    image = stored(response.json()["id"])
    assert image.format == "JPEG"
    assert not image.getexif()
    assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    photo = Photo.objects.get(pk=response.json()["id"])
    with photo.image.open("rb") as fh:
        raw = fh.read()
    assert b"Exif" not in raw
    assert b"SecretCam" not in raw


def test_exif_orientation_is_applied_before_it_is_dropped(
    api: Client, ticket: dict[str, Any]
) -> None:
    sideways = image_bytes("JPEG", (60, 20), orientation=6)  # "rotate 90° clockwise"
    response = upload(api, ticket["ticket_id"], sideways, content_type="image/jpeg")
    assert (response.json()["width"], response.json()["height"]) == (20, 60)


def test_transparent_png_gets_a_white_background(api: Client, ticket: dict[str, Any]) -> None:
    response = upload(api, ticket["ticket_id"], image_bytes("PNG", (10, 10), mode="RGBA"))
    assert response.status_code == 201
    r, g, b = stored(response.json()["id"]).convert("RGB").getpixel((5, 5))
    assert min(r, g, b) > 240


def test_large_photos_are_scaled_down(api: Client, ticket: dict[str, Any]) -> None:
    response = upload(api, ticket["ticket_id"], image_bytes("PNG", (3000, 100)))
    assert (response.json()["width"], response.json()["height"]) == (2560, 85)


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"just some text, not a picture\n", "notes.txt", "text/plain"),
        (b"hello", "photo.jpg", "image/jpeg"),  # lies about its type
        (b"%PDF-1.4\n%...", "scan.pdf", "application/pdf"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "x.svg", "image/svg+xml"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "image/png"),
    ],
    ids=["text", "text-as-jpeg", "pdf", "svg", "truncated-png"],
)
def test_files_that_are_not_images_are_415(
    api: Client, ticket: dict[str, Any], data: bytes, name: str, content_type: str
) -> None:
    response = upload(api, ticket["ticket_id"], data, filename=name, content_type=content_type)

    assert response.status_code == 415
    body = response.json()
    assert body["code"] == "unsupported_media"
    assert "JPEG" in body["detail"]
    assert not Photo.objects.exists()


def test_an_empty_file_is_refused(api: Client, ticket: dict[str, Any]) -> None:
    response = upload(api, ticket["ticket_id"], b"")
    assert response.status_code in {415, 422}
    assert response.json()["detail"]
    assert not Photo.objects.exists()


def test_a_missing_file_is_422(api: Client, ticket: dict[str, Any]) -> None:
    response = api.post(f"/api/v1/cases/{ticket['ticket_id']}/photos", {"kind": "before"})
    assert response.status_code == 422
    assert response.json()["detail"] == "file: Field required"
    assert response.json()["field"] == "file"


def test_over_the_limit_is_413(
    api: Client, ticket: dict[str, Any], pracha: Callable[..., None]
) -> None:
    data = image_bytes("PNG", (200, 200))
    pracha(max_photo_bytes=len(data) - 1)

    response = upload(api, ticket["ticket_id"], data)

    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "too_large"
    assert f"the limit is {len(data) - 1:,}" in body["detail"]
    assert not Photo.objects.exists()


def test_at_the_limit_is_accepted(
    api: Client, ticket: dict[str, Any], pracha: Callable[..., None]
) -> None:
    data = image_bytes("PNG", (200, 200))
    pracha(max_photo_bytes=len(data))
    assert upload(api, ticket["ticket_id"], data).status_code == 201


def test_anonymous_after_photo_is_403(api: Client, ticket: dict[str, Any]) -> None:
    response = upload(api, ticket["ticket_id"], image_bytes(), kind="after")
    assert response.status_code == 403
    assert "officer" in response.json()["detail"]
    assert not Photo.objects.exists()


def test_a_reporter_cannot_add_an_after_photo_either(api: Client, ticket: dict[str, Any]) -> None:
    response = upload(
        api, ticket["ticket_id"], image_bytes(), kind="after", citizen_token=ticket["citizen_token"]
    )
    assert response.status_code == 403


def test_an_unknown_kind_is_400_for_anyone(
    api: Client, ticket: dict[str, Any], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    for headers in ({}, auth(key)):
        response = upload(api, ticket["ticket_id"], image_bytes(), kind="during", **headers)
        assert response.status_code == 400
        assert response.json()["detail"] == "kind must be 'before' or 'after'"
    assert not Photo.objects.exists()


def test_anonymous_before_photo_on_a_waiting_case(api: Client, ticket: dict[str, Any]) -> None:
    assert upload(api, ticket["ticket_id"], image_bytes()).status_code == 201


def test_anonymous_before_photo_on_a_case_no_longer_waiting_needs_the_token(
    api: Client, ticket: dict[str, Any]
) -> None:
    set_state(ticket["ticket_id"], State.ACCEPTED)

    refused = upload(api, ticket["ticket_id"], image_bytes())
    wrong = upload(api, ticket["ticket_id"], image_bytes(), citizen_token="0" * 32)
    assert refused.status_code == wrong.status_code == 403
    assert "citizen_token" in refused.json()["detail"]
    assert not Photo.objects.exists()

    in_form = upload(api, ticket["ticket_id"], image_bytes(), citizen_token=ticket["citizen_token"])
    in_header = upload(
        api, ticket["ticket_id"], image_bytes(), HTTP_X_CITIZEN_TOKEN=ticket["citizen_token"]
    )
    assert in_form.status_code == in_header.status_code == 201


def test_an_officer_adds_an_after_photo_and_closes_with_it(
    api: Client, ticket: dict[str, Any], officer: tuple[Officer, str]
) -> None:
    _me, key = officer
    ticket_id = ticket["ticket_id"]
    set_state(ticket_id, State.IN_PROGRESS)

    response = upload(api, ticket_id, image_bytes("JPEG", gps=True), kind="after", **auth(key))
    assert response.status_code == 201
    assert response.json()["kind"] == "after"
    event = Event.objects.get(kind=Event.Kind.PHOTO_ADDED)
    assert event.actor_label.endswith("(กรุงเทพมหานคร)")


def test_an_officer_of_another_agency_may_not_add_photos(
    api: Client,
    ticket: dict[str, Any],
    make_agency: Callable[..., Agency],
    make_officer: Callable[..., tuple[Officer, str]],
) -> None:
    _stranger, key = make_officer(make_agency("elsewhere"))
    for kind in ("before", "after"):
        response = upload(api, ticket["ticket_id"], image_bytes(), kind=kind, **auth(key))
        assert response.status_code == 403
    assert not Photo.objects.exists()


def test_photos_of_an_unknown_case_are_404(api: Client, media: Path, db: None) -> None:
    response = upload(api, "2026-NOSUCH", image_bytes())
    assert response.status_code == 404
    assert not list(media.rglob("*.jpg"))


def test_a_case_holds_a_limited_number_of_photos(api: Client, ticket: dict[str, Any]) -> None:
    from pracha.cases.models import Case

    case = Case.objects.get(ticket_id=ticket["ticket_id"])
    for _ in range(MAX_PHOTOS_PER_CASE):
        Photo.objects.create(case=case, url="https://example.org/p.jpg")

    response = upload(api, ticket["ticket_id"], image_bytes())

    assert response.status_code == 400
    assert f"at most {MAX_PHOTOS_PER_CASE} photos" in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["WEBP", "GIF"])
def test_other_common_formats_are_accepted(api: Client, ticket: dict[str, Any], fmt: str) -> None:
    response = upload(api, ticket["ticket_id"], image_bytes(fmt), filename=f"p.{fmt.lower()}")
    assert response.status_code == 201
    assert stored(response.json()["id"]).format == "JPEG"


def test_an_image_with_too_many_pixels_is_refused(api: Client, ticket: dict[str, Any]) -> None:
    """A tiny file that would decode to 48 megapixels (a decompression bomb)."""
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, format="PNG")
    assert len(out.getvalue()) < 100_000

    response = upload(api, ticket["ticket_id"], out.getvalue())

    assert response.status_code == 415
    assert response.json()["detail"] == "the image has too many pixels"
