"""The daily work: expiry below the threshold at the window's end, escalation of overdue
answers to the agency's supervisors (once a day, on the public record), `pracha proposals
tick`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from pracha.cases.errors import IllegalTransition
from pracha.proposals.models import Proposal, ProposalEvent
from pracha.proposals.services.schedule import do_escalate_overdue, do_expire_proposals
from pracha.proposals.services.supports import do_support
from tests.factories import make_agency, make_officer
from tests.proposals.support import file_proposal, make_citizen, routed_to, support_by


def test_expired_below_the_threshold_at_the_window_end() -> None:
    below = file_proposal()
    support_by(below, 2)
    still_open = file_proposal()
    later = below.closes_at + timedelta(seconds=1)
    Proposal.objects.filter(pk=still_open.pk).update(closes_at=later + timedelta(days=1))
    assert do_expire_proposals(below.closes_at - timedelta(seconds=1)) == []
    assert do_expire_proposals(later) == [below.ref]
    below.refresh_from_db()
    assert below.state == "expired"
    assert Proposal.objects.get(pk=still_open.pk).state == "published"
    assert do_expire_proposals(later) == []  # once


def test_no_support_after_the_window_even_before_the_tick() -> None:
    proposal = file_proposal()
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    try:
        do_support(make_citizen()[0], proposal)
    except IllegalTransition as exc:
        assert "closed" in exc.message
    else:
        raise AssertionError("a support after the window was accepted")


def test_a_threshold_reached_proposal_never_expires() -> None:
    agency = make_agency("drains")
    proposal = routed_to(agency)
    assert do_expire_proposals(proposal.closes_at + timedelta(days=1)) == []


def test_overdue_answers_escalate_daily_to_supervisors(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    drains = make_agency("drains")
    boss, _ = make_officer(drains, role="supervisor")
    boss.user.email = "boss@example.org"
    boss.user.save()
    plain, _ = make_officer(drains)
    plain.user.email = "plain@example.org"
    plain.user.save()
    proposal = routed_to(drains)
    due = timezone.now() - timedelta(days=3)  # the deadline passed
    Proposal.objects.filter(pk=proposal.pk).update(answer_due_at=due)
    assert do_escalate_overdue(due - timedelta(minutes=1)) == []
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert do_escalate_overdue(due + timedelta(hours=1)) == [proposal.ref]
    assert {a for m in mail.outbox for a in m.to} == {"boss@example.org"}
    assert do_escalate_overdue(due + timedelta(hours=5)) == []  # once a day
    assert do_escalate_overdue(due + timedelta(days=1, hours=1)) == [proposal.ref]
    assert ProposalEvent.objects.filter(proposal=proposal, kind="escalated").count() == 2
    detail = api.get(f"/api/v1/proposals/{proposal.ref}").json()
    assert detail["overdue"] is True  # shown in public
    assert detail["timeline"][-1]["kind"] == "escalated"


def test_the_tick_command_runs_both(capsys: Any) -> None:
    drains = make_agency("drains")
    overdue = routed_to(drains)
    Proposal.objects.filter(pk=overdue.pk).update(answer_due_at=timezone.now() - timedelta(days=2))
    expiring = file_proposal()
    Proposal.objects.filter(pk=expiring.pk).update(closes_at=timezone.now() - timedelta(days=1))
    call_command("proposals", "tick")
    assert "1 proposal(s) expired, 1 overdue answer(s) escalated" in capsys.readouterr().out
    assert Proposal.objects.get(pk=expiring.pk).state == "expired"
