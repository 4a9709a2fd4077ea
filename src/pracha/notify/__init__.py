"""Every message Pracha sends out, on every channel, through one outbox.

- models.py: webhook subscriptions, officers' e-mail preferences, reporters' opt-outs, and
  Delivery, the one outbox table (a `channel` column says webhook or e-mail);
- outbox.py: the outbox's bookkeeping for every channel: queue rows in the transaction of
  the change, claim them with a lease, mark them sent, retry with backoff, give up;
- webhooks/: the webhook channel (which subscriptions get what, the signed JSON, sending);
- email.py: the e-mail channel (reporters' batched news, officers' new cases); optout.py:
  unsubscribing; digest.py: officers' daily digest;
- worker.py: one loop that drains the outbox for every channel (`pracha serve` runs it);
- content.py: the words and documents, handed over by pracha.web and pracha.open311;
- receivers.py, privacy.py, checks.py, admin.py, management/commands/: the wiring.

notify learns of changes through signals (apps.py), never by being called from the domain:
cases, agencies, audit, geo, triage, importer and insights do not import it. A new channel
(LINE push, next) is one more Channel value and one sender module listed in worker.SENDERS.
"""
