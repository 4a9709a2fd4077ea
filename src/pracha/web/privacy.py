"""Masking of personal data in citizen-written text before it is shown on a public page."""

from __future__ import annotations

from pracha.masking.personal_data import mask_personal_data


def public_text(text: str) -> str:
    """Phone numbers, ID numbers, e-mail addresses and plates in `text`, masked.

    The masking rules are pracha.masking's; pages only apply them.
    """
    return mask_personal_data(text) if text else ""
