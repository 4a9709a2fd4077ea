"""Shared by the consultation tests (tests/consultations/, tests/api/consultations/,
tests/web/): consultations made through the officers' services, then dated as a test needs;
citizens with a verified e-mail and a token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from pracha.agencies.models import Agency, Officer
from pracha.citizens.models import Channel, Citizen
from pracha.citizens.services.tokens import do_issue_token
from pracha.consultations.models import Consultation, State
from pracha.consultations.services import manage

QUESTIONS = [
    manage.QuestionDraft(
        kind="single",
        text_th="ควรเปิดสวนถึงกี่โมง",
        text_en="Until when should the park open?",
        options=[{"th": "สองทุ่ม", "en": "8 pm"}, {"th": "สี่ทุ่ม", "en": "10 pm"}],
    ),
    manage.QuestionDraft(
        kind="multiple",
        text_th="อยากได้อะไรเพิ่ม",
        text_en="What else do you want?",
        options=[
            {"th": "ไฟ", "en": "Lights"},
            {"th": "ห้องน้ำ", "en": "Toilets"},
            {"th": "ที่นั่ง", "en": "Benches"},
        ],
    ),
    manage.QuestionDraft(kind="scale_1_5", text_th="พอใจแค่ไหน", text_en="How satisfied?"),
    manage.QuestionDraft(
        kind="free_text", text_th="ข้อเสนออื่น", text_en="Anything else?", required=False
    ),
]


def make_consultation(
    officer: Officer,
    ref: str = "park-hours",
    *,
    phase: str = "open",
    questions: list[manage.QuestionDraft] | None = None,
) -> Consultation:
    """A consultation of the officer's agency in `phase` (draft, upcoming, open, or past: open
    in the database but past its closing date, as before the closing job runs)."""
    now = timezone.now()
    consultation = manage.do_create(
        officer,
        manage.Draft(
            ref=ref,
            title_th="เวลาเปิดสวนสาธารณะ",
            title_en="Park opening hours",
            summary_th="ร่างเวลาเปิดใหม่",
            draft_th="สวนจะเปิดถึงสี่ทุ่ม",
            opens_at=now + timedelta(days=1),
            closes_at=now + timedelta(days=15),
        ),
        QUESTIONS if questions is None else questions,
    )
    if phase == "draft":
        return consultation
    manage.do_publish(officer, consultation)
    if phase in ("open", "past"):
        consultation.opens_at = now - timedelta(days=10)
        consultation.save(update_fields=["opens_at"])
    if phase == "past":
        consultation.closes_at = now - timedelta(minutes=1)
        consultation.save(update_fields=["closes_at"])
    consultation.refresh_from_db()
    return consultation


def make_citizen(email: str = "somsri@example.org", language: str = "th") -> Citizen:
    citizen = Citizen.objects.create(language=language)
    Channel.objects.create(citizen=citizen, kind="email", address=email)
    return citizen


def token_for(citizen: Citizen) -> str:
    _token, raw = do_issue_token(citizen)
    return raw


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def full_answers(consultation: Consultation, **values: Any) -> list[dict[str, Any]]:
    """An answer to each question: by default option 1, options 0 and 2, 4, a text."""
    defaults = {"single": 1, "multiple": [0, 2], "scale_1_5": 4, "free_text": "เพิ่มไฟทางเดิน"}
    defaults.update(values)
    return [{"question": q.pk, "value": defaults[q.kind]} for q in consultation.questions.all()]


def agency_other(code: str = "works") -> Agency:
    return Agency.objects.create(code=code, name_th=f"หน่วยงาน {code}")


__all__ = ["State"]
