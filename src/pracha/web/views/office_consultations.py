"""Officers' consultations (/office/consultations/): their agency's list and a new draft, one
consultation's texts and dates, its questions (added or removed until it opens), publishing,
closing early and "what we changed because of you". The services decide; a refusal comes
back as a message with its reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pracha.agencies.models import Officer
from pracha.cases.errors import DomainError, InvalidInput, NotFound
from pracha.consultations.models import Consultation
from pracha.consultations.services import manage
from pracha.consultations.services.closing import changes_due
from pracha.consultations.services.results import turnout_by_consultation
from pracha.web import consultation_pages as pages
from pracha.web.officers import officer_required

BANGKOK = ZoneInfo("Asia/Bangkok")
HOME = "/office/consultations/"
TEXT_FIELDS = ("title_th", "title_en", "summary_th", "summary_en", "draft_th", "draft_en")


def _moment(raw: str, field: str) -> datetime:
    """A datetime-local value, read as Bangkok time."""
    try:
        value = datetime.fromisoformat(raw.strip())
    except ValueError as exc:
        raise InvalidInput(_("Give a date and time."), field=field) from exc
    return value.replace(tzinfo=BANGKOK) if timezone.is_naive(value) else value


def local_input(value: datetime) -> str:
    return timezone.localtime(value, BANGKOK).strftime("%Y-%m-%dT%H:%M")


def _mine(officer: Officer, ref: str) -> Consultation:
    try:
        consultation = manage.consultation_by_ref(ref)
        manage.check_officer_of(officer, consultation)
    except DomainError as exc:
        raise Http404(_("There is no such consultation of your agency.")) from exc
    return consultation


@officer_required
def office_list(request: HttpRequest, officer: Officer) -> HttpResponse:
    form: dict[str, str] = {}
    error = ""
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("ref", *TEXT_FIELDS, "opens_at", "closes_at")}
        try:
            draft = manage.Draft(
                **{k: form[k] for k in ("ref", *TEXT_FIELDS)},
                opens_at=_moment(form["opens_at"], "opens_at"),
                closes_at=_moment(form["closes_at"], "closes_at"),
            )
            consultation = manage.do_create(officer, draft, [])
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("Draft created. Add its questions, then publish it."))
            return HttpResponseRedirect(f"{HOME}{consultation.ref}/")
    drafts = Consultation.objects.filter(agency=officer.agency).order_by("-created_at")
    turnout = {r["ref"]: r["responses"] for r in turnout_by_consultation(officer.agency.code)}
    rows = [
        {"c": c, "texts": pages.texts(c), "phase": c.phase(), "responses": turnout.get(c.ref, 0)}
        for c in drafts
    ]
    context = {"officer": officer, "rows": rows, "form": form, "error": error}
    return render(
        request, "web/office/consultations/list.html", context, status=400 if error else 200
    )


@officer_required
def office_page(request: HttpRequest, officer: Officer, ref: str) -> HttpResponse:
    consultation = _mine(officer, ref)
    phase = consultation.phase()
    context: dict[str, Any] = {
        "officer": officer,
        "c": consultation,
        "texts": pages.texts(consultation),
        "phase": phase,
        "questions": [
            {
                "q": q,
                "text": pages.pick(q.text_th, q.text_en),
                "options": [pages.pick(o["th"], o.get("en", "")) for o in q.options],
            }
            for q in consultation.questions.all()
        ],
        "editable": phase in ("draft", "upcoming"),
        "opens_at": local_input(consultation.opens_at),
        "closes_at": local_input(consultation.closes_at),
        "changes_due_at": changes_due(consultation),
        "responses": consultation.responses.count(),
        "kinds": [
            ("single", _("One choice")),
            ("multiple", _("Several choices")),
            ("scale_1_5", _("Scale from 1 to 5")),
            ("free_text", _("Free text")),
        ],
    }
    return render(request, "web/office/consultations/edit.html", context)


def _options(raw: str) -> list[dict[str, str]]:
    """One option a line: `Thai text | English text` (the English part optional)."""
    options = []
    for line in raw.splitlines():
        if line.strip():
            thai, _bar, eng = line.partition("|")
            options.append({"th": thai.strip(), "en": eng.strip()})
    return options


def _drafts(consultation: Consultation) -> list[manage.QuestionDraft]:
    return [
        manage.QuestionDraft(
            kind=q.kind,
            text_th=q.text_th,
            text_en=q.text_en,
            options=list(q.options),
            required=q.required,
        )
        for q in consultation.questions.all()
    ]


@officer_required
@require_POST
def office_action(request: HttpRequest, officer: Officer, ref: str, action: str) -> HttpResponse:
    consultation = _mine(officer, ref)
    post = request.POST
    done = {
        "edit": _("Saved."),
        "add-question": _("Question added."),
        "remove-question": _("Question removed."),
        "publish": _("Published."),
        "close": _("Closed: the results are public."),
        "changes": _("Published what changed."),
    }
    if action not in done:
        raise Http404(_("There is no such action."))
    try:
        if action == "edit":
            changes: dict[str, Any] = {k: post.get(k, "") for k in TEXT_FIELDS if k in post}
            for name in ("opens_at", "closes_at"):
                if post.get(name):
                    changes[name] = _moment(post[name], name)
            manage.do_edit(officer, consultation, changes)
        elif action == "add-question":
            new = manage.QuestionDraft(
                kind=post.get("kind", ""),
                text_th=post.get("text_th", ""),
                text_en=post.get("text_en", ""),
                options=_options(post.get("options", "")),
                required=post.get("required") == "on",
            )
            manage.do_set_questions(officer, consultation, [*_drafts(consultation), new])
        elif action == "remove-question":
            keep = [
                d
                for q, d in zip(consultation.questions.all(), _drafts(consultation), strict=True)
                if str(q.pk) != post.get("question")
            ]
            manage.do_set_questions(officer, consultation, keep)
        elif action == "publish":
            manage.do_publish(officer, consultation)
        elif action == "close":
            manage.do_close_now(officer, consultation)
        else:
            manage.do_publish_changes(
                officer, consultation, post.get("changes_th", ""), post.get("changes_en", "")
            )
    except (DomainError, NotFound) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done[action])
    return HttpResponseRedirect(f"{HOME}{consultation.ref}/")
