"""Admin: answer templates (edited here), proposals and their records (read mostly)."""

from __future__ import annotations

from django.contrib import admin

from pracha.proposals.models import AnswerTemplate, Proposal, ProposalEvent


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "decision", "reason")
    list_filter = ("decision",)
    search_fields = ("name", "body")


class EventInline(admin.TabularInline):
    model = ProposalEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "actor", "agency", "to_agency", "note", "is_public")
    fields = readonly_fields


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ("ref", "title", "state", "supports", "agency", "closes_at", "answer_due_at")
    list_filter = ("state",)
    search_fields = ("ref", "title")
    readonly_fields = ("ref", "supports", "author", "state", "threshold_reached_at", "answered_at")
    inlines = [EventInline]
