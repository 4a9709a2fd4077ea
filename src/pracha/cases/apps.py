from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "pracha.cases"
    verbose_name = "Cases"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pracha.cases.categories import sync_categories

        post_migrate.connect(sync_categories, sender=self)
