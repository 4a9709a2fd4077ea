"""Withdraw (the author), merge duplicates (supports move with their people, counted once,
who are told), report abuse (three hide it), a moderator decides; all on the public record."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.test import Client

from pracha.audit.models import AuditEntry
from pracha.proposals.models import Proposal, Support
from pracha.proposals.services.supports import do_support
from tests.factories import make_agency, make_officer
from tests.helpers import auth, post_json
from tests.proposals.support import bearer, file_proposal, make_citizen, support_by


def test_the_author_withdraws(api: Client) -> None:
    author, token = make_citizen()
    proposal = file_proposal(author)
    _other, other_token = make_citizen()
    url = f"/api/v1/proposals/{proposal.ref}/withdraw"
    assert post_json(api, url, {}, **bearer(other_token)).status_code == 403
    assert post_json(api, url, {}).status_code == 401
    response = post_json(api, url, {}, **bearer(token))
    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"
    assert post_json(api, url, {}, **bearer(token)).status_code == 409
    support = post_json(api, f"/api/v1/proposals/{proposal.ref}/support", {}, **bearer(other_token))
    assert support.status_code == 409


def test_merge_moves_supports_once_per_person(
    api: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _boss, key = make_officer(make_agency("drains"), role="supervisor")
    _plain, plain_key = make_officer(make_agency("parks"))
    keep = file_proposal()
    duplicate = file_proposal()
    both, only_duplicate = make_citizen("both@example.org")[0], make_citizen("dup@example.org")[0]
    do_support(both, keep)
    do_support(both, duplicate)
    do_support(only_duplicate, duplicate)
    url = f"/api/v1/proposals/{duplicate.ref}/merge"
    assert post_json(api, url, {"into": keep.ref}, **auth(plain_key)).status_code == 403
    assert post_json(api, url, {"into": duplicate.ref}, **auth(key)).status_code == 400
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(api, url, {"into": keep.ref, "note": "เรื่องเดียวกัน"}, **auth(key))
    assert response.status_code == 200, response.content
    assert response.json()["ref"] == keep.ref
    assert response.json()["supports"] == 2  # `both` counted once
    duplicate.refresh_from_db()
    assert duplicate.state == "merged" and duplicate.supports == 0
    assert duplicate.duplicate_of == keep
    assert Support.objects.filter(proposal=keep).count() == 2
    assert {"both@example.org", "dup@example.org"} <= {a for m in mail.outbox for a in m.to}
    merged = api.get(f"/api/v1/proposals/{duplicate.ref}").json()
    assert merged["duplicate_of"] == keep.ref
    assert merged["timeline"][-1] == {**merged["timeline"][-1], "kind": "merged", "into": keep.ref}
    assert AuditEntry.objects.filter(action="proposal.merged", object_id=duplicate.ref).exists()
    assert post_json(api, url, {"into": keep.ref}, **auth(key)).status_code == 409


def test_merge_reaching_the_threshold(api: Client) -> None:
    _boss, key = make_officer(make_agency("drains"), role="supervisor")
    keep, duplicate = file_proposal(), file_proposal()
    support_by(keep, 2)
    support_by(duplicate, 1)
    response = post_json(
        api, f"/api/v1/proposals/{duplicate.ref}/merge", {"into": keep.ref}, **auth(key)
    )
    assert response.json()["state"] == "threshold_reached"


def test_three_reports_hide_until_a_moderator_decides(api: Client) -> None:
    proposal = file_proposal()
    url = f"/api/v1/proposals/{proposal.ref}/report"
    tokens = [make_citizen()[1] for _ in range(3)]
    assert post_json(api, url, {"reason": "ข้อความหยาบคาย"}).status_code == 401
    assert post_json(api, url, {"reason": " "}, **bearer(tokens[0])).status_code == 400
    first = post_json(api, url, {"reason": "ข้อความหยาบคาย"}, **bearer(tokens[0]))
    assert first.status_code == 201 and first.json()["hidden"] is False
    assert post_json(api, url, {"reason": "ซ้ำ"}, **bearer(tokens[0])).status_code == 409
    post_json(api, url, {"reason": "สแปม"}, **bearer(tokens[1]))
    third = post_json(api, url, {"reason": "โฆษณา"}, **bearer(tokens[2]))
    assert third.json()["hidden"] is True

    hidden = api.get(f"/api/v1/proposals/{proposal.ref}").json()
    assert hidden["hidden"] is True and hidden["body"] is None and hidden["title"] is None
    assert hidden["timeline"][-1]["kind"] == "hidden"
    assert proposal.ref not in [p["ref"] for p in api.get("/api/v1/proposals").json()["items"]]

    _plain, plain_key = make_officer(make_agency("parks"))
    _boss, boss_key = make_officer(make_agency("drains"), role="supervisor")
    moderate = f"/api/v1/proposals/{proposal.ref}/moderate"
    keep = {"decision": "keep", "note": "ไม่ผิดกติกา"}
    assert post_json(api, moderate, keep, **auth(plain_key)).status_code == 403
    assert (
        post_json(api, moderate, {"decision": "maybe", "note": "x"}, **auth(boss_key)).status_code
        == 400
    )
    kept = post_json(api, moderate, keep, **auth(boss_key))
    assert kept.status_code == 200 and kept.json()["hidden"] is False
    assert kept.json()["timeline"][-1]["note"] == "ไม่ผิดกติกา"
    assert post_json(api, moderate, keep, **auth(boss_key)).status_code == 409  # not hidden
    assert AuditEntry.objects.filter(action="proposal.moderated").exists()
    # Reports settled by the moderator do not count again; new ones do.
    more = [make_citizen()[1] for _ in range(3)]
    for token in more[:2]:
        post_json(api, url, {"reason": "สแปม"}, **bearer(token))
    assert not Proposal.objects.get(pk=proposal.pk).is_hidden
    post_json(api, url, {"reason": "สแปม"}, **bearer(more[2]))
    assert Proposal.objects.get(pk=proposal.pk).is_hidden
    removed = post_json(api, moderate, {"decision": "remove", "note": "ผิดกติกา"}, **auth(boss_key))
    assert removed.json()["hidden"] is True
    assert post_json(api, moderate, keep, **auth(boss_key)).status_code == 409
