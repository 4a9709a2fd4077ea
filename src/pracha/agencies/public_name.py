"""The name an officer chooses to show on public timelines: never a login, never contact data.

Kept free of models so that `Officer.clean` (the admin) and the office settings form share it.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from pracha.masking.personal_data import mask_personal_data

MAX_LENGTH = 60


def _folded(text: str) -> str:
    # Full-width letters and case must not sneak a login past the comparison.
    return unicodedata.normalize("NFKC", text).casefold()


def check_public_name(name: str, username: str) -> str:
    """`name` with its spaces tidied, or ValidationError saying why it may not be shown."""
    cleaned = re.sub(r"\s+", " ", name).strip()
    if len(cleaned) > MAX_LENGTH:
        raise ValidationError(
            _("Use at most %(limit)d characters.") % {"limit": MAX_LENGTH}, code="max_length"
        )
    if not cleaned:
        return ""
    if _folded(cleaned) == _folded(username):
        raise ValidationError(
            _("Choose a name other than your login; logins are never shown to the public."),
            code="username",
        )
    # Whatever public pages would mask (phone, e-mail, ID or plate numbers) is refused outright.
    if mask_personal_data(cleaned) != cleaned:
        raise ValidationError(
            _("A public name may not contain phone, ID or plate numbers, nor e-mail addresses."),
            code="personal_data",
        )
    return cleaned
