from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "pracha.open311"
    verbose_name = "Open311 and webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pracha.audit.models import AuditEntry
        from pracha.audit.signals import collect_reporter_data, reporter_erased
        from pracha.cases.models import Event
        from pracha.insights.models import Alert
        from pracha.open311.receivers import erase_reporter, held_about_reporter, on_audit_entry
        from pracha.open311.webhooks.outbox import on_alert_saved, on_event_saved

        post_save.connect(on_event_saved, sender=Event, dispatch_uid="open311-webhook-outbox")
        post_save.connect(on_alert_saved, sender=Alert, dispatch_uid="open311-webhook-alerts")
        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="open311-privacy")
        collect_reporter_data.connect(held_about_reporter, dispatch_uid="open311-privacy-export")
        reporter_erased.connect(erase_reporter, dispatch_uid="open311-privacy-erase")
