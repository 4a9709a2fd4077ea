"""Early-warning alerts as webhooks: queued with the alert, to whom it concerns, signed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.db import transaction

from pracha.agencies.models import Agency
from pracha.insights.models import Alert
from pracha.notify.models import EventType, WebhookDelivery, WebhookSubscription
from pracha.notify.webhooks.delivery import deliver_due
from tests.notify.receiver import Receiver

Subscribe = Callable[..., WebhookSubscription]
DAY = date(2022, 9, 25)


def raise_alert(district: str = "บางเขน", category: str = "flooding") -> Alert:
    return Alert.objects.create(
        day=DAY, category=category, district=district, observed=41, expected=3.2, p_value=1e-19
    )


@pytest.fixture
def district_office(make_agency: Callable[..., Agency]) -> Agency:
    return make_agency("bang-khen", "เขตบางเขน", district="บางเขน")


def test_an_alert_is_delivered_signed_with_its_facts(
    subscribe: Subscribe, receiver: Receiver
) -> None:
    subscribe()
    raise_alert()
    assert deliver_due().attempted == 1
    [got] = receiver.received
    assert got.signature_ok and got.headers["X-Pracha-Event"] == "insights.alert"
    body = got.json
    assert body["type"] == "insights.alert" and body["id"] == got.event_id
    alert = body["alert"]
    assert (alert["day"], alert["category"], alert["district"]) == (
        "2022-09-25",
        "flooding",
        "บางเขน",
    )
    assert (alert["observed"], alert["expected"]) == (41, 3.2)
    assert alert["category_name_th"] == "น้ำท่วม"
    assert "/dashboard/?category=flooding&district=" in body["dashboard_url"]


def test_a_city_wide_alert_has_no_district(subscribe: Subscribe, receiver: Receiver) -> None:
    subscribe()
    raise_alert(district="*")
    deliver_due()
    assert receiver.received[0].json["alert"]["district"] is None


def test_alerts_go_to_whom_they_concern(
    subscribe: Subscribe,
    district_office: Agency,
    make_agency: Callable[..., Agency],
) -> None:
    everything = subscribe()
    own_district = subscribe(agency=district_office.code)
    elsewhere = subscribe(agency=make_agency("bang-rak", "เขตบางรัก", district="บางรัก").code)
    cases_only = subscribe(events=["case.created"])
    raise_alert()
    raise_alert(district="*", category="road")

    def alerts_of(subscription: WebhookSubscription) -> list[str]:
        rows = subscription.deliveries.filter(event_type=EventType.ALERT)
        return sorted(rows.values_list("body", flat=True))

    assert len(alerts_of(everything)) == 2
    assert len(alerts_of(own_district)) == 1  # its district, not the city-wide one
    assert alerts_of(elsewhere) == alerts_of(cases_only) == []
    first = WebhookDelivery.objects.filter(subscription__in=[everything, own_district]).filter(
        body__contains="บางเขน"
    )
    assert first.count() == 2 and len(set(first.values_list("event_id", flat=True))) == 1


def test_the_outbox_row_is_written_with_the_alert(subscribe: Subscribe) -> None:
    subscribe()
    with pytest.raises(RuntimeError), transaction.atomic():
        raise_alert()
        assert WebhookDelivery.objects.count() == 1
        raise RuntimeError("the alert's transaction fails")
    assert not Alert.objects.exists() and not WebhookDelivery.objects.exists()
