"""Announcements from insights that other parts subscribe to.

`alert_raised` is sent once per new early-warning alert, after the transaction that stored
it has committed, with `alert` (an insights.models.Alert) and `payload` (a JSON-ready dict:
type, day, category, district or null for the whole city, observed, expected, p_value).
Webhooks subscribe to it:

    from pracha.insights.signals import alert_raised
    alert_raised.connect(send_alert_webhooks)
"""

from django.dispatch import Signal

alert_raised = Signal()
