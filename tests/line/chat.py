"""Webhook deliveries as LINE sends them: events of a user, signed with the channel secret
(HMAC-SHA256, base64, as LINE signs; only tests compute it, Pracha uses the SDK's check)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

from django.test import Client

from tests.line.fake_line import FakeLine

SECRET = "test-channel-secret"
TOKEN = "test-access-token"


def sign(body: bytes, secret: str = SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


class Chat:
    """Builds events with increasing timestamps and posts them to /line/webhook."""

    def __init__(self, client: Client, fake: FakeLine) -> None:
        self.client = client
        self.fake = fake
        self.count = 0
        self.clock_ms = int(time.time() * 1000) - 5_000

    def event(self, user: str, kind: str, **fields: Any) -> dict[str, Any]:
        self.count += 1
        self.clock_ms += 1000
        token = f"reply-{self.count}"
        self.fake.token_for(user, token)
        event: dict[str, Any] = {
            "type": kind,
            "mode": "active",
            "timestamp": self.clock_ms,
            "webhookEventId": f"01HLINE{self.count:06d}",
            "deliveryContext": {"isRedelivery": False},
            "source": {"type": "user", "userId": user},
            **fields,
        }
        if kind != "unfollow":
            event["replyToken"] = token
        return event

    def text(self, user: str, words: str) -> dict[str, Any]:
        message = {"type": "text", "id": f"m{self.count + 1}", "quoteToken": "q", "text": words}
        return self.event(user, "message", message=message)

    def image(
        self, user: str, data: bytes | None = None, content_type: str = "image/png"
    ) -> dict[str, Any]:
        message_id = f"img{self.count + 1}"
        if data is not None:
            self.fake.content[message_id] = (data, content_type)
        message = {
            "type": "image",
            "id": message_id,
            "quoteToken": "q",
            "contentProvider": {"type": "line"},
        }
        return self.event(user, "message", message=message)

    def location(self, user: str, lat: float = 13.7563, lon: float = 100.5018) -> dict[str, Any]:
        message = {
            "type": "location",
            "id": f"m{self.count + 1}",
            "latitude": lat,
            "longitude": lon,
            "address": "ถนนดินสอ",
            "title": "Sao Chingcha",
        }
        return self.event(user, "message", message=message)

    def sticker(self, user: str) -> dict[str, Any]:
        message = {
            "type": "sticker",
            "id": f"m{self.count + 1}",
            "quoteToken": "q",
            "packageId": "1",
            "stickerId": "1",
            "stickerResourceType": "STATIC",
        }
        return self.event(user, "message", message=message)

    def postback(self, user: str, data: str) -> dict[str, Any]:
        return self.event(user, "postback", postback={"data": data})

    def follow(self, user: str) -> dict[str, Any]:
        return self.event(user, "follow", follow={"isUnblocked": False})

    def unfollow(self, user: str) -> dict[str, Any]:
        return self.event(user, "unfollow")

    def post(self, *events: dict[str, Any], signature: str | None = None) -> Any:
        body = json.dumps({"destination": "Ubot", "events": list(events)}).encode()
        headers = {} if signature == "" else {"HTTP_X_LINE_SIGNATURE": signature or sign(body)}
        return self.client.post(
            "/line/webhook", data=body, content_type="application/json", **headers
        )

    def send(self, *events: dict[str, Any]) -> Any:
        response = self.post(*events)
        assert response.status_code == 200, response.content
        return response
