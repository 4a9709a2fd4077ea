"""Webhooks: signed JSON events about cases, pushed to the URLs agencies and partners register.

- outbox.py: an outbox row per event and subscription, written in the transaction that
  writes the timeline event, so a committed change always has its rows and a rolled-back
  one never does;
- payload.py: what is sent;
- delivery.py: signing, sending, retrying with exponential backoff;
- worker.py: the loop behind `pracha webhooks deliver` (and the one `pracha serve` starts);
- subscriptions.py: registering, listing and disabling URLs.
"""
