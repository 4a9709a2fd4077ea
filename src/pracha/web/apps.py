from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pracha.web"
    verbose_name = "Web pages"
    default_auto_field = "django.db.models.BigAutoField"
