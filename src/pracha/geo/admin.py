"""Administrators see the loaded boundary sets and switch one on."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from pracha.geo.loading import activate_generation
from pracha.geo.models import Area, Generation


@admin.register(Generation)
class GenerationAdmin(admin.ModelAdmin):
    list_display = ["id", "description", "is_active", "created_at", "activated_at"]
    readonly_fields = ["source", "created_at", "activated_at", "is_active"]
    actions = ["activate"]

    @admin.action(description="Switch the selected generation on")
    def activate(self, request: HttpRequest, queryset: Any) -> None:
        if queryset.count() != 1:
            messages.error(request, "Select exactly one generation to switch on.")
            return
        generation = activate_generation(queryset.get().pk)
        messages.info(request, f"Lookups now use {generation}.")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "kind", "province", "generation"]
    list_filter = ["kind", "generation"]
    search_fields = ["name_th", "name_en", "code", "province"]
    exclude = ["geometry"]
    readonly_fields = ["min_lon", "min_lat", "max_lon", "max_lat"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # areas come from boundary files: `pracha load-areas`
