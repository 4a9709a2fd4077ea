"""Webhooks: signed JSON events about cases, pushed to the URLs agencies and partners register.

- enqueue.py: which subscriptions get an event or an alert; their rows in the one outbox
  (pracha.notify.outbox), written in the transaction that writes the timeline event, so a
  committed change always has its rows and a rolled-back one never does;
- payload.py: what is sent;
- delivery.py: signing, sending, retrying with exponential backoff (the webhook channel's
  sender, run by pracha.notify.worker: `pracha webhooks deliver`, and `pracha serve`);
- subscriptions.py: registering, listing and disabling URLs.
"""
