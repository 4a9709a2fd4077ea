"""`{% load pracha_evidence %}`: the photo-check parts of the office bar.

`{% photo_checks_waiting officer as n %}` gives the number of suspect closings waiting for
this officer's review, or None when the officer reviews none (not a supervisor).
"""

from __future__ import annotations

from django import template

from pracha.agencies.models import Officer
from pracha.evidence.results import suspect_closings
from pracha.evidence.review import reviews_for

register = template.Library()


@register.simple_tag
def photo_checks_waiting(officer: Officer | None) -> int | None:
    if officer is None:
        return None
    scope = reviews_for(officer)
    if scope is False:
        return None
    return suspect_closings(scope).count()
