"""The rich menu: three buttons under the chat (report, my reports, dashboard), created
through the API (`pracha line richmenu`) and made the default for every user."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from linebot.v3.messaging import (
    MessagingApi,
    MessagingApiBlob,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    URIAction,
)
from PIL import Image, ImageDraw

from pracha.line.words import say
from pracha.notify import line_api

WIDTH, HEIGHT = 2500, 843  # LINE's large compact size
COLOURS = ("#0b7a3e", "#1f4e9c", "#6b4aa0")


@dataclass(frozen=True)
class Created:
    rich_menu_id: str
    default: bool


def dashboard_url() -> str:
    try:
        path = reverse("dashboard")
    except NoReverseMatch:
        path = "/dashboard/"
    return settings.PRACHA.base_url + path


def menu_request(language: str = "th") -> RichMenuRequest:
    third = WIDTH // 3
    actions = [
        PostbackAction(
            label=say("btn_report", language),
            data="action=report",
            display_text=say("btn_report", language),
        ),
        PostbackAction(
            label=say("btn_my_reports", language),
            data="action=my_reports",
            display_text=say("btn_my_reports", language),
        ),
        URIAction(label=say("btn_dashboard", language), uri=dashboard_url()),
    ]
    areas = [
        RichMenuArea(
            bounds=RichMenuBounds(x=i * third, y=0, width=third, height=HEIGHT), action=action
        )
        for i, action in enumerate(actions)
    ]
    return RichMenuRequest(
        size=RichMenuSize(width=WIDTH, height=HEIGHT),
        selected=True,
        name="Pracha",
        chat_bar_text=say("btn_report", language),
        areas=areas,
    )


def menu_image() -> bytes:
    """A plain image of the three buttons (a designed one can be given instead)."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    third = WIDTH // 3
    labels = ("Report", "My reports", "Dashboard")
    for i, (label, colour) in enumerate(zip(labels, COLOURS, strict=True)):
        draw.rectangle([i * third + 8, 8, (i + 1) * third - 8, HEIGHT - 8], fill=colour)
        draw.text((i * third + third // 2, HEIGHT // 2), label, fill="white", anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def do_create_rich_menu(image: bytes | None = None, *, make_default: bool = True) -> Created:
    """Create the menu, upload its image (data API), and make it every user's default."""
    request = menu_request()
    with line_api.api_client() as client:
        created = MessagingApi(client).create_rich_menu(
            request, _request_timeout=line_api.timeout()
        )
    menu_id = str(created.rich_menu_id)
    image = image or menu_image()
    content_type = "image/png" if image[:4] == b"\x89PNG" else "image/jpeg"
    with line_api.api_client(data=True) as client:
        MessagingApiBlob(client).set_rich_menu_image(
            menu_id,
            image,
            _headers={"Content-Type": content_type},
            _request_timeout=line_api.timeout(),
        )
    if make_default:
        with line_api.api_client() as client:
            MessagingApi(client).set_default_rich_menu(menu_id, _request_timeout=line_api.timeout())
    return Created(menu_id, make_default)
