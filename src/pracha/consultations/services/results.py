"""Results, public only once a consultation has closed, and its CSV; turnout per consultation
and per agency. Nothing here names or links to a person: free text is masked
(pracha.masking) and listed without who wrote it or when."""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from pracha import csvsafe
from pracha.cases.errors import Conflict
from pracha.consultations.models import Answer, Consultation, Phase, Question, Response, State
from pracha.consultations.services.closing import changes_due
from pracha.masking.personal_data import mask_personal_data


class ResultsNotYet(Conflict):
    code = "results_not_public"


def check_results_public(consultation: Consultation) -> None:
    if consultation.phase() != Phase.CLOSED:
        raise ResultsNotYet(
            f"the results of {consultation.ref} are public once it closes "
            f"({consultation.closes_at.isoformat()})"
        )


def results(consultation: Consultation) -> dict[str, Any]:
    """`{"responses", "questions": [...]}`, each question with its figures by kind."""
    check_results_public(consultation)
    questions = list(consultation.questions.all())
    answers: dict[int, list[Answer]] = {q.pk: [] for q in questions}
    for answer in Answer.objects.filter(question__consultation=consultation).order_by("pk"):
        answers[answer.question_id].append(answer)
    responses = Response.objects.filter(consultation=consultation).count()
    return {
        "responses": responses,
        "questions": [question_result(q, answers[q.pk], responses) for q in questions],
    }


def question_result(question: Question, answers: list[Answer], responses: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": question.pk,
        "order": question.order,
        "kind": question.kind,
        "text_th": question.text_th,
        "text_en": question.text_en,
        "answered": len(answers),
        "skipped": responses - len(answers),
    }
    if question.has_options:
        counts = Counter(choice for a in answers for choice in a.choices)
        out["options"] = [
            {
                "th": o["th"],
                "en": o.get("en", ""),
                "count": counts.get(i, 0),
                "share": round(counts.get(i, 0) / len(answers), 4) if answers else 0.0,
            }
            for i, o in enumerate(question.options)
        ]
    elif question.kind == Question.Kind.SCALE:
        numbers = [a.number for a in answers if a.number is not None]
        spread = Counter(numbers)
        out["distribution"] = {str(n): spread.get(n, 0) for n in range(1, 6)}
        out["mean"] = round(sum(numbers) / len(numbers), 2) if numbers else None
    else:
        out["texts"] = [mask_personal_data(a.text) for a in answers if a.text]
    return out


CSV_COLUMNS = [
    "question",
    "kind",
    "text_th",
    "text_en",
    "answer_th",
    "answer_en",
    "count",
    "share",
    "responses",
]


def csv_rows(consultation: Consultation) -> Iterator[list[Any]]:
    """One row per option, scale point, or free-text answer (masked)."""
    data = results(consultation)
    total = data["responses"]
    for q in data["questions"]:
        head = [q["order"], q["kind"], q["text_th"], q["text_en"]]
        if "options" in q:
            for o in q["options"]:
                yield [*head, o["th"], o["en"], o["count"], o["share"], total]
        elif "distribution" in q:
            for point, count in q["distribution"].items():
                share = round(count / q["answered"], 4) if q["answered"] else 0.0
                yield [*head, point, point, count, share, total]
            yield [*head, "mean", "mean", "" if q["mean"] is None else q["mean"], "", total]
        else:
            for text in q["texts"]:
                yield [*head, text, "", 1, "", total]


def results_csv(consultation: Consultation) -> str:
    """The results for people: UTF-8 with a BOM, formula-like cells neutralised."""
    out = io.StringIO()
    out.write(csvsafe.BOM)
    writer = csvsafe.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(consultation):
        writer.writerow(row)
    return out.getvalue()


# --- turnout ------------------------------------------------------------------------------


def turnout_by_consultation(agency_code: str | None = None) -> list[dict[str, Any]]:
    """Responses per published consultation (newest first)."""
    found = Consultation.objects.exclude(state=State.DRAFT).select_related("agency")
    if agency_code:
        found = found.filter(agency__code=agency_code)
    found = found.annotate(n=Count("responses"))
    now = timezone.now()
    return [
        {
            "ref": c.ref,
            "title_th": c.title_th,
            "title_en": c.title_en,
            "agency": c.agency.code,
            "state": c.phase(now),
            "responses": c.n,
        }
        for c in found
    ]


def turnout_by_agency() -> list[dict[str, Any]]:
    """Per agency: consultations published, closed, responses, mean responses per
    consultation, and how many closed ones still owe "what we changed" past its date."""
    now = timezone.now()
    rows: dict[str, dict[str, Any]] = {}
    published = Consultation.objects.exclude(state=State.DRAFT).select_related("agency")
    for c in published.annotate(n=Count("responses")):
        row = rows.setdefault(
            c.agency.code,
            {
                "agency": c.agency.code,
                "name_th": c.agency.name_th,
                "name_en": c.agency.name_en,
                "consultations": 0,
                "closed": 0,
                "responses": 0,
                "changes_published": 0,
                "changes_overdue": 0,
            },
        )
        row["consultations"] += 1
        row["responses"] += c.n
        if c.phase(now) == Phase.CLOSED:
            row["closed"] += 1
            if c.changes_published_at is not None:
                row["changes_published"] += 1
            elif changes_due(c) < now:
                row["changes_overdue"] += 1
    for row in rows.values():
        row["mean_responses"] = round(row["responses"] / row["consultations"], 1)
    return sorted(rows.values(), key=lambda r: (-r["responses"], r["agency"]))


def changes_overdue(consultation: Consultation, now: Any = None) -> bool:
    now = now or timezone.now()
    return bool(
        consultation.phase(now) == Phase.CLOSED
        and consultation.changes_published_at is None
        and changes_due(consultation) < now
    )


def open_count() -> int:
    now = timezone.now()
    return Consultation.objects.filter(
        Q(state=State.OPEN), opens_at__lte=now, closes_at__gt=now
    ).count()
