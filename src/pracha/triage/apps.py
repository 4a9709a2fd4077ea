from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "pracha.triage"
    verbose_name = "Triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.audit.signals import reporter_erased
        from pracha.triage.receivers import erase_reporter

        reporter_erased.connect(erase_reporter, dispatch_uid="triage-privacy-erase")
