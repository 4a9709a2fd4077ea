"""What proposals announce, for the apps above (pracha.notify writes the outbox rows).

- `proposal_event_saved(sender, event)`: a ProposalEvent was written, inside the transaction of
  the change (write outbox rows here, so nothing rolled back is announced);
- `proposal_event_committed(sender, event_id)`: after that transaction committed (send now).
"""

from __future__ import annotations

from django.dispatch import Signal

proposal_event_saved = Signal()
proposal_event_committed = Signal()
