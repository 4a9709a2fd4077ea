"""Administrators' view of categories and cases (officers work in the back office, not here)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from pracha.cases.models import Case, Category, Event, Photo


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_th", "name_en", "group", "sort_order"]
    search_fields = ["code", "name_th", "name_en", "aliases"]


class EventInline(admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = (
        "at",
        "kind",
        "actor_label",
        "from_state",
        "to_state",
        "to_agency",
        "note",
        "is_public",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Case | None = None) -> bool:
        return False  # the timeline is written only by the workflow services


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ("kind", "image", "url", "created_at")
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["ticket_id", "state", "agency", "district", "created_at", "source"]
    list_filter = ["state", "source", "categories"]
    search_fields = ["ticket_id", "description", "address"]
    date_hierarchy = "created_at"
    list_select_related = ["agency"]
    show_full_result_count = False  # counting millions of rows on every page is slow
    readonly_fields = [
        "ticket_id",
        "state",
        "agency",
        "created_at",
        "updated_at",
        "closed_at",
        "stars",
        "reopen_count",
        "me_too_count",
        "forward_count",
        "source",
    ]
    exclude = ["idempotency_key"]
    autocomplete_fields = ["co_agencies"]
    inlines = [PhotoInline, EventInline]
