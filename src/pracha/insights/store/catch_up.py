"""Catching the derived tables up before they are read: the cases intake filed since the last
fold (pending.py), and cases written without signals (bulk imports).

Apart from `maintain` (which follows single changes) because it may start a full rebuild.
"""

from __future__ import annotations

import logging

from django.db import transaction

from pracha.cases.models import Case
from pracha.insights.models import CaseFact
from pracha.insights.store.forwarding_facts import catch_up_forwards
from pracha.insights.store.maintain import (
    WATERMARK,
    get_state,
    new_case_ids,
    set_state,
)
from pracha.insights.store.pending import fold_pending, recount_locked, serialise_folds
from pracha.insights.store.rebuild import rebuild
from pracha.replica import use_primary

log = logging.getLogger(__name__)
# With no facts at all and more cases than this (an import into a new installation, or
# after a migration emptied the tables) a full rebuild is far faster than catching up.
REBUILD_FROM = 20_000


def catch_up() -> int:
    """Count the cases filed since the last fold, and add the facts of cases written without
    signals (bulk imports); returns how many of the latter.

    Cheap when nothing is new: a lookup of the pending cases and of the highest case id.
    On the primary, also in a request that reads the replica: it writes from what it reads.
    """
    with use_primary():
        return _catch_up()


def _catch_up() -> int:
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mark = int(get_state(WATERMARK, "0") or 0)
    added = 0
    if mark == 0 and top > REBUILD_FROM and not CaseFact.objects.exists():
        log.info("no indicator facts yet for %s cases: rebuilding them", top)
        rebuild()  # pending cases are counted with the rest: folding them changes nothing
        return Case.objects.count()
    fold_pending()
    if top > mark:
        for ids in new_case_ids(mark):
            with transaction.atomic():
                serialise_folds()  # never counts a case a fold is counting
                added += recount_locked(ids)
        set_state(WATERMARK, str(top))
    catch_up_forwards()
    return added
