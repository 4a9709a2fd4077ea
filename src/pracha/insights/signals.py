"""Announcements from insights that other parts subscribe to.

`alert_raised` is sent once per new early-warning alert, after the transaction that stored
it has committed, with `alert` (an insights.models.Alert) and `payload` (a JSON-ready dict:
type, day, category, district or null for the whole city, observed, expected, p_value).
Webhooks do not wait for it: pracha.open311 writes their outbox rows (event type
`insights.alert`) from a post_save on Alert, in the transaction that stores the alert, so a
crash cannot lose one. Connect here for anything that may be missed, such as a chat message.
"""

from django.dispatch import Signal

alert_raised = Signal()
