from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """Reporters' data subject requests (PDPA): export, erasure and the retention purge."""

    name = "pracha.privacy"
    verbose_name = "Privacy"
