from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    """Consultations on a draft policy or service change (issue 17)."""

    name = "pracha.consultations"
    label = "consultations"
    verbose_name = "Consultations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.citizens.signals import (
            citizen_deleting,
            collect_citizen_data,
            my_pracha_items,
        )
        from pracha.consultations.services.privacy import (
            erase_responses,
            export_responses,
            my_consultations,
        )

        collect_citizen_data.connect(export_responses, dispatch_uid="pracha.consultations.export")
        my_pracha_items.connect(my_consultations, dispatch_uid="pracha.consultations.mine")
        citizen_deleting.connect(erase_responses, dispatch_uid="pracha.consultations.erase")
