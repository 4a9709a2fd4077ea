"""Webhook outbox: a row per event and subscription, written with the event, in its transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from pracha.agencies.models import Agency, Officer
from pracha.cases.models import Case, Event
from pracha.notify.models import WebhookDelivery, WebhookSubscription
from tests.notify.workflow import LIFE_EVENTS, drainage_agency, live, new_case

Subscribe = Callable[..., WebhookSubscription]


@pytest.fixture
def officers(
    bma: Agency, make_agency: Callable[..., Agency], make_officer: Callable[..., Any]
) -> tuple[Officer, Officer]:
    city, _ = make_officer(bma)
    drainage, _ = make_officer(drainage_agency(make_agency))
    return city, drainage


def types_of(subscription: WebhookSubscription) -> list[str]:
    rows = subscription.deliveries.order_by("case_event__at", "case_event_id")
    return list(rows.values_list("event_type", flat=True))


def test_nothing_is_queued_without_subscriptions(db: None) -> None:
    new_case()
    assert not WebhookDelivery.objects.exists()


def test_every_event_of_a_case_life_is_queued(
    subscribe: Subscribe, officers: tuple[Officer, Officer]
) -> None:
    subscription = subscribe()
    case = live(new_case(), *officers)
    assert types_of(subscription) == LIFE_EVENTS
    rows = subscription.deliveries.all()
    assert {r.ticket_id for r in rows} == {case.ticket_id}
    assert all(r.body == "" and r.attempts == 0 for r in rows)  # built when first sent
    assert len({r.event_id for r in rows}) == len(rows)


def test_the_row_is_written_inside_the_transaction_of_the_change(subscribe: Subscribe) -> None:
    subscribe()
    with transaction.atomic():
        case = new_case()
        # Before the commit: the row exists already, in the same transaction.
        assert WebhookDelivery.objects.filter(ticket_id=case.ticket_id).count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_rolled_back_change_leaves_no_row(subscribe: Subscribe) -> None:
    subscribe()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        new_case()
        raise Boom
    assert not Case.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_subscriptions_choose_their_events(
    subscribe: Subscribe, officers: tuple[Officer, Officer]
) -> None:
    closed_only = subscribe(events=["case.closed"])
    two = subscribe(events=["case.created,case.reopened"])
    live(new_case(), *officers)
    assert types_of(closed_only) == ["case.closed", "case.closed"]
    assert types_of(two) == ["case.created", "case.reopened"]


def test_one_event_has_one_id_for_every_subscription(subscribe: Subscribe) -> None:
    first, second = subscribe(), subscribe()
    new_case()
    [a], [b] = first.deliveries.all(), second.deliveries.all()
    assert a.event_id == b.event_id and a.pk != b.pk


def test_agency_subscription_sees_only_cases_it_handles(
    subscribe: Subscribe, officers: tuple[Officer, Officer]
) -> None:
    city, drainage = officers
    drainage_hook = subscribe(agency=drainage.agency.code)
    live(new_case(), city, drainage)
    # Not the creation or the city's first steps; from the forward to it onwards.
    assert types_of(drainage_hook) == LIFE_EVENTS[3:]
    city_hook = subscribe(agency="bma")
    other = new_case()
    assert types_of(city_hook) == ["case.created"]
    assert drainage_hook.deliveries.filter(ticket_id=other.ticket_id).count() == 0


def test_inactive_subscriptions_get_nothing(subscribe: Subscribe) -> None:
    subscription = subscribe()
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    new_case()
    assert not WebhookDelivery.objects.exists()


def test_events_not_sent(subscribe: Subscribe, officers: tuple[Officer, Officer]) -> None:
    """Ratings, me-toos, staff-only comments and triage notes are not webhook events."""
    subscription = subscribe()
    live(new_case(), *officers)
    sent_kinds = set(subscription.deliveries.values_list("case_event__kind", flat=True))
    assert not sent_kinds & {Event.Kind.RATED, Event.Kind.ME_TOO, Event.Kind.TRIAGED}
    private = Event.objects.get(kind=Event.Kind.COMMENTED, is_public=False)
    assert not WebhookDelivery.objects.filter(case_event=private).exists()
