"""Privacy follow-ups: a triage correction keeps the case's description as it was when the
officer corrected it (training data for `pracha train`), so erasing the reporter's data
scrubs that copy too (through `reporter_erased` of pracha.audit.signals)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pracha.cases.models import Case
from pracha.masking.personal_data import mask_personal_data
from pracha.triage.models import TriageCorrection


def erase_reporter(
    sender: Any, case: Case, scrub: Callable[[str], str] = mask_personal_data, **_: Any
) -> None:
    """Scrub the text of the case's corrections as the description itself is scrubbed: the
    category labels stay useful for training, the reporter's data goes."""
    for pk, text in (
        TriageCorrection.objects.filter(case=case).exclude(text="").values_list("pk", "text")
    ):
        scrubbed = scrub(text)
        if scrubbed != text:
            TriageCorrection.objects.filter(pk=pk).update(text=scrubbed)
