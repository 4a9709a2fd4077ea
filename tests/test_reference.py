"""Reference tables read through a per-process cache (pracha.reference): kept for a few
seconds, dropped at once when this process saves one, never keeping a miss; a change made
elsewhere (another process, or an update that sends no signal) shows once the seconds pass."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from pracha.agencies.models import Agency, RoutingRule
from pracha.agencies.services import agency_by_code
from pracha.intake.triage import current_rules
from pracha.reference import Reference

pytestmark = pytest.mark.django_db


def test_a_save_in_this_process_is_seen_at_once(make_agency: Callable[..., Agency]) -> None:
    agency = make_agency("khet-x", "เขตทดสอบ")
    assert agency_by_code("khet-x") == agency
    agency.name_th = "เขตทดสอบใหม่"
    agency.save()
    found = agency_by_code("khet-x")
    assert found is not None and found.name_th == "เขตทดสอบใหม่"
    agency.delete()
    assert agency_by_code("khet-x") is None


def test_a_miss_is_not_kept(make_agency: Callable[..., Agency]) -> None:
    assert agency_by_code("khet-new") is None
    Agency.objects.bulk_create([Agency(code="khet-new", name_th="เขตใหม่")])  # no signal
    assert agency_by_code("khet-new") is not None


def test_an_unsignalled_change_shows_once_the_seconds_pass(
    bma: Agency, pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    RoutingRule.objects.all().delete()
    assert current_rules() == []
    RoutingRule.objects.bulk_create(
        [RoutingRule(category="road", target="agency", agency=bma, reason="ถนน")]
    )  # as another process would: no signal here
    assert current_rules() == []  # still the kept answer
    clock = [1_000_000.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    assert [r.category for r in current_rules()] == ["road"]  # first read on the new clock
    pracha(reference_seconds=0)  # 0: read every time
    RoutingRule.objects.filter(category="road").update(is_active=False)
    assert current_rules() == []


def test_a_reference_forgets_after_its_seconds(
    pracha: Callable[..., None], monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[str] = []

    def load(key: str) -> Any:
        loads.append(key)
        return f"value of {key}"

    pracha(reference_seconds=5)
    clock = [100.0]
    monkeypatch.setattr("pracha.reference.time.monotonic", lambda: clock[0])
    kept: Reference[str, Any] = Reference(load, models=())
    assert kept.get("a") == kept.get("a") == "value of a"
    clock[0] += 4.9
    kept.get("a")
    assert loads == ["a"]
    clock[0] += 0.2
    kept.get("a")
    assert loads == ["a", "a"]
