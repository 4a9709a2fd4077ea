"""`pracha insights rebuild|refresh|check`, and catching up after bulk writes."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pracha.cases.models import Case
from pracha.insights.models import CaseFact
from pracha.insights.store import catch_up, maintain, pending

pytestmark = pytest.mark.django_db


def test_check_finds_changes_made_behind_its_back_and_rebuild_fixes_them(
    make_case: Callable[..., Case],
) -> None:
    case = make_case(categories=["road"], created="2024-03-02 09:00")
    call_command("insights", "check", stdout=StringIO())
    Case.objects.filter(pk=case.pk).update(state="done")  # SQL update: no signal
    with pytest.raises(CommandError, match="difference"):
        call_command("insights", "check", stdout=StringIO())
    out = StringIO()
    call_command("insights", "rebuild", stdout=out, stderr=StringIO())
    assert "rebuilt in" in out.getvalue()
    call_command("insights", "check", stdout=StringIO())


def test_refresh_adds_cases_written_in_bulk(make_case: Callable[..., Case]) -> None:
    template = make_case(categories=["road"])
    Case.objects.bulk_create(
        [Case(ticket_id=f"BULK-{i}", description="x", district="บางรัก") for i in range(3)]
    )
    pending.fold_pending()  # the filed case is counted by the next fold
    assert CaseFact.objects.filter(case_id=template.pk).exists()
    out = StringIO()
    call_command("insights", "refresh", stdout=out)
    assert out.getvalue().startswith("3 case(s)")
    assert CaseFact.objects.filter(category="*").count() == 4


def test_sla_target_changes_are_flagged(
    make_case: Callable[..., Case], pracha: Callable[..., None], tmp_path, api
) -> None:
    make_case(categories=["road"])
    call_command("insights", "rebuild", stdout=StringIO(), stderr=StringIO())
    targets = tmp_path / "targets.csv"
    targets.write_text("category,target_hours\nroad,1\n")
    pracha(sla_file=targets)
    body = api.get("/api/v1/indicators?by=state").json()
    assert body["notes"] and "pracha insights rebuild" in body["notes"][0]
    pracha(sla_file=tmp_path / "missing.csv")
    make_case(categories=["road"])  # a broken targets file never stops work on cases
    body = api.get("/api/v1/indicators?by=state").json()
    assert "PRACHA_SLA_FILE cannot be used" in body["notes"][0]
    with pytest.raises(CommandError):
        call_command("insights", "check", stdout=StringIO())


def test_an_empty_installation_is_rebuilt_in_one_go(
    make_case: Callable[..., Case], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(categories=["road"])
    Case.objects.bulk_create([Case(ticket_id=f"OLD-{i}", description="x") for i in range(4)])
    CaseFact.objects.all().delete()
    maintain.set_state(maintain.WATERMARK, "0")
    monkeypatch.setattr(catch_up, "REBUILD_FROM", 2)
    assert catch_up.catch_up() == 5
    assert CaseFact.objects.filter(category="*").count() == 5
    call_command("insights", "check", stdout=StringIO())
