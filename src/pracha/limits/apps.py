from django.apps import AppConfig


class LimitsConfig(AppConfig):
    """Rate limits, and the identities they count by (address, device, API key, login)."""

    name = "pracha.limits"
    verbose_name = "Rate limits"

    def ready(self) -> None:
        from pracha.limits import login_throttle  # noqa: F401  (connect its signal receivers)
