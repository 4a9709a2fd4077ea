from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "pracha.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.jobs import tasks  # noqa: F401  (declares the queue's own upkeep)
