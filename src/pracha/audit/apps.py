from typing import Any

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "pracha.audit"
    verbose_name = "Audit log"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pracha.audit import receivers  # noqa: F401  (connect receivers)

        post_migrate.connect(create_cache_table, sender=self)


def create_cache_table(using: str = "default", **_: Any) -> None:
    """`pracha migrate` also makes the cache table (rate limits) when the cache is the DB."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
