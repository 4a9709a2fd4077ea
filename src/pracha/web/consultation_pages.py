"""What the consultation pages show, in the reader's language: texts picked from the Thai and
English columns, questions with the citizen's current answer, results ready for charts."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from pracha.consultations.models import Consultation, Question


def english() -> bool:
    return (translation.get_language() or "th").startswith("en")


def pick(thai: str, eng: str) -> str:
    """The English text on English pages when there is one, else the Thai."""
    return eng if english() and eng else thai


def texts(consultation: Consultation) -> dict[str, str]:
    c = consultation
    return {
        "title": pick(c.title_th, c.title_en),
        "summary": pick(c.summary_th, c.summary_en),
        "draft": pick(c.draft_th, c.draft_en),
        "changes": pick(c.changes_th, c.changes_en),
    }


def form_questions(
    questions: list[Question], current: dict[int, Any], posted: dict[int, Any] | None = None
) -> list[dict[str, Any]]:
    """Each question with its options and the value to prefill (what was posted, else the
    citizen's stored answer)."""
    values = posted if posted is not None else current
    rows = []
    for q in questions:
        value = values.get(q.pk)
        chosen = set(value) if isinstance(value, list) else {value}
        rows.append(
            {
                "id": q.pk,
                "order": q.order,
                "kind": q.kind,
                "text": pick(q.text_th, q.text_en),
                "required": q.required,
                "name": f"q{q.pk}",
                "options": [
                    {"index": i, "text": pick(o["th"], o.get("en", "")), "checked": i in chosen}
                    for i, o in enumerate(q.options)
                ],
                "points": [{"value": n, "checked": n in chosen} for n in range(1, 6)],
                "text_value": value if isinstance(value, str) else "",
            }
        )
    return rows


def chart_results(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Each question's results as labels and counts (the page's JSON for Chart.js)."""
    rows = []
    for q in data["questions"]:
        row: dict[str, Any] = {
            "id": q["id"],
            "kind": q["kind"],
            "text": pick(q["text_th"], q["text_en"]),
            "answered": q["answered"],
        }
        if "options" in q:
            row["labels"] = [pick(o["th"], o["en"]) for o in q["options"]]
            row["counts"] = [o["count"] for o in q["options"]]
            row["pairs"] = list(zip(row["labels"], row["counts"], strict=True))
        elif "distribution" in q:
            row["labels"] = list(q["distribution"])
            row["counts"] = list(q["distribution"].values())
            row["pairs"] = list(zip(row["labels"], row["counts"], strict=True))
            row["mean"] = q["mean"]
        else:
            row["texts"] = q["texts"]
        rows.append(row)
    return rows


def read_form(post: Any, questions: list[Question]) -> tuple[list[dict[str, Any]], dict[int, Any]]:
    """The answers a posted form gives (as the service takes them), and the raw values to
    show again if it is refused. Values that are not numbers are passed on as text, so the
    service names the problem."""
    answers: list[dict[str, Any]] = []
    raw: dict[int, Any] = {}
    for q in questions:
        name = f"q{q.pk}"
        if q.kind == Question.Kind.MULTIPLE:
            picked = [_number(v) for v in post.getlist(name)]
            raw[q.pk] = picked
            answers.append({"question": q.pk, "value": picked})
        elif q.kind == Question.Kind.FREE_TEXT:
            text = post.get(name, "")
            raw[q.pk] = text
            answers.append({"question": q.pk, "value": text})
        else:
            value = _number(post.get(name, ""))
            raw[q.pk] = value
            answers.append({"question": q.pk, "value": None if value == "" else value})
    return answers, raw


def _number(value: str) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
