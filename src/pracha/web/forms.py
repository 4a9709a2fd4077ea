"""Forms of the citizen pages. Messages are translated; the domain checks run again on save."""

from __future__ import annotations

import math
import secrets
from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from pracha.cases.models import Category
from pracha.geo.bounds import in_bbox
from pracha.web.names import localised

MAX_PHOTOS = 3
PHONE_CHARACTERS = set("0123456789+-() ")


class TelInput(forms.TextInput):
    """A phone number: phones bring up the number keypad and offer the saved number."""

    input_type = "tel"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "tel", "autocomplete": "tel", **(attrs or {})})


def category_choices() -> list[tuple[str, str]]:
    return [(c.code, localised(c)) for c in Category.objects.all()]


class ReportForm(forms.Form):
    description = forms.CharField(
        label=_("What is the problem?"),
        help_text=_("Say what is wrong and where exactly: a landmark, a soi, a house number."),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please describe the problem.")},
    )
    category = forms.ChoiceField(label=_("Category (optional)"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or landmark (optional)"), required=False, max_length=500
    )
    name = forms.CharField(
        label=_("Your name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40, widget=TelInput)
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        help_text=_("We send you a message when your report changes."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("This is not an e-mail address (like name@example.com).")},
    )
    form_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", _("Not sure: let the city decide")),
            *category_choices(),
        ]
        limit = settings.PRACHA.max_description_chars
        cast(forms.CharField, self.fields["description"]).max_length = limit
        self.fields["description"].widget.attrs["maxlength"] = str(limit)
        if not self.is_bound:
            self.initial.setdefault("form_token", secrets.token_urlsafe(16))

    def clean_description(self) -> str:
        text = self.cleaned_data["description"].strip()
        if not text:
            raise forms.ValidationError(_("Please describe the problem."))
        return text

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"].strip()
        if phone and not set(phone) <= PHONE_CHARACTERS:
            raise forms.ValidationError(_("A phone number has only digits, spaces and + - ( )."))
        return phone

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns
        lat, lon = data.get("lat"), data.get("lon")
        if lat is None or lon is None or not (math.isfinite(lat) and math.isfinite(lon)):
            self.add_error(
                None, forms.ValidationError(_("Please put a pin on the map."), code="location")
            )
        elif not in_bbox(lat, lon):
            self.add_error(
                None,
                forms.ValidationError(
                    _("The pin is outside Thailand. Please move it to where the problem is."),
                    code="location",
                ),
            )
        return data

    @property
    def location_error(self) -> str:
        for error in self.non_field_errors().as_data():
            if error.code == "location":
                return " ".join(str(m) for m in error.messages)
        return ""


class RateForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("How well was it fixed?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        error_messages={"required": _("Choose from 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it not fixed?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say why you reopen the report.")},
    )
