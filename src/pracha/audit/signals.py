"""Hooks for apps that keep data about a reporter of their own (Open311 device ids, e-mail
subscriptions...), so `pracha privacy export|erase` covers it without knowing those apps.

- `collect_reporter_data(sender, case)`: return a JSON-ready dict of what you hold about the
  reporter of `case` (or None); it is added to the export under your app's label.
- `reporter_erased(sender, case, scrub)`: delete or blank what you hold about the reporter of
  `case`, and pass any copy of their text you keep through `scrub(text) -> text`: it masks
  personal data and the reporter's own name, phone and e-mail, as erasure does to the
  case's description. Sent inside the erasure's transaction (before the contact row is
  deleted): raising aborts the erasure of that case.
"""

from __future__ import annotations

from django.dispatch import Signal

collect_reporter_data = Signal()
reporter_erased = Signal()
