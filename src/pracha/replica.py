"""Heavy public reads on a PostgreSQL streaming replica (DATABASE_REPLICA_URL), everything
else on the primary.

Only GET and HEAD requests to the read-only public pages and endpoints (REPLICA_PATHS: the
dashboard, indicators, open data, the public lists) read from the replica, and only Pracha's
own tables: sessions, users, the cache's counters and every write stay on the primary. A
browser that has just written (any successful POST, PUT, PATCH or DELETE) gets a short-lived
cookie that keeps its reads on the primary for PRACHA_REPLICA_PIN_SECONDS, so a reporter
always sees their own report in the list though the replica is a moment behind.

The choice is made per request by ReplicaMiddleware and held until the response is closed
(`request_finished`), so a streamed export reads from the replica to its last row.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PIN_COOKIE = "pracha_primary"
SAFE_METHODS = {"GET", "HEAD"}
# Read-only public paths whose reads may lag the primary by a moment. The list of cases is
# matched exactly: /api/v1/cases/<ticket> (a reporter checking their report) stays on the
# primary.
REPLICA_PREFIXES = ("/dashboard/", "/api/v1/indicators", "/api/v1/open-data/")
REPLICA_EXACT = {"/", "/api/v1/cases", "/open311/v2/requests.json", "/open311/v2/requests.xml"}

_reading_replica: ContextVar[bool] = ContextVar("pracha_reading_replica", default=False)


def configured() -> bool:
    return REPLICA in connections.databases


@contextlib.contextmanager
def _reading(replica: bool) -> Iterator[None]:
    token = _reading_replica.set(replica)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def use_replica() -> contextlib.AbstractContextManager[None]:
    """Read Pracha's tables from the replica inside this block (when there is one)."""
    return _reading(True)


def use_primary() -> contextlib.AbstractContextManager[None]:
    """Read from the primary inside this block, even in a request that reads the replica:
    for work that writes from what it reads (catching the indicators up)."""
    return _reading(False)


def read_connection() -> BaseDatabaseWrapper:
    """The connection for a read-only raw SQL query (the indicators' reports): the replica
    while this request reads from it, else the primary."""
    alias = REPLICA if _reading_replica.get() and configured() else DEFAULT_DB_ALIAS
    return connections[alias]


def on_replica_path(path: str) -> bool:
    return path in REPLICA_EXACT or path.startswith(REPLICA_PREFIXES)


class ReplicaRouter:
    """DATABASE_ROUTERS entry: reads of Pracha's models on the replica while a request (or a
    `use_replica()` block) asks for it; writes and migrations on the primary only."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading_replica.get() and model.__module__.startswith("pracha.") and configured():
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return "default"

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def _back_to_primary(**kwargs: Any) -> None:
    _reading_replica.set(False)


request_finished.connect(_back_to_primary, dispatch_uid="pracha.replica")


class ReplicaMiddleware:
    """Sends a request's reads to the replica (see the module's docstring); does nothing
    without DATABASE_REPLICA_URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        replica = (
            request.method in SAFE_METHODS
            and PIN_COOKIE not in request.COOKIES
            and on_replica_path(request.path)
        )
        _reading_replica.set(replica)  # until the response is closed (request_finished)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.PRACHA.replica_pin_seconds,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
