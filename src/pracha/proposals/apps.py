from django.apps import AppConfig


class ProposalsConfig(AppConfig):
    name = "pracha.proposals"
    label = "proposals"
    verbose_name = "Citizens' proposals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.citizens.signals import citizen_deleting, collect_citizen_data
        from pracha.proposals import tasks  # noqa: F401  (its hourly deadlines tick)
        from pracha.proposals.privacy import citizen_data, forget_citizen

        collect_citizen_data.connect(citizen_data, dispatch_uid="pracha.proposals.export")
        citizen_deleting.connect(forget_citizen, dispatch_uid="pracha.proposals.erase")
