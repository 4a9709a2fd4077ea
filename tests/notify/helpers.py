"""Helpers for the notification tests."""

from __future__ import annotations

from django.db.models import QuerySet

from pracha.notify.models import Channel, Delivery, MailType


def waiting_mail() -> QuerySet[Delivery]:
    """Reporters' events not e-mailed yet: the e-mail rows of the outbox still pending."""
    return Delivery.objects.on(Channel.EMAIL).filter(event_type=MailType.REPORTER).pending()
