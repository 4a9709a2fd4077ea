from django.apps import AppConfig


class CitizensConfig(AppConfig):
    """Citizen accounts: passwordless sign-in, tokens, consents, "My Pracha"."""

    name = "pracha.citizens"
    label = "citizens"
    verbose_name = "Citizen accounts"
