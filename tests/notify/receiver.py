"""A real HTTP webhook receiver on 127.0.0.1, in a thread: it checks each signature the way a
partner should (HMAC-SHA256 of the raw body, compared in constant time) and records what came.

`status` is what it answers (500 to play a broken receiver); `stop()` closes the port (a
receiver that is down) and `start()` opens the same port again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    signature_ok: bool
    answered: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def event_id(self) -> str:
        return self.headers["X-Pracha-Event-Id"]


class Receiver:
    def __init__(self, secret: str = "") -> None:
        self.secret = secret
        self.status = 200
        self.redirect_to = ""
        self.received: list[Received] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/pracha"

    def start(self) -> Receiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                expected = (
                    "sha256=" + hmac.new(receiver.secret.encode(), body, hashlib.sha256).hexdigest()
                )
                given = self.headers.get("X-Pracha-Signature", "")
                status = receiver.status
                with receiver._lock:
                    receiver.received.append(
                        Received(
                            self.path,
                            dict(self.headers.items()),
                            body,
                            hmac.compare_digest(expected, given),
                            status,
                        )
                    )
                self.send_response(status)
                if receiver.redirect_to:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def accepted(self) -> list[Received]:
        """What the receiver took (answered 2xx)."""
        with self._lock:
            return [r for r in self.received if 200 <= r.answered < 300]
