"""Signal receivers that put every change into the audit log.

- each timeline Event (every officer action, every citizen action, every new case);
- saves and deletions of what administrators manage: agencies, officers, API keys (created,
  revoked), users and groups, categories and routing rules, whichever way they are made;
- anything else changed through the admin (Django's LogEntry);
- logins and failed logins.

Entries are written inside the transaction of the change: a change that is rolled back
leaves no entry, and a committed change always has one.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest

from pracha.audit.log import audit

# What administrators manage. Rules are matched by name so a routing-rule model in any app
# is covered without this module knowing the app.
AUDITED_APPS = frozenset({"agencies", "auth"})
AUDITED_MODELS = frozenset({"cases.category"})
NOT_AUDITED = frozenset({"auth.permission"})
# Only the names of changed fields are kept for these: their values are secrets or personal.
NAMES_ONLY = frozenset({"auth.user", "agencies.apikey"})
IGNORED_FIELDS = frozenset({"last_login", "last_used_at"})


def is_administered(model: type[Model]) -> bool:
    label = model._meta.label_lower
    if label in NOT_AUDITED:
        return False
    return (
        model._meta.app_label in AUDITED_APPS
        or label in AUDITED_MODELS
        or model.__name__.endswith("Rule")
    )


# The case timeline is named, not imported: the audit log sits below the apps it records.
@receiver(post_save, sender="cases.Event", dispatch_uid="audit-case-event")
def on_case_event(sender: type[Model], instance: Any, created: bool, raw: bool, **_: Any) -> None:
    if raw or not created:
        return
    audit(
        f"case.{instance.kind}",
        object_type="case",
        object_id=instance.case.ticket_id,
        object_repr=instance.case.ticket_id,
        actor=instance.actor,
        actor_label=instance.actor_label,
        detail=_compact(
            {
                "event_id": instance.pk,
                "from_state": instance.from_state,
                "to_state": instance.to_state,
                "agency_id": instance.agency_id,
                "from_agency_id": instance.from_agency_id,
                "to_agency_id": instance.to_agency_id,
                "public": instance.is_public,
                "photo_id": instance.photo_id,
                "stars": instance.stars,
            }
        ),
    )


@receiver(pre_save, dispatch_uid="audit-snapshot")
def remember_old_values(sender: type[Model], instance: Model, raw: bool, **_: Any) -> None:
    if raw or not is_administered(sender) or instance._state.adding or instance.pk is None:
        return
    # A private note for on_administered_save, which pops it again; no field of the model.
    instance.__dict__["_audit_before"] = (
        sender._base_manager.filter(pk=instance.pk).values().first()
    )


@receiver(post_save, dispatch_uid="audit-administered-save")
def on_administered_save(
    sender: type[Model],
    instance: Model,
    created: bool,
    raw: bool,
    update_fields: frozenset[str] | None = None,
    **_: Any,
) -> None:
    if raw or not is_administered(sender):
        return
    if update_fields and set(update_fields) <= IGNORED_FIELDS:
        return  # a login stamping last_login is not a change anyone made
    name = sender._meta.model_name
    before = getattr(instance, "_audit_before", None)
    instance.__dict__.pop("_audit_before", None)
    if created or before is None:
        audit(f"{name}.created", obj=instance, detail=_describe_new(sender, instance))
        return
    changed = _changes(sender, before, instance)
    if not changed:
        return
    action = f"{name}.changed"
    if (
        name == "apikey"
        and before.get("revoked_at") is None
        and getattr(instance, "revoked_at", None)
    ):
        action = "apikey.revoked"
    audit(action, obj=instance, detail={"changed": changed})


@receiver(post_delete, dispatch_uid="audit-administered-delete")
def on_administered_delete(sender: type[Model], instance: Model, **_: Any) -> None:
    if is_administered(sender):
        audit(f"{sender._meta.model_name}.deleted", obj=instance)


ADMIN_ACTIONS = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit-admin-log")
def on_admin_log(sender: type[LogEntry], instance: LogEntry, created: bool, **_: Any) -> None:
    """Admin changes to models not covered above (cases edited by an administrator...)."""
    model = instance.content_type.model_class() if instance.content_type is not None else None
    if not created or (model is not None and is_administered(model)):
        return
    audit(
        f"admin.{ADMIN_ACTIONS.get(instance.action_flag, 'action')}",
        object_type=instance.content_type.model if instance.content_type is not None else "",
        object_id=instance.object_id or "",
        object_repr=instance.object_repr,
        actor=instance.user,
        detail={"change": instance.get_change_message()},
    )


@receiver(user_logged_in, dispatch_uid="audit-login")
def on_login(sender: Any, request: HttpRequest | None, user: Any, **_: Any) -> None:
    audit("auth.login", obj=user, actor=user)


@receiver(user_login_failed, dispatch_uid="audit-login-failed")
def on_login_failed(sender: Any, credentials: dict[str, Any], **_: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    audit("auth.login_failed", object_type="user", object_id=username, detail={})


def _describe_new(model: type[Model], instance: Model) -> dict[str, Any]:
    if model._meta.label_lower in NAMES_ONLY:
        return {}
    return {"values": {k: _jsonable(v) for k, v in _values(model, instance).items()}}


def _changes(model: type[Model], before: dict[str, Any], instance: Model) -> Any:
    after = _values(model, instance)
    names = [k for k, v in after.items() if k in before and before[k] != v]
    if model._meta.label_lower in NAMES_ONLY:
        return names
    return {k: [_jsonable(before[k]), _jsonable(after[k])] for k in names}


def _values(model: type[Model], instance: Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in model._meta.concrete_fields
        if f.attname not in IGNORED_FIELDS
    }


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | Decimal):
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    return str(value)


def _compact(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "")}
