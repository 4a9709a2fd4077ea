"""Hooks for the apps that keep things for a citizen (supports, journeys, a LINE link...), so
"My Pracha", the export and the deletion cover them without citizens knowing those apps.

- `my_pracha_items(sender, citizen)`: return `{"<name>": [JSON-ready items]}` (or None); shown
  in `GET /api/v1/me` under `items` and on the /me/ page.
- `collect_citizen_data(sender, citizen)`: return a JSON-ready dict of everything you hold
  about the citizen (or None); added to `GET /api/v1/me/export` under your app's module name.
- `citizen_deleting(sender, citizen)`: delete what you hold about the citizen. Sent inside the
  deletion's transaction, before the account row goes: raising aborts the deletion.
"""

from __future__ import annotations

from django.dispatch import Signal

my_pracha_items = Signal()
collect_citizen_data = Signal()
citizen_deleting = Signal()
