"""`pracha webhook add URL [--events ...] [--agency CODE]`, `list`, `ping`, `disable`, ...,
and `pracha webhooks deliver [--once]`, the delivery worker (`webhook` and `webhooks` are the
same command). The worker is pracha.notify.worker's loop, for the webhook channel only."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count, Q

from pracha.audit.context import acting_as
from pracha.background import run_until_stopped
from pracha.cases.errors import DomainError
from pracha.notify.models import SUBSCRIBABLE, Channel, WebhookDelivery, WebhookSubscription
from pracha.notify.webhooks.delivery import deliver_due, prune_delivered
from pracha.notify.webhooks.enqueue import do_queue_ping
from pracha.notify.webhooks.subscriptions import (
    do_add_subscription,
    do_remove_subscription,
    do_retry_deliveries,
    do_rotate_secret,
    do_set_active,
)
from pracha.notify.worker import run


class Command(BaseCommand):
    help = (
        "Webhook receivers: add URL [--events ...] [--agency CODE] | list | remove ID. "
        "Also ping, disable, enable and rotate-secret ID; deliver, status, retry and prune "
        "send the events (as `pracha webhooks`). `add` prints the signing secret on its last "
        "line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="register a URL")
        add.add_argument("url")
        add.add_argument("--name", default="", help="who receives it")
        add.add_argument(
            "--events",
            nargs="+",
            help=f"event types (default all): {', '.join(SUBSCRIBABLE)}",
        )
        add.add_argument("--agency", help="only cases of this agency (code or name)")
        sub.add_parser("list", help="registered URLs and their deliveries")
        for name, text in [
            ("ping", "queue a test event"),
            ("disable", "stop sending (events meanwhile are not queued)"),
            ("enable", "send again"),
            ("remove", "delete the URL and its delivery history"),
            ("rotate-secret", "issue a new signing secret (printed on the last line)"),
        ]:
            sub.add_parser(name, help=text).add_argument("id", type=int)
        deliver = sub.add_parser("deliver", help="send due events (a loop; --once for one pass)")
        deliver.add_argument("--once", action="store_true", help="one pass, then exit")
        deliver.add_argument("--interval", type=float, default=1.0, help="seconds between passes")
        deliver.add_argument("--parent-pid", type=int, help="exit when this process is gone")
        sub.add_parser("status", help="deliveries by status, and the latest failures")
        retry = sub.add_parser("retry", help="send given-up deliveries again")
        retry.add_argument("ids", type=int, nargs="*", help="delivery ids (default: all failed)")
        sub.add_parser("prune", help="forget deliveries sent longer ago than the keep period")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        handler = getattr(self, "do_" + action.replace("-", "_"))
        with acting_as("pracha webhook command"):
            try:
                handler(**options)
            except DomainError as exc:
                raise CommandError(exc.message) from exc

    def _subscription(self, id: int) -> WebhookSubscription:
        subscription = WebhookSubscription.objects.filter(pk=id).first()
        if subscription is None:
            raise CommandError(f"no webhook #{id}; `pracha webhook list` shows them")
        return subscription

    def do_add(
        self, url: str, name: str, events: list[str] | None, agency: str | None, **_: Any
    ) -> None:
        subscription = do_add_subscription(url, name=name, events=events, agency=agency)
        scope = subscription.agency.code if subscription.agency else "every case"
        self.stdout.write(
            f"Added webhook #{subscription.pk} {subscription.url} "
            f"({', '.join(subscription.event_types)}; {scope})."
        )
        self.stdout.write("Give the receiver this secret to check X-Pracha-Signature:")
        self.stdout.write(subscription.secret)

    def do_list(self, **_: Any) -> None:
        subscriptions = WebhookSubscription.objects.select_related("agency").annotate(
            pending=Count(
                "deliveries",
                filter=Q(deliveries__delivered_at__isnull=True, deliveries__failed_at__isnull=True),
            ),
            failed=Count("deliveries", filter=Q(deliveries__failed_at__isnull=False)),
        )
        if not subscriptions:
            self.stdout.write("No webhooks. Add one: pracha webhook add URL")
        for s in subscriptions:
            state = "active" if s.is_active else "disabled"
            scope = s.agency.code if s.agency else "all cases"
            self.stdout.write(
                f"#{s.pk}  {state}  {s.url}  name={s.name!r}  events={s.events}  {scope}  "
                f"pending={s.pending}  failed={s.failed}"
            )

    def do_ping(self, id: int, **_: Any) -> None:
        delivery = do_queue_ping(self._subscription(id))
        self.stdout.write(f"Queued test event {delivery.event_id} for webhook #{id}.")

    def do_disable(self, id: int, **_: Any) -> None:
        do_set_active(self._subscription(id), False)
        self.stdout.write(f"Webhook #{id} disabled.")

    def do_enable(self, id: int, **_: Any) -> None:
        do_set_active(self._subscription(id), True)
        self.stdout.write(f"Webhook #{id} enabled.")

    def do_remove(self, id: int, **_: Any) -> None:
        do_remove_subscription(self._subscription(id))
        self.stdout.write(f"Webhook #{id} removed.")

    def do_rotate_secret(self, id: int, **_: Any) -> None:
        secret = do_rotate_secret(self._subscription(id))
        self.stdout.write(f"New secret for webhook #{id} (the old one no longer signs):")
        self.stdout.write(secret)

    def do_deliver(self, once: bool, interval: float, parent_pid: int | None, **_: Any) -> None:
        if once:
            result = deliver_due()
            self.stdout.write(f"{result.delivered} delivered, {result.failed} to retry.")
            return
        run_until_stopped(
            self.stdout,
            lambda stopper: run(
                stopper, channels=[Channel.WEBHOOK], interval=interval, report=self.stdout.write
            ),
            interval=interval,
            parent_pid=parent_pid,
            started="Delivering webhooks",
            stopped="Webhook delivery stopped.",
        )

    def do_status(self, **_: Any) -> None:
        rows = WebhookDelivery.objects
        counts = {
            "pending": rows.pending().filter(attempts=0).count(),
            "retrying": rows.pending().filter(attempts__gt=0).count(),
            "delivered": rows.filter(delivered_at__isnull=False).count(),
            "failed": rows.filter(failed_at__isnull=False).count(),
        }
        self.stdout.write("  ".join(f"{k}={v}" for k, v in counts.items()))
        for d in rows.filter(attempts__gt=0, delivered_at__isnull=True).order_by(
            "-last_attempt_at"
        )[:10]:
            self.stdout.write(
                f"#{d.pk} {d.event_type} {d.ticket_id or '-'} -> webhook #{d.subscription_id}: "
                f"{d.status}, {d.attempts} attempts, last: {d.last_error or d.last_status}"
            )

    def do_retry(self, ids: list[int], **_: Any) -> None:
        rows = WebhookDelivery.objects.filter(delivered_at__isnull=True)
        rows = rows.filter(pk__in=ids) if ids else rows.filter(failed_at__isnull=False)
        count = do_retry_deliveries(rows)
        self.stdout.write(f"{count} deliveries queued again.")

    def do_prune(self, **_: Any) -> None:
        self.stdout.write(f"{prune_delivered()} delivered rows forgotten.")
