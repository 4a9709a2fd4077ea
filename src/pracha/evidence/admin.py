from django.contrib import admin

from pracha.evidence.models import PhotoCheck


@admin.register(PhotoCheck)
class PhotoCheckAdmin(admin.ModelAdmin):
    list_display = ("case", "status", "agency", "closed_at", "verdict")
    list_filter = ("status", "verdict")
    search_fields = ("case__ticket_id",)
    readonly_fields = [f.name for f in PhotoCheck._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
