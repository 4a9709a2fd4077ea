"""`{% load privacy %}{{ case.description|mask_pii }}`: personal data masked in pages."""

from __future__ import annotations

from django import template

from pracha.masking.personal_data import mask_personal_data

register = template.Library()


@register.filter(name="mask_pii", is_safe=True)
def mask_pii(value: object) -> str:
    """Phone numbers, national ID numbers, e-mails and plates replaced by labels.

    `is_safe`: masking adds only `[` `]` and Thai letters, so escaped text stays escaped.
    """
    return mask_personal_data("" if value is None else str(value))
