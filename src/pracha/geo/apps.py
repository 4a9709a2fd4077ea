from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "pracha.geo"
    verbose_name = "Areas"
    default_auto_field = "django.db.models.BigAutoField"
