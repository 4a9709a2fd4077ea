"""A local fake of the LINE Messaging API: a real HTTP server on a free port that records
every call (path, headers, JSON body), answers replies, pushes, profiles and rich menus,
serves message content (photos), and fails or answers 429 when a test tells it to.

Like LINE, it refuses a reply token used twice or marked expired (400), and answers 409 to a
push whose X-Line-Retry-Key it has already accepted.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.cli import free_port


@dataclass
class Call:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def texts(self) -> list[str]:
        return [m.get("text", "") for m in (self.body or {}).get("messages", [])]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)

    def quick_data(self) -> list[str]:
        """Every quick-reply button's postback data (or action type) in the call."""
        found = []
        for message in (self.body or {}).get("messages", []):
            for item in (message.get("quickReply") or {}).get("items", []):
                action = item["action"]
                found.append(action.get("data") or action["type"])
        return found


@dataclass
class Failure:
    status: int
    headers: dict[str, str] = field(default_factory=dict)


class FakeLine:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.content: dict[str, tuple[bytes, str]] = {}
        self.languages: dict[str, str] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.used_tokens: set[str] = set()
        self.expired_tokens: set[str] = set()
        self.retry_keys: set[str] = set()
        self.owners: dict[str, str] = {}
        self.lock = threading.Lock()
        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeLine:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def fail(self, prefix: str, *statuses: int, **headers: str) -> None:
        """The next calls whose path starts with `prefix` get these statuses, in order."""
        header_map = {k.replace("_", "-"): v for k, v in headers.items()}
        self.failures.setdefault(prefix, []).extend(Failure(s, header_map) for s in statuses)

    # --- what was sent -------------------------------------------------------------------

    def sent(self, kind: str = "") -> list[Call]:
        """Replies and pushes that LINE accepted (kind: "reply" or "push")."""
        paths = {"reply": ["/v2/bot/message/reply"], "push": ["/v2/bot/message/push"]}
        wanted = paths.get(kind, ["/v2/bot/message/reply", "/v2/bot/message/push"])
        return [c for c in self.calls if c.path in wanted and c.headers.get("x-accepted") == "1"]

    def to(self, user_id: str) -> list[Call]:
        """Accepted messages to one user (a reply counts by its token's owner)."""
        return [c for c in self.sent() if c.headers.get("x-user") == user_id]

    def last_to(self, user_id: str) -> Call:
        calls = self.to(user_id)
        assert calls, f"nothing was sent to {user_id}"
        return calls[-1]

    def token_for(self, user_id: str, token: str) -> None:
        """Who a reply token belongs to (the tests' events say it)."""
        with self.lock:
            self.owners[token] = user_id

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, status: int, body: Any = None, **headers: str) -> None:
                data = body if isinstance(body, bytes) else json.dumps(body or {}).encode()
                self.send_response(status)
                content_type = headers.pop("content_type", "application/json")
                self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name.replace("_", "-"), value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self) -> Call:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                try:
                    body: Any = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                call = Call(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
                with fake.lock:
                    fake.calls.append(call)
                return call

            def _sent_messages(self, call: Call) -> dict[str, Any]:
                count = len(call.body.get("messages", []))
                return {"sentMessages": [{"id": str(n), "quoteToken": "q"} for n in range(count)]}

            def _failure(self) -> Failure | None:
                with fake.lock:
                    for prefix, queue in fake.failures.items():
                        if self.path.startswith(prefix) and queue:
                            return queue.pop(0)
                return None

            def do_GET(self) -> None:
                self._handle()

            def do_POST(self) -> None:
                self._handle()

            def _handle(self) -> None:
                call = self._record()
                failure = self._failure()
                if failure is not None:
                    self._answer(failure.status, {"message": "fake failure"}, **failure.headers)
                    return
                path = self.path
                if path == "/v2/bot/message/reply":
                    token = call.body["replyToken"]
                    with fake.lock:
                        bad = token in fake.used_tokens or token in fake.expired_tokens
                        fake.used_tokens.add(token)
                    if bad:
                        self._answer(400, {"message": "Invalid reply token"})
                        return
                    call.headers["x-user"] = fake.owners.get(token, "")
                    call.headers["x-accepted"] = "1"
                    self._answer(200, self._sent_messages(call))
                elif path == "/v2/bot/message/push":
                    key = call.headers.get("x-line-retry-key", "")
                    with fake.lock:
                        again = bool(key) and key in fake.retry_keys
                        fake.retry_keys.add(key)
                    if again:
                        self._answer(409, {"message": "The retry key is already accepted"})
                        return
                    call.headers["x-user"] = call.body["to"]
                    call.headers["x-accepted"] = "1"
                    self._answer(200, self._sent_messages(call))
                elif path.startswith("/v2/bot/profile/"):
                    user_id = path.rsplit("/", 1)[-1]
                    language = fake.languages.get(user_id)
                    profile = {"userId": user_id, "displayName": "Somchai"}
                    if language:
                        profile["language"] = language
                    self._answer(200, profile)
                elif path.startswith("/v2/bot/message/") and path.endswith("/content"):
                    message_id = path.split("/")[-2]
                    if message_id not in fake.content:
                        self._answer(404, {"message": "no such content"})
                        return
                    data, content_type = fake.content[message_id]
                    self._answer(200, data, content_type=content_type)
                elif path == "/v2/bot/richmenu":
                    self._answer(200, {"richMenuId": "richmenu-fake-1"})
                elif path.startswith("/v2/bot/richmenu/") or path.startswith("/v2/bot/user/all/"):
                    self._answer(200, {})
                else:
                    self._answer(404, {"message": f"the fake has no {path}"})

        return Handler


def running() -> Iterator[FakeLine]:
    fake = FakeLine().start()
    try:
        yield fake
    finally:
        fake.stop()
