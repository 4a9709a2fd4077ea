from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pracha.audit"
    verbose_name = "Audit log and privacy"
    default_auto_field = "django.db.models.BigAutoField"
