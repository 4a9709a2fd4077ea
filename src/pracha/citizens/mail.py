"""The sign-in code e-mail, in the citizen's language (Thai or English).

Sent with Django's mail API once the code is committed (the demo and tests write it as a file
under $PRACHA_VAR_DIR/mail/, like every other message). A failing mail server is logged and
the person asks again; it never breaks the request that stored the code.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

log = logging.getLogger(__name__)


def code_message(address: str, code: str, language: str, minutes: int) -> EmailMessage:
    with translation.override(language if language in {"th", "en"} else "th"):
        context = {
            "code": code,
            "minutes": minutes,
            "signin_url": f"{settings.PRACHA.base_url}/signin/",
        }
        subject = render_to_string("citizens/email/signin_code_subject.txt", context)
        body = render_to_string("citizens/email/signin_code.txt", context)
    # A code is for one person: no list headers, no copies, nothing but the address asked for.
    return EmailMessage(subject=" ".join(subject.split()), body=body, to=[address])


def send_code(address: str, code: str, language: str, minutes: int) -> None:
    try:
        code_message(address, code, language, minutes).send()
    except Exception:  # the person sees no mail and asks again; the request itself succeeded
        log.exception("could not e-mail a sign-in code")
