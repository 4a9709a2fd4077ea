"""The e-mails consultations send respondents who asked for them (sent by pracha.notify):
the results are public, and the agency published what it changed because of them."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from pracha.consultations.models import Consultation

CLOSED = "closed"
CHANGES = "changes"


def page_url(consultation: Consultation) -> str:
    return f"{settings.PRACHA.base_url}/consultations/{consultation.ref}/"


def title(consultation: Consultation, language: str) -> str:
    return (
        consultation.title_en
        if language == "en" and consultation.title_en
        else consultation.title_th
    )


def message(consultation: Consultation, kind: str, address: str, language: str) -> EmailMessage:
    """One message to one respondent, in their language."""
    with translation.override(language):
        name = title(consultation, language)
        if kind == CLOSED:
            subject = _("Results of the consultation: %(title)s") % {"title": name}
            lines = [
                _("The consultation you answered has closed and its results are public."),
                _("The agency has until %(date)s to publish what it changed because of you.")
                % {"date": f"{consultation.changes_due_at or consultation.closes_at:%Y-%m-%d}"},
            ]
        else:
            subject = _("What changed because of you: %(title)s") % {"title": name}
            changes = (
                consultation.changes_en
                if language == "en" and consultation.changes_en
                else consultation.changes_th
            )
            lines = [
                _("The agency published what it changed after the consultation you answered:"),
                "",
                changes,
            ]
        lines += [
            "",
            page_url(consultation),
            "",
            _("You get this because you asked to hear about this consultation when you answered."),
        ]
        body = "\n".join(lines) + "\n"
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
