"""Item banks, items and their parameter versions, tests, sessions and calibrations in
/admin/ (every change there reaches the audit log through Django's LogEntry)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pracha.competency.models import (
    Assessment,
    Calibration,
    Item,
    ItemBank,
    ItemParameters,
    Response,
    Session,
    Subtest,
)


class ReadOnly(admin.ModelAdmin):
    """Written by the tests and `pracha cat calibrate`, never by hand."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(ItemBank)
class ItemBankAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "created_at"]


PARAMETER_FIELDS = (
    "version",
    "model",
    "a",
    "b",
    "thresholds",
    "se_a",
    "se_b",
    "infit",
    "outfit",
    "n_responses",
    "provisional",
    "flags",
    "source",
)


RESPONSE_FIELDS = (
    "position",
    "item",
    "subtest",
    "parameters",
    "asked_at",
    "answered_at",
    "choice",
    "points",
    "category",
)


class ParametersInline(admin.TabularInline):
    model = ItemParameters
    extra = 0
    can_delete = False
    fields = PARAMETER_FIELDS
    readonly_fields = PARAMETER_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "language",
        "domain",
        "kind",
        "short_stem",
        "is_active",
        "needs_review",
        "parameters",
    ]
    list_filter = ["bank", "language", "domain", "kind", "is_active", "needs_review"]
    search_fields = ["code", "stem"]
    readonly_fields = ["parameters", "created_at", "updated_at"]
    inlines = [ParametersInline]

    @admin.display(description="stem")
    def short_stem(self, item: Item) -> str:
        return item.stem[:80]


@admin.register(ItemParameters)
class ItemParametersAdmin(ReadOnly):
    list_display = [
        "item",
        "version",
        "model",
        "a",
        "b",
        "provisional",
        "n_responses",
        "calibration",
    ]
    list_filter = ["model", "provisional", "item__language", "item__domain"]
    search_fields = ["item__code"]


class SubtestInline(admin.TabularInline):
    model = Subtest
    extra = 0


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "mode", "time_limit_minutes", "is_active"]
    list_filter = ["mode", "is_active"]
    inlines = [SubtestInline]


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    can_delete = False
    fields = RESPONSE_FIELDS
    readonly_fields = RESPONSE_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Session)
class SessionAdmin(ReadOnly):
    list_display = [
        "started_at",
        "assessment",
        "officer",
        "agency",
        "answered",
        "score",
        "passed",
        "end_reason",
    ]
    list_filter = ["assessment", "end_reason", "passed"]
    inlines = [ResponseInline]


@admin.register(Calibration)
class CalibrationAdmin(ReadOnly):
    list_display = [
        "created_at",
        "bank",
        "library",
        "sessions",
        "responses",
        "items_calibrated",
        "items_flagged",
    ]
