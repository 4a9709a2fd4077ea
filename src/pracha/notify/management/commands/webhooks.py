"""`pracha webhooks ...`: the same command as `pracha webhook` (`webhooks deliver` reads well)."""

from pracha.notify.management.commands.webhook import Command

__all__ = ["Command"]
