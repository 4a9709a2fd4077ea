"""`pracha webhooks ...`: the same command as `pracha webhook` (`webhooks deliver` reads well)."""

from pracha.notify.management.commands import webhook


class Command(webhook.Command):
    help = (
        "Deliver webhook events: deliver [--once] | status | retry. "
        "The same command as `pracha webhook`, named so `pracha webhooks deliver` reads well."
    )
