from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "pracha.open311"
    verbose_name = "Open311"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pracha.audit.models import AuditEntry
        from pracha.audit.signals import collect_reporter_data, reporter_erased
        from pracha.notify.content import provide
        from pracha.open311.receivers import erase_reporter, held_about_reporter, on_audit_entry
        from pracha.open311.webhook_body import case_event_document

        # Webhooks (pracha.notify) describe a case event as Open311 presents it.
        provide(webhook_case_event=case_event_document)
        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="open311-privacy")
        collect_reporter_data.connect(held_about_reporter, dispatch_uid="open311-privacy-export")
        reporter_erased.connect(erase_reporter, dispatch_uid="open311-privacy-erase")
