"""Which agencies are real offices: one rule set for every page that names agencies.

An imported city holds a few hundred agencies: real ones, spellings of the same office, and
scraps where an import read a free-text note as an organisation. Two questions, one evidence:

- `is_real_agency`: may a page *offer* it (the officers' agency picker)? Only with positive
  evidence: known by name (known_agencies.csv), staffed, one of Bangkok's district offices,
  or responsible for a recent case.
- `scrap_agency_codes`: must a page *not name* it (the dashboard)? Only when it is plainly an
  artefact: not known, nobody works there, and the name reads as a sentence. Figures keep
  every other agency, however old, because their cases count.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from functools import cache

from django.db.models import Exists, OuterRef

from pracha.agencies.models import Agency, Officer
from pracha.agencies.seed import KNOWN_AGENCIES
from pracha.geo.english import bangkok_districts_en

# Words a Thai sentence starts with and no organisation's name does: a free-text note read as
# an organisation by an import ("เนื่องจาก..." is "because ..."). Particles end a spoken
# sentence.
SENTENCE_STARTS = ("เนื่องจาก", "เพราะ", "ดังนั้น", "จึง", "ซึ่ง", "ทั้งนี้", "กรุณา", "รบกวน",
                   "ขอให้", "ขอความ", "อยากให้", "ตอนนี้", "ขณะนี้", "แต่")  # fmt: skip
SENTENCE_MARKS = ("?", "!", "ครับ", "ค่ะ", "คะ", "นะคะ")


@cache
def known_codes() -> frozenset[str]:
    """Agencies the installation knows by name (read once: the file ships with the code)."""
    with KNOWN_AGENCIES.open(encoding="utf-8", newline="") as fh:
        return frozenset(row["code"] for row in csv.DictReader(fh))


def looks_like_sentence(name_th: str) -> bool:
    text = name_th.strip()
    return text.startswith(SENTENCE_STARTS) or any(mark in text for mark in SENTENCE_MARKS)


def is_vouched_for(code: str, staffed: bool) -> bool:
    """Known by name or staffed: the evidence both rules accept."""
    return staffed or code in known_codes()


def is_real_agency(agency: Agency, *, staffed: bool, recent: Collection[int] = ()) -> bool:
    """Positive evidence: known, staffed, a Bangkok district office, or recently responsible
    (`recent`: agency ids)."""
    if is_vouched_for(agency.code, staffed) or agency.pk in recent:
        return True
    return agency.kind == Agency.Kind.DISTRICT_OFFICE and agency.district in bangkok_districts_en()


def scrap_agency_codes() -> frozenset[str]:
    """Codes of agencies named by an import's sentence fragments (one query; call it once
    per request and pass the result on)."""
    rows = Agency.objects.annotate(
        staffed=Exists(Officer.objects.filter(agency=OuterRef("pk")))
    ).values_list("code", "name_th", "staffed")
    return frozenset(
        code
        for code, name_th, staffed in rows
        if not is_vouched_for(code, staffed) and looks_like_sentence(name_th)
    )
