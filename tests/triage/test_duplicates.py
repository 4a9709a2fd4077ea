"""Duplicates: nearby, recent, similar open cases are shown to the reporter and linked for
officers; an officer merges a duplicate into the original and its reporter follows it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, CaseKind, Category, Event, ReporterContact
from pracha.triage.duplicates import MAX_SHOWN, distance_m, find_duplicates
from pracha.triage.merging import reporters_following
from pracha.triage.models import DuplicateLink, MergedCase
from pracha.triage.similarity import similarity
from tests.factories import set_state
from tests.helpers import auth, case_url, post_json
from tests.triage.support import BANG_RAK, KeywordClassifier

LAT, LON = BANG_RAK["lat"], BANG_RAK["lon"]
METRE_LAT = 1 / 111_195  # a degree of latitude on the sphere haversine uses
MakeOfficer = Callable[..., tuple[Officer, str]]


def test_similarity() -> None:
    assert similarity("ไฟดับทั้งซอย", "ไฟดับ ทั้งซอย!") == pytest.approx(1.0)
    assert similarity("ท่อระบายน้ำอุดตันหน้าบ้าน", "ท่อระบายน้ำตันหน้าบ้านเลขที่ 5") > 0.5
    assert similarity("ไฟดับทั้งซอย", "สุนัขจรจัดกัดคน") < 0.1
    assert similarity("", "ไฟดับ") == 0.0
    assert similarity("ซอย 42", "ซอย 7") < 1.0


def test_distance() -> None:
    assert distance_m(LAT, LON, LAT + 100 * METRE_LAT, LON) == pytest.approx(100, abs=0.5)


def existing(
    text: str,
    *,
    metres_north: float = 0,
    days_ago: float = 1,
    state: str = "waiting",
    categories: tuple[str, ...] = (),
) -> Case:
    case = Case.objects.create(
        ticket_id=f"2025-T{Case.objects.count():05d}",
        description=text,
        lat=LAT + metres_north * METRE_LAT,
        lon=LON,
        state=state,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
    case.categories.set(Category.objects.filter(code__in=categories))
    return case


def found(text: str, categories: list[str] | None = None) -> list[str]:
    candidates = find_duplicates(
        lat=LAT, lon=LON, text=text, categories=categories or [], at=timezone.now()
    )
    return [c.ticket_id for c in candidates]


@pytest.mark.django_db
def test_near_recent_and_alike_is_a_candidate() -> None:
    case = existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น", metres_north=60)
    candidates = find_duplicates(
        lat=LAT, lon=LON, text="ท่อระบายน้ำอุดตันส่งกลิ่นเหม็น", categories=[], at=timezone.now()
    )
    assert [c.ticket_id for c in candidates] == [case.ticket_id]
    assert candidates[0].distance_m == pytest.approx(60, abs=1)
    assert 0.3 <= candidates[0].similarity < 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("where", "why"),
    [
        ({"metres_north": 130}, "too far"),
        ({"days_ago": 15}, "too old"),
        ({"days_ago": -1}, "filed after the report"),
        ({"state": "done"}, "closed"),
        ({"state": "irrelevant"}, "closed"),
    ],
)
def test_far_old_later_or_closed_cases_are_not_candidates(where: dict[str, Any], why: str) -> None:
    existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น", **where)
    assert found("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น") == [], why


@pytest.mark.django_db
def test_a_private_service_request_nearby_is_never_a_candidate() -> None:
    request = existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น", metres_north=10)
    Case.all_kinds.filter(pk=request.pk).update(kind=CaseKind.SERVICE_REQUEST)
    assert found("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น") == []


@pytest.mark.django_db
def test_the_case_itself_can_be_left_out() -> None:
    case = existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น", metres_north=10)
    at = timezone.now()
    text = "ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น"
    assert find_duplicates(lat=LAT, lon=LON, text=text, categories=[], at=at, exclude=case.pk) == []


@pytest.mark.django_db
def test_open_cases_in_any_working_state_are_candidates() -> None:
    case = existing("ท่อระบายน้ำอุดตัน", state="in_progress", days_ago=13.9, metres_north=99)
    assert found("ท่อระบายน้ำอุดตัน") == [case.ticket_id]


@pytest.mark.django_db
def test_a_shared_category_lowers_the_bar_for_the_text() -> None:
    case = existing("ถนนมีหลุมลึกอันตรายมาก", categories=("road",))
    text = "ถนนเป็นหลุมลึกหน้าปากซอย"
    score = similarity(text, case.description)
    assert 0.2 <= score < 0.3  # not alike enough on its own
    assert found(text) == []
    assert found(text, ["road"]) == [case.ticket_id]
    assert found(text, ["noise"]) == []


@pytest.mark.django_db
def test_unrelated_text_nearby_is_not_a_candidate() -> None:
    existing("สุนัขจรจัดกัดคนเดินผ่าน", categories=("stray_animals",))
    assert found("ไฟทางดับมืดมาก", ["stray_animals"]) == []


@pytest.mark.django_db
def test_nearby_cases_unlike_the_report_cost_no_read_of_their_categories(
    django_assert_num_queries: Callable[..., Any],
) -> None:
    existing("สุนัขจรจัดกัดคนเดินผ่าน", metres_north=20, categories=("stray_animals",))
    existing("ไฟทางดับมืดมาก", metres_north=40, categories=("lighting",))
    with django_assert_num_queries(1):  # the box search alone
        assert found("ท่อระบายน้ำอุดตันส่งกลิ่น", ["drains"]) == []


@pytest.mark.django_db
def test_a_candidate_alike_on_its_own_still_says_whether_it_shares_a_category() -> None:
    same = existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น", metres_north=10, categories=("drains",))
    other = existing("ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่นมาก", metres_north=20, categories=("road",))
    candidates = find_duplicates(
        lat=LAT,
        lon=LON,
        text="ท่อระบายน้ำอุดตัน น้ำเน่าส่งกลิ่น",
        categories=["drains"],
        at=timezone.now(),
    )
    shared = {c.ticket_id: c.same_category for c in candidates}
    assert shared == {same.ticket_id: True, other.ticket_id: False}


@pytest.mark.django_db
def test_best_first_and_at_most_five() -> None:
    exact = existing("ไฟทางดับทั้งซอยมืดมาก", metres_north=90)
    for n in range(7):
        existing(f"ไฟทางดับทั้งซอย {n}", metres_north=n * 10)
    candidates = found("ไฟทางดับทั้งซอยมืดมาก")
    assert len(candidates) == MAX_SHOWN
    assert candidates[0] == exact.ticket_id


# --- shown to the citizen, linked for officers ---------------------------------------------


def file(api: Client, **fields: Any) -> dict[str, Any]:
    body = {"description": "ท่อระบายน้ำอุดตันหน้าบ้าน น้ำเอ่อ", **BANG_RAK, **fields}
    response = post_json(api, "/api/v1/cases", body)
    assert response.status_code == 201, response.content
    return response.json()


@pytest.mark.django_db
def test_the_reporter_is_shown_nearby_similar_cases(api: Client, model: KeywordClassifier) -> None:
    first = file(api)
    assert first["duplicates"] == []
    second = file(api, lat=LAT + 40 * METRE_LAT, description="ท่อระบายน้ำอุดตัน น้ำเอ่อหน้าบ้าน")
    [shown] = second["duplicates"]
    assert shown["ticket_id"] == first["ticket_id"]
    assert shown["state"] == "waiting"
    assert shown["url"] == f"/api/v1/cases/{first['ticket_id']}"
    assert shown["distance_m"] == pytest.approx(40, abs=1)
    assert 0.3 <= shown["similarity"] <= 1 and shown["same_category"] is True
    link = DuplicateLink.objects.get()
    assert (link.case.ticket_id, link.candidate.ticket_id) == (
        second["ticket_id"],
        first["ticket_id"],
    )
    listed = api.get(case_url(second["ticket_id"], "duplicates"))
    assert listed.status_code == 200 and listed.json() == second["duplicates"]
    assert api.get(case_url("2099-NOPE", "duplicates")).status_code == 404


# --- merging ------------------------------------------------------------------------------


@pytest.fixture
def pair(api: Client, model: KeywordClassifier) -> tuple[dict[str, Any], dict[str, Any]]:
    original = file(api, reporter={"name": "สมชาย", "email": "somchai@example.org"})
    duplicate = file(
        api, lat=LAT + 30 * METRE_LAT, reporter={"name": "สมหญิง", "phone": "0812345678"}
    )
    return original, duplicate


@pytest.fixture
def officer_key(pair: Any, make_officer: MakeOfficer) -> str:
    # Both went to the district office of their point (เขตบางรัก).
    held = {Case.objects.get(ticket_id=case["ticket_id"]).agency for case in pair}
    assert len(held) == 1
    return make_officer(held.pop())[1]


def merge(api: Client, ticket_id: str, key: str | None, **body: Any) -> Any:
    return post_json(api, case_url(ticket_id, "merge"), body, **(auth(key) if key else {}))


@pytest.mark.django_db
def test_merging_closes_the_duplicate_and_its_reporter_follows_the_original(
    api: Client, pair: Any, officer_key: str
) -> None:
    original, duplicate = pair
    response = merge(api, duplicate["ticket_id"], officer_key, into=original["ticket_id"])
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["state"] == "irrelevant" and out["status"] == "closed"
    closing = out["timeline"][-1]
    assert closing["kind"] == "closed" and original["ticket_id"] in closing["note"]
    after = api.get(case_url(original["ticket_id"])).json()
    assert after["state"] == "waiting" and after["me_too_count"] == 1
    assert after["timeline"][-1]["kind"] == "merged"
    assert duplicate["ticket_id"] in after["timeline"][-1]["note"]
    merged = MergedCase.objects.get()
    assert (merged.duplicate.ticket_id, merged.original.ticket_id) == (
        duplicate["ticket_id"],
        original["ticket_id"],
    )
    assert DuplicateLink.objects.get().status == DuplicateLink.Status.MERGED
    followers = reporters_following(
        Case.objects.get(ticket_id=original["ticket_id"]), None, "tell them about progress"
    )
    assert [r.name for r in followers] == ["สมชาย", "สมหญิง"]
    reads = AuditEntry.objects.filter(
        action="contact.read", detail__purpose="tell them about progress"
    )
    assert sorted(reads.values_list("object_id", flat=True)) == sorted(
        [original["ticket_id"], duplicate["ticket_id"]]
    )


@pytest.mark.django_db
def test_the_merged_reporter_is_e_mailed_about_the_original(
    api: Client, pair: Any, officer_key: str, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    original, duplicate = pair
    merge(api, duplicate["ticket_id"], officer_key, into=original["ticket_id"])
    Case.objects.filter(ticket_id=duplicate["ticket_id"]).update(language="en")
    ReporterContact.objects.filter(case__ticket_id=duplicate["ticket_id"]).update(
        email="somying@example.org"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(
            api,
            case_url(original["ticket_id"], "comment"),
            {"note": "ทีมงานจะเข้าไปลอกท่อพรุ่งนี้", "public": True},
            **auth(officer_key),
        )
    assert response.status_code in {200, 201}, response.content
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"somchai@example.org", "somying@example.org"}
    own, follower = by_address["somchai@example.org"], by_address["somying@example.org"]
    assert "?k=" in own.body  # the reporter's private rate/reopen link
    assert "?k=" not in follower.body  # not handed to someone else's reporter
    assert duplicate["ticket_id"] in follower.body and original["ticket_id"] in follower.body
    assert "was about the same problem" in follower.body  # in their own report's language


@pytest.mark.django_db
def test_followers_carry_through_a_chain_of_merges(
    api: Client, pair: Any, officer_key: str
) -> None:
    original, duplicate = pair
    third = file(api, reporter={"name": "สมศักดิ์"})
    assert (
        merge(api, duplicate["ticket_id"], officer_key, into=original["ticket_id"]).status_code
        == 200
    )
    assert (
        merge(api, original["ticket_id"], officer_key, into=third["ticket_id"]).status_code == 200
    )
    followers = reporters_following(Case.objects.get(ticket_id=third["ticket_id"]), None, "test")
    assert sorted(r.name for r in followers) == ["สมชาย", "สมศักดิ์", "สมหญิง"]


@pytest.mark.django_db
def test_merge_refusals(
    api: Client, pair: Any, officer_key: str, make_officer: MakeOfficer, bma: Agency
) -> None:
    original, duplicate = pair
    dup = duplicate["ticket_id"]
    assert merge(api, dup, None, into=original["ticket_id"]).status_code == 401
    stranger = make_officer(bma)[1]
    assert merge(api, dup, stranger, into=original["ticket_id"]).status_code == 403
    itself = merge(api, dup, officer_key, into=dup)
    assert itself.status_code == 400 and itself.json()["field"] == "into"
    unknown = merge(api, dup, officer_key, into="2099-NOPE")
    assert unknown.status_code == 400 and unknown.json()["field"] == "into"
    assert merge(api, dup, officer_key).status_code == 422
    set_state(original["ticket_id"], "done")
    closed = merge(api, dup, officer_key, into=original["ticket_id"])
    assert closed.status_code == 409 and "closed" in closed.json()["detail"]
    set_state(original["ticket_id"], "waiting")
    set_state(dup, "done")
    assert merge(api, dup, officer_key, into=original["ticket_id"]).status_code == 409
    assert not MergedCase.objects.exists()
    assert Event.objects.filter(kind=Event.Kind.MERGED).count() == 0
    assert ReporterContact.objects.count() == 2
