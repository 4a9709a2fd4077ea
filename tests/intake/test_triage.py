"""Triage on intake: every new case gets categories, a place, an agency and a triage event;
officers of the responsible agency correct it, and corrections are kept for retraining."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pracha.agencies.models import Agency, Officer, RoutingRule
from pracha.audit.models import AuditEntry
from pracha.cases.models import Case, Event
from pracha.intake.triage import TRIAGE_ACTOR
from pracha.triage.models import CaseTriage, TriageCorrection
from tests.factories import file_case, set_state
from tests.helpers import auth, case_url, post_json
from tests.triage.support import BANG_RAK, NONTHABURI, VIENTIANE, KeywordClassifier, codes_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("triage_on_intake")]
MakeOfficer = Callable[..., tuple[Officer, str]]


def file(api: Client, **fields: Any) -> dict[str, Any]:
    """factories.file_case in Bang Rak (a district office's area)."""
    return file_case(api, **{**BANG_RAK, **fields})


def test_the_model_chooses_categories_and_the_district_office_receives_it(
    api: Client, model: KeywordClassifier
) -> None:
    out = file(api)
    assert codes_of(out) == ["road"]
    assert (out["district"], out["province"]) == ("บางรัก", "กรุงเทพมหานคร")
    assert out["agency"]["name_th"] == "เขตบางรัก"
    assert out["agency"]["kind"] == "district_office"
    triage = out["triage"]
    assert triage["categories"] == ["road"] and triage["category_source"] == "model"
    assert triage["scores"]["road"] == 0.9 and len(triage["scores"]) == 24
    assert triage["needs_review"] is False
    assert triage["district"] == "บางรัก" and triage["near_boundary"] is False
    assert "the office of the case's district, เขตบางรัก" in triage["routed_by"]
    assert triage["model_version"] == "keywords-test-1"
    kinds = [e["kind"] for e in out["timeline"]]
    assert kinds == ["created", "triaged"]
    created, triaged = out["timeline"]
    assert created["to_agency"]["name_th"] == "เขตบางรัก"
    assert "ถนน 0.90" in triaged["note"] and "case's district" in triaged["note"]


def test_the_reporters_categories_are_kept_and_the_suggestion_recorded(
    api: Client, model: KeywordClassifier
) -> None:
    out = file(api, categories=["ท่อระบายน้ำ"], description="ไฟดับทั้งซอย")
    assert codes_of(out) == ["drains"]
    assert out["agency"]["name_th"] == "เขตบางรัก"  # the district office acts on drains too
    triage = out["triage"]
    assert triage["category_source"] == "reporter"
    assert triage["suggested"] == ["lighting"]
    assert "district, เขตบางรัก" in triage["routed_by"]


def test_without_a_model_triage_routes_by_area_and_asks_for_review(
    api: Client, no_model: None
) -> None:
    out = file(api)
    assert codes_of(out) == []
    assert out["agency"]["name_th"] == "เขตบางรัก"
    assert out["triage"]["needs_review"] is True
    assert out["triage"]["scores"] == {} and out["triage"]["category_source"] == "none"
    assert "no classifier model" in out["timeline"][-1]["note"]


def test_outside_bangkok_no_rule_matches_so_the_default_agency_holds_it(
    api: Client, model: KeywordClassifier
) -> None:
    out = file(api, **NONTHABURI)
    assert (out["district"], out["province"]) == ("เมืองนนทบุรี", "นนทบุรี")
    assert out["agency"]["code"] == "bma"
    assert out["triage"]["needs_review"] is True
    assert "no routing rule matches" in out["triage"]["routed_by"]


def test_a_point_abroad_is_refused_and_nothing_is_stored(
    api: Client, model: KeywordClassifier
) -> None:
    response = post_json(api, "/api/v1/cases", {"description": "ถนนพัง", **VIENTIANE})
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "lat" and "not in Thailand" in body["detail"]
    assert not Case.objects.exists()


def test_swapped_coordinates_are_named(api: Client, model: KeywordClassifier) -> None:
    body = {"description": "ถนนพัง", "lat": BANG_RAK["lon"], "lon": BANG_RAK["lat"]}
    response = post_json(api, "/api/v1/cases", body)
    assert response.status_code == 400
    assert "swapped" in response.json()["detail"]


def test_a_retry_with_the_same_key_triages_once(api: Client, model: KeywordClassifier) -> None:
    body = {"description": "ถนนเป็นหลุม", **BANG_RAK}
    first = post_json(api, "/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="k-1").json()
    again = post_json(api, "/api/v1/cases", body, HTTP_IDEMPOTENCY_KEY="k-1").json()
    assert first["ticket_id"] == again["ticket_id"]
    assert first["triage"] == again["triage"]
    assert CaseTriage.objects.count() == 1
    assert Event.objects.filter(kind=Event.Kind.TRIAGED).count() == 1
    assert model.calls == 1  # a replay never reaches triage


def test_an_administrators_rule_takes_effect(api: Client, model: KeywordClassifier) -> None:
    works = Agency.objects.get(code="bma-works")
    rule = RoutingRule.objects.create(
        category="road",
        district="บางรัก",
        target="agency",
        agency=works,
        priority=90,
        reason="ถนนสายหลักในเขตบางรักเป็นของสำนักการโยธา",
    )
    out = file(api)
    assert out["agency"]["code"] == "bma-works"
    assert out["triage"]["routed_by"].startswith(f"rule #{rule.pk}: ถนน in บางรัก")
    assert CaseTriage.objects.get().rule == rule
    rule.is_active = False
    rule.save()
    assert file(api)["agency"]["name_th"] == "เขตบางรัก"


def test_intake_invites_the_co_agencies_as_triage(api: Client, model: KeywordClassifier) -> None:
    works = Agency.objects.get(code="bma-works")
    rule = RoutingRule.objects.create(
        category="road",
        district="บางรัก",
        target="co_agency",
        agency=works,
        priority=50,
        reason="สำนักการโยธาร่วมแก้ถนนในเขตบางรัก",
    )
    out = file(api)
    case = Case.objects.get(ticket_id=out["ticket_id"])
    assert case.agency.name_th == "เขตบางรัก"  # responsibility stays with the district office
    assert list(case.co_agencies.all()) == [works]
    invited = Event.objects.get(case=case, kind=Event.Kind.INVITED)
    assert (invited.actor_label, invited.to_agency, invited.actor) == (TRIAGE_ACTOR, works, None)
    assert f"rule #{rule.pk}" in invited.note and rule.reason in invited.note
    assert f"Also invited, rule #{rule.pk}" in out["triage"]["routed_by"]
    audited = AuditEntry.objects.get(action="case.invited", object_id=case.ticket_id)
    assert audited.actor_label == TRIAGE_ACTOR
    works.is_active = False
    works.save()
    assert not Case.objects.get(ticket_id=file(api)["ticket_id"]).co_agencies.exists()


def test_triage_can_be_switched_off(api: Client, model: KeywordClassifier, pracha: Any) -> None:
    pracha(triage_on_intake=False)
    out = file(api)
    assert out["agency"]["code"] == "bma"
    assert out["triage"] is None and out["district"] == ""
    assert [e["kind"] for e in out["timeline"]] == ["created"]
    # Points abroad are still refused: that is validation, not triage.
    response = post_json(api, "/api/v1/cases", {"description": "ถนนพัง", **VIENTIANE})
    assert response.status_code == 400 and "not in Thailand" in response.json()["detail"]


def test_listing_cases_with_triage_costs_no_query_per_case(
    api: Client, model: KeywordClassifier
) -> None:
    for _ in range(2):
        file(api)
    with CaptureQueriesContext(connection) as two:
        assert api.get("/api/v1/cases").status_code == 200
    for _ in range(3):
        file(api)
    with CaptureQueriesContext(connection) as five:
        body = api.get("/api/v1/cases").json()
    assert len(five) == len(two)
    assert all(item["triage"]["district"] == "บางรัก" for item in body["items"])


# --- officers correct the triage -----------------------------------------------------------


@pytest.fixture
def filed(api: Client, model: KeywordClassifier) -> dict[str, Any]:
    return file(api)


@pytest.fixture
def district_officer(filed: dict[str, Any], make_officer: MakeOfficer) -> tuple[Officer, str]:
    return make_officer(Agency.objects.get(name_th="เขตบางรัก"))


def correct(api: Client, ticket_id: str, key: str | None, **body: Any) -> Any:
    headers = auth(key) if key else {}
    return post_json(api, case_url(ticket_id, "triage"), body, **headers)


def test_an_officer_corrects_the_categories(
    api: Client, filed: dict[str, Any], district_officer: tuple[Officer, str]
) -> None:
    officer, key = district_officer
    response = correct(api, filed["ticket_id"], key, categories=["ทางเท้า", "road"], note="ฟุตบาท")
    assert response.status_code == 200, response.content
    out = response.json()
    assert codes_of(out) == ["road", "sidewalk"]
    assert out["triage"]["corrected"] is True
    last = out["timeline"][-1]
    assert last["kind"] == "triage_corrected" and "ทางเท้า" in last["note"]
    correction = TriageCorrection.objects.get()
    assert correction.predicted == ["road"] and correction.before == ["road"]
    assert correction.corrected == ["sidewalk", "road"]
    assert correction.text == "ถนนเป็นหลุมลึกหน้าซอย"
    assert correction.officer == officer.user
    assert correction.model_version == "keywords-test-1"


def test_a_correction_can_reroute_a_misrouted_case(
    api: Client, filed: dict[str, Any], district_officer: tuple[Officer, str]
) -> None:
    _, key = district_officer
    response = correct(api, filed["ticket_id"], key, categories=["drains"], agency="bma-dds")
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["agency"]["code"] == "bma-dds"
    last = out["timeline"][-1]
    assert (last["from_agency"]["name_th"], last["to_agency"]["code"]) == ("เขตบางรัก", "bma-dds")
    correction = TriageCorrection.objects.get()
    assert (correction.from_agency.name_th, correction.to_agency.code) == ("เขตบางรัก", "bma-dds")
    # The old agency may no longer correct it.
    assert correct(api, filed["ticket_id"], key, categories=["road"]).status_code == 403


def test_only_an_officer_of_the_responsible_agency_may_correct(
    api: Client, filed: dict[str, Any], make_officer: MakeOfficer, bma: Agency
) -> None:
    ticket = filed["ticket_id"]
    assert correct(api, ticket, None, categories=["road"]).status_code == 401
    _, city_key = make_officer(bma)
    response = correct(api, ticket, city_key, categories=["road"])
    assert response.status_code == 403
    assert not TriageCorrection.objects.exists()


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"categories": ["ufo"]}, 400, "categories"),
        ({"categories": []}, 400, "categories"),
        ({"categories": "road"}, 422, "categories"),
        ({"categories": ["road"], "agency": "no-such-agency"}, 400, "agency"),
        ({}, 422, "categories"),
    ],
)
def test_bad_corrections_are_refused(
    api: Client,
    filed: dict[str, Any],
    district_officer: tuple[Officer, str],
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    _, key = district_officer
    response = correct(api, filed["ticket_id"], key, **body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not TriageCorrection.objects.exists()


def test_a_closed_case_or_a_closed_agency_cannot_take_a_correction(
    api: Client, filed: dict[str, Any], district_officer: tuple[Officer, str]
) -> None:
    _, key = district_officer
    Agency.objects.filter(code="bma-dds").update(is_active=False)
    response = correct(api, filed["ticket_id"], key, categories=["drains"], agency="bma-dds")
    assert response.status_code == 400 and "no longer takes cases" in response.json()["detail"]
    set_state(filed["ticket_id"], "done")
    assert correct(api, filed["ticket_id"], key, categories=["road"]).status_code == 409
    assert not TriageCorrection.objects.exists()


def test_an_unknown_case(api: Client, district_officer: tuple[Officer, str]) -> None:
    _, key = district_officer
    assert correct(api, "2099-NOPE", key, categories=["road"]).status_code == 404


@pytest.mark.slow
def test_intake_with_a_real_trained_model(api: Client, tiny_classifier: Any) -> None:
    out = file(api, description="ท่อระบายน้ำอุดตัน น้ำท่วมขังหน้าบ้านทุกครั้งที่ฝนตก")
    triage = out["triage"]
    assert triage["model_version"] == tiny_classifier.version
    assert set(triage["scores"]) == set(tiny_classifier.codes)
    assert all(0 <= score <= 1 for score in triage["scores"].values())
    assert triage["suggested"] == codes_of(out)  # the model chose: the case has its categories
    assert out["triage"]["district"] == "บางรัก"


@pytest.mark.parametrize("invite", [False, True])
def test_the_answer_to_a_new_report_is_what_reading_it_back_gives(
    api: Client, model: KeywordClassifier, invite: bool
) -> None:
    """Intake answers from what it just wrote (no read back); a retry and a GET read it from
    the database: all three must be the same, with categories, rule, duplicates, reporter."""
    if invite:
        RoutingRule.objects.create(
            category="road", district="บางรัก", target="co_agency",
            agency=Agency.objects.get(code="bma-works"), priority=50, reason="ร่วมแก้ถนน",
        )  # fmt: skip
    file(api, description="ถนนเป็นหลุม รถตกหลุม")  # a neighbour, found as a possible duplicate
    body = {"description": "ถนนเป็นหลุมใหญ่ หน้าตลาด", "categories": [], **BANG_RAK}
    body["reporter"] = {"name": "สมศรี", "email": "somsri@example.org"}
    headers = {"HTTP_IDEMPOTENCY_KEY": f"answer-{invite}"}
    first = post_json(api, "/api/v1/cases", body, **headers)
    again = post_json(api, "/api/v1/cases", body, **headers)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    answer = first.json()
    assert answer["duplicates"] and answer["triage"]["categories"] == ["road"]
    assert [e["kind"] for e in answer["timeline"]][:2] == ["created", "triaged"]
    assert answer["timeline"][1]["explanation_en"]
    read = api.get(case_url(answer["ticket_id"])).json()
    assert read == {k: v for k, v in answer.items() if k not in {"citizen_token", "duplicates"}}
