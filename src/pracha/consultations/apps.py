from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations on a draft policy or service change (issue 17)."""

    name = "pracha.consultations"
    label = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.citizens.signals import citizen_deleting, collect_citizen_data
        from pracha.consultations.services.privacy import erase_responses, export_responses

        collect_citizen_data.connect(export_responses, dispatch_uid="pracha.consultations.export")
        citizen_deleting.connect(erase_responses, dispatch_uid="pracha.consultations.erase")
