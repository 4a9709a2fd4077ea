"""Reporters who asked for no more e-mail: a keyed hash of their address, and the signed
one-click unsubscribe link every reporter e-mail carries (RFC 8058).

The salts are those the links and hashes were first made with (when this lived in
pracha.web): links already sent keep working and stored opt-outs keep matching.
"""

from __future__ import annotations

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from pracha.cases.models import Case
from pracha.notify.models import EmailOptOut

UNSUBSCRIBE_SALT = "pracha.web.unsubscribe"
ADDRESS_SALT = "pracha.web.email-opt-out"


def address_hash(email: str) -> str:
    return salted_hmac(ADDRESS_SALT, email.strip().casefold()).hexdigest()


def unsubscribe_token(case: Case, email: str) -> str:
    return signing.dumps({"c": case.pk, "a": address_hash(email)}, salt=UNSUBSCRIBE_SALT)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["c"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def opted_out(email: str, case: Case) -> bool:
    digest = address_hash(email)
    return (
        EmailOptOut.objects.filter(address_hash=digest).filter(case__isnull=True).exists()
        or EmailOptOut.objects.filter(address_hash=digest, case=case).exists()
    )


def do_opt_out(digest: str, case: Case | None) -> None:
    """No more e-mail to the address behind `digest`: about `case`, or about any (None)."""
    try:
        with transaction.atomic():
            EmailOptOut.objects.get_or_create(address_hash=digest, case=case)
    except IntegrityError:  # a second click racing the first: already opted out
        pass
