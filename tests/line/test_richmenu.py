"""`pracha line richmenu`: the menu (report, my reports, dashboard) created through the API."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.line.chat import Chat
from tests.line.fake_line import FakeLine


def test_richmenu_creates_uploads_and_sets_the_default(chat: Chat, fake_line: FakeLine) -> None:
    out = StringIO()
    call_command("line", "richmenu", stdout=out)
    assert "richmenu-fake-1" in out.getvalue()
    paths = [(c.method, c.path) for c in fake_line.calls]
    assert paths == [
        ("POST", "/v2/bot/richmenu"),
        ("POST", "/v2/bot/richmenu/richmenu-fake-1/content"),
        ("POST", "/v2/bot/user/all/richmenu/richmenu-fake-1"),
    ]
    menu = fake_line.calls[0].body
    actions = [area["action"] for area in menu["areas"]]
    assert [a.get("data") for a in actions[:2]] == ["action=report", "action=my_reports"]
    assert actions[2]["uri"].endswith("/dashboard/")
    upload = fake_line.calls[1]
    assert upload.headers["content-type"] == "image/png"
    assert upload.body[:4] == b"\x89PNG"


def test_richmenu_that_line_refuses_is_a_clear_error(chat: Chat, fake_line: FakeLine) -> None:
    fake_line.fail("/v2/bot/richmenu", 400)
    with pytest.raises(CommandError, match="400"):
        call_command("line", "richmenu")


@pytest.mark.django_db
def test_richmenu_needs_a_token(pracha: Callable[..., None]) -> None:
    pracha(line_channel_access_token="")
    with pytest.raises(CommandError, match="PRACHA_LINE_CHANNEL_ACCESS_TOKEN"):
        call_command("line", "richmenu")
