"""What consultations tell the apps above them (pracha.notify e-mails respondents).

Both are sent inside the transaction of the change, so a receiver's outbox rows are stored
with it or not at all.

- `consultation_closed(sender, consultation)`: it closed (by date or by its agency); the
  results are public from now on.
- `changes_published(sender, consultation)`: the agency published "what we changed because
  of you".
"""

from __future__ import annotations

from django.dispatch import Signal

consultation_closed = Signal()
changes_published = Signal()
