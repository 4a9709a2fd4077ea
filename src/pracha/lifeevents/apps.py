from django.apps import AppConfig


class LifeEventsConfig(AppConfig):
    name = "pracha.lifeevents"
    verbose_name = "Life-event journeys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate, post_save

        from pracha.cases.models import Event
        from pracha.citizens.signals import citizen_deleting, collect_citizen_data, my_pracha_items
        from pracha.lifeevents import tasks  # noqa: F401  (its daily reminders)
        from pracha.lifeevents.loader import load_after_migrate
        from pracha.lifeevents.services import privacy, requests

        uid = "pracha.lifeevents"
        post_migrate.connect(load_after_migrate, sender=self, dispatch_uid=f"{uid}.load")
        # In the transaction of the case's change: a step never disagrees with its request.
        post_save.connect(requests.on_event_saved, sender=Event, dispatch_uid=f"{uid}.event")
        my_pracha_items.connect(privacy.my_items, dispatch_uid=f"{uid}.items")
        collect_citizen_data.connect(privacy.export, dispatch_uid=f"{uid}.export")
        citizen_deleting.connect(privacy.erase, dispatch_uid=f"{uid}.erase")
