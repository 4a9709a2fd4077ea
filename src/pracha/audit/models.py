"""The audit log: who did what, to which object, when and from where. Append-only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """One audited action. Never holds the personal data it is about, only that it was used."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=64, help_text="e.g. contact.read, case.accepted")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=200, blank=True, help_text="Who, as it was then")
    api_key_prefix = models.CharField(max_length=12, blank=True)
    object_type = models.CharField(max_length=64, blank=True, help_text="e.g. case, agency")
    object_id = models.CharField(max_length=64, blank=True, help_text="ticket id or primary key")
    object_repr = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit log"
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="audit_object_idx"),
            models.Index(fields=["action", "at"], name="audit_action_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label or '-'} {self.action} {self.object_id}"
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("audit entries cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries cannot be deleted")
