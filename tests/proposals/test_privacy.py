"""A citizen's proposals data: in their export; their account's deletion keeps the public
record and the count, without the person."""

from __future__ import annotations

from django.test import Client

from pracha.proposals.models import AbuseReport, Follow, Proposal, Support
from pracha.proposals.services.moderation import do_report_abuse
from pracha.proposals.services.supports import do_support
from tests.proposals.support import bearer, file_proposal, make_citizen

KEY = "pracha.proposals.privacy"


def test_the_export_holds_proposals_supports_follows_reports(api: Client) -> None:
    citizen, token = make_citizen()
    own = file_proposal(citizen)
    other = file_proposal()
    do_support(citizen, other)
    do_report_abuse(citizen, other, "สแปม")
    held = api.get("/api/v1/me/export", **bearer(token)).json()["held_elsewhere"][KEY]
    assert [p["ref"] for p in held["proposals"]] == [own.ref]
    assert held["proposals"][0]["body"] == own.body
    assert [s["ref"] for s in held["supports"]] == [other.ref]
    assert set(held["follows"]) == {own.ref, other.ref}
    assert held["reports"][0]["reason"] == "สแปม"


def test_nothing_held_adds_nothing(api: Client) -> None:
    _citizen, token = make_citizen()
    assert KEY not in api.get("/api/v1/me/export", **bearer(token)).json()["held_elsewhere"]


def test_deletion_keeps_the_record_and_the_count_without_the_person(api: Client) -> None:
    citizen, token = make_citizen()
    own = file_proposal(citizen)
    other = file_proposal()
    do_support(citizen, other)
    do_report_abuse(citizen, other, "สแปม")
    assert api.delete("/api/v1/me", **bearer(token)).status_code == 200
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.author is None and own.title  # the public record stays
    assert other.supports == 1
    assert Support.objects.get(proposal=other).citizen is None
    assert not Follow.objects.filter(citizen_id=citizen.pk).exists()
    assert AbuseReport.objects.get(proposal=other).citizen is None
    assert Proposal.objects.count() == 2
