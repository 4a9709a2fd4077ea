"""Writing audit entries. Call `audit()` for anything a person should be able to trace later."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection

from pracha.audit.context import after_request, current_actor
from pracha.audit.models import AuditEntry
from pracha.inserts import insert_new

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def audit(
    action: str,
    *,
    obj: Any = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    actor: Any = None,
    actor_label: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record `action` on `obj` by `actor` (default: whoever the current request is).

    `obj` may be a Case (recorded by ticket id) or any model instance; `actor` a user, an
    Officer, or None. The address and API key always come from the current request.
    """
    who = current_actor()
    user = who.user
    if actor is not None:
        user = getattr(actor, "user", actor)  # an Officer acts as its user
    if isinstance(user, AnonymousUser) or not isinstance(user, AbstractBaseUser):
        user = None
    label = actor_label or (user.get_username() if user is not None else who.label)
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = object_id or str(getattr(obj, "ticket_id", None) or obj.pk)
        object_repr = object_repr or str(obj)
    entry = AuditEntry(
        action=action[:64],
        actor=cast("User | None", user),  # AUTH_USER_MODEL is User, the only user class
        actor_label=label[:200],
        api_key_prefix=who.api_key_prefix[:12],
        object_type=object_type[:64],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:200],
        ip=who.ip,
        detail=detail or {},
    )
    pending: list[AuditEntry] | None = getattr(_batch, "entries", None)
    if pending is not None and _savepoints() == _batch.depth:
        pending.append(entry)
    else:
        # Outside a batch, or inside a savepoint opened within one: written now, so it
        # commits or rolls back with that savepoint, not with the batch's end.
        entry.save(force_insert=True)
    return entry


_batch = threading.local()


def _savepoints() -> int:
    """Savepoints open now (an `atomic(savepoint=False)` records None: it has none)."""
    return sum(1 for sid in connection.savepoint_ids if sid)


@contextmanager
def audit_batch() -> Iterator[None]:
    """Entries audited inside this block are written together, in one INSERT, at its end
    (use inside the change's transaction, so they still commit or roll back with it).

    Inside the block `audit()` returns its entry unsaved (no id yet). A block left by an
    exception writes nothing: its transaction is rolled back anyway. Nested blocks join the
    outermost one. Entries audited inside a savepoint opened within the block (an
    `atomic()` inside it) are written at once instead, so a savepoint rolled back while the
    block goes on takes its entries with it.
    """
    if getattr(_batch, "entries", None) is not None:
        yield
        return
    entries: list[AuditEntry] = []
    _batch.entries, _batch.depth = entries, _savepoints()
    try:
        yield
    finally:
        _batch.entries = None
    insert_new(entries, announce=True)  # announced as saves: receivers of new entries run


def audit_refusal(action: str, **fields: Any) -> None:
    """Record a refused attempt. A refusal raised inside a transaction rolls it back, entry
    and all, so there the entry is written once the request is answered."""
    write = partial(audit, action, **fields)
    if not (connection.in_atomic_block and after_request(write)):
        write()


def entries_for(obj: Any) -> Any:
    """The audit trail of one object, newest first."""
    object_id = str(getattr(obj, "ticket_id", None) or obj.pk)
    return AuditEntry.objects.filter(object_type=obj._meta.model_name, object_id=object_id)
