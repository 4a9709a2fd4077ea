"""Unsubscribing from reporter e-mails; officers' choice of e-mail and of a public name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt

from pracha.agencies.models import Officer
from pracha.agencies.public_name import MAX_LENGTH as MAX_PUBLIC_NAME
from pracha.agencies.public_name import check_public_name
from pracha.cases.models import Case
from pracha.web.models import EmailOptOut, OfficerNotification
from pracha.web.notify import read_unsubscribe_token
from pracha.web.officers import officer_required


@csrf_exempt  # mail programs POST here themselves (RFC 8058); the signed token is the proof
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows one button (link scanners must not unsubscribe anyone); POST opts out."""
    parsed = read_unsubscribe_token(token)
    case = Case.objects.filter(pk=parsed[0]).first() if parsed else None
    if parsed is None or case is None:
        return render(request, "web/unsubscribe.html", {"invalid": True}, status=404)
    digest = parsed[1]
    done = ""
    if request.method == "POST":
        everything = request.POST.get("scope") == "all"
        _opt_out(digest, None if everything else case)
        done = "all" if everything else "case"
    context = {"case": case, "token": token, "done": done}
    return render(request, "web/unsubscribe.html", context)


def _opt_out(digest: str, case: Case | None) -> None:
    try:
        with transaction.atomic():
            EmailOptOut.objects.get_or_create(address_hash=digest, case=case)
    except IntegrityError:  # a second click racing the first: already opted out
        pass


class NotificationForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("E-mail me about new cases in our inbox"),
        widget=forms.RadioSelect,
        choices=[
            (OfficerNotification.Mode.OFF, gettext_lazy("No e-mail")),
            (OfficerNotification.Mode.IMMEDIATE, gettext_lazy("A message for every new case")),
            (OfficerNotification.Mode.DAILY, gettext_lazy("One digest a day")),
        ],
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Language of the messages"),
        choices=[("th", "ไทย"), ("en", "English")],
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        if data.get("mode") != OfficerNotification.Mode.OFF and not data.get("email"):
            self.add_error("email", _("An e-mail address is needed to send you messages."))
        return data


class PublicNameForm(forms.Form):
    # Posted with the page's second form; tells the two apart.
    section = forms.CharField(widget=forms.HiddenInput, initial="public_name")
    public_name = forms.CharField(
        label=gettext_lazy("Name shown on public timelines"),
        help_text=gettext_lazy(
            "Leave empty to show only your role and agency. No phone numbers or e-mail addresses."
        ),
        required=False,
        max_length=MAX_PUBLIC_NAME,
    )

    def __init__(self, *args: Any, username: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.username = username

    def clean_public_name(self) -> str:
        return check_public_name(self.cleaned_data.get("public_name", ""), self.username)


def _save_notifications(officer: Officer, form: NotificationForm) -> None:
    pref, _created = OfficerNotification.objects.get_or_create(officer=officer)
    pref.mode = form.cleaned_data["mode"]
    pref.language = form.cleaned_data["language"]
    pref.save(update_fields=["mode", "language"])
    user = officer.user
    user.email = form.cleaned_data["email"]
    user.save(update_fields=["email"])


def _notification_form(officer: Officer) -> NotificationForm:
    pref, _created = OfficerNotification.objects.get_or_create(officer=officer)
    initial = {"mode": pref.mode, "language": pref.language, "email": officer.user.email}
    return NotificationForm(initial=initial)


@officer_required
def officer_settings(request: HttpRequest, officer: Officer) -> HttpResponse:
    username = officer.user.get_username()
    form = _notification_form(officer)
    name_form = PublicNameForm(initial={"public_name": officer.public_name}, username=username)
    if request.method == "POST" and request.POST.get("section") == "public_name":
        name_form = PublicNameForm(request.POST, username=username)
        if name_form.is_valid():
            officer.public_name = name_form.cleaned_data["public_name"]
            officer.save(update_fields=["public_name"])
            messages.success(request, _("Saved."))
            return HttpResponseRedirect("/office/settings/")
    elif request.method == "POST":
        form = NotificationForm(request.POST)
        if form.is_valid():
            _save_notifications(officer, form)
            messages.success(request, _("Saved."))
            return HttpResponseRedirect("/office/settings/")
    status = 400 if form.errors or name_form.errors else 200
    context = {"form": form, "name_form": name_form, "officer": officer}
    return render(request, "web/office/settings.html", context, status=status)
