from django.apps import AppConfig


class Open311Config(AppConfig):
    name = "pracha.open311"
    verbose_name = "Open311 and webhooks"
    default_auto_field = "django.db.models.BigAutoField"
