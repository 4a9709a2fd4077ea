"""`pracha reindex-search`: re-mask the text public search runs over (Case.search_text).

Run it after the masking rules (pracha.masking.personal_data) change, so that search matches exactly
what the improved masking lets the public read. Safe to repeat; only changed rows are written.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from pracha.cases.models import Case, refresh_search_text


class Command(BaseCommand):
    help = (
        "Re-mask the text public search matches (after masking rules change). "
        "Recomputes every case's masked search text with the current masking rules."
    )

    def handle(self, *args: Any, **opts: Any) -> None:
        changed = refresh_search_text(Case.objects.all())
        self.stdout.write(f"search text re-masked: {changed:,} case(s) changed")
