"""Catching the derived tables up with cases written without signals (bulk imports).

Apart from `maintain` (which follows single changes) because it may start a full rebuild.
"""

from __future__ import annotations

import logging

from pracha.cases.models import Case
from pracha.insights.models import CaseFact
from pracha.insights.store.forwarding_facts import catch_up_forwards
from pracha.insights.store.maintain import (
    WATERMARK,
    get_state,
    new_case_ids,
    refresh_cases,
    set_state,
)
from pracha.insights.store.rebuild import rebuild

log = logging.getLogger(__name__)
# With no facts at all and more cases than this (an import into a new installation, or
# after a migration emptied the tables) a full rebuild is far faster than catching up.
REBUILD_FROM = 20_000


def catch_up() -> int:
    """Add the facts of cases written without signals (bulk imports); returns how many.

    Cheap when nothing is new: one lookup of the highest case id.
    """
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mark = int(get_state(WATERMARK, "0") or 0)
    added = 0
    if mark == 0 and top > REBUILD_FROM and not CaseFact.objects.exists():
        log.info("no indicator facts yet for %s cases: rebuilding them", top)
        rebuild()
        return Case.objects.count()
    if top > mark:
        for ids in new_case_ids(mark):
            added += refresh_cases(ids)
        set_state(WATERMARK, str(top))
    catch_up_forwards()
    return added
