from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Reporters' data subject requests (PDPA): export, erasure and the retention purge."""

    name = "pracha.privacy"
    verbose_name = "Privacy"

    def ready(self) -> None:
        from pracha.privacy import tasks  # noqa: F401  (the retention purge, daily)
