"""The 201 of POST /api/v1/cases is written without django-ninja validating it again
(pracha.api.renderers.json_response): it must be exactly what CaseCreatedOut makes of it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from pracha.api.cases.schemas import CaseCreatedOut
from pracha.api.renderers import RENDERER
from tests.helpers import post_json
from tests.triage.support import BANG_RAK, NONTHABURI, KeywordClassifier

pytestmark = pytest.mark.usefixtures("triage_on_intake")
METRE = 1 / 111_195

REPORTS: list[dict[str, Any]] = [
    {"description": "ท่อระบายน้ำอุดตันหน้าบ้าน น้ำเอ่อ", **BANG_RAK},
    # A near duplicate of the first: the answer lists it.
    {
        "description": "ท่อระบายน้ำอุดตัน น้ำเอ่อหน้าบ้าน",
        "lat": BANG_RAK["lat"] + 30 * METRE,
        "lon": BANG_RAK["lon"],
    },
    {
        "description": "ไฟถนนดับ โทร 081-234-5678 คุณสมชาย",  # masked in the answer
        "address": "ซอยสีลม 3 บ้านเลขที่ 12 โทร 0812345678",
        "categories": ["road"],
        "reporter": {"name": "สมชาย", "phone": "0812345678", "email": "a@example.org"},
        "language": "en",
        **BANG_RAK,
    },
    {"description": "Pothole in front of the market, very deep", **NONTHABURI},
    {"description": "ขยะ", "lat": 13.75, "lon": 100.5},
]


def as_ninja_writes_it(content: bytes) -> bytes:
    """What django-ninja answers for this body: validated by the response schema, dumped by
    alias, written by the API's renderer."""
    validated = CaseCreatedOut.model_validate(json.loads(content)).model_dump(by_alias=True)
    return RENDERER.render(None, validated, response_status=201).encode()  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_answer_is_what_the_schema_makes_of_it(api: Client, model: KeywordClassifier) -> None:
    answers = []
    for report in REPORTS:
        response = post_json(api, "/api/v1/cases", report)
        assert response.status_code == 201, response.content
        assert response["Content-Type"] == "application/json; charset=utf-8"
        assert response.content == as_ninja_writes_it(response.content)
        answers.append(response.json())
    assert answers[1]["duplicates"][0]["ticket_id"] == answers[0]["ticket_id"]
    # The phone numbers as written, not "081": a random id's hex digits may hold that.
    written = json.dumps(answers[2], ensure_ascii=False)
    assert "081-234-5678" not in written and "0812345678" not in written
    assert "a@example.org" not in written


@pytest.mark.django_db
def test_a_retry_gets_the_same_answer(api: Client, model: KeywordClassifier) -> None:
    first = post_json(api, "/api/v1/cases", REPORTS[0], HTTP_IDEMPOTENCY_KEY="same-key")
    again = post_json(api, "/api/v1/cases", REPORTS[0], HTTP_IDEMPOTENCY_KEY="same-key")
    assert first.status_code == again.status_code == 201
    # Read back from the database, in its order of JSON keys (jsonb sorts them).
    assert again.json() == first.json()
    assert again.content == as_ninja_writes_it(again.content)
