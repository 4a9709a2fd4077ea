"""Masking of personal data in citizen-written text before it is shown on a public page."""

from __future__ import annotations


def public_text(text: str) -> str:
    """Phone numbers, ID numbers, e-mail addresses and plates in `text`, masked.

    The masking rules belong to pracha.audit (privacy); pages only apply them.
    """
    if not text:
        return ""
    try:
        from pracha.masking.personal_data import mask_personal_data
    except ImportError:  # an installation without the audit app shows text as written
        return text
    return mask_personal_data(text)
