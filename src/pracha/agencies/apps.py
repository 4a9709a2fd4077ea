from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "pracha.agencies"
    verbose_name = "Agencies and officers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from pracha.agencies.routing_seed import seed_routing_if_empty
        from pracha.agencies.seed import ensure_known_agencies, name_district_offices

        post_migrate.connect(ensure_known_agencies, sender=self)
        post_migrate.connect(name_district_offices, sender=self)
        # After the known agencies exist: the seed rules name them by code.
        post_migrate.connect(seed_routing_if_empty, sender=self)
