from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    name = "pracha.evidence"
    label = "evidence"
    verbose_name = "Photo evidence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Hashes and capture facts of each uploaded photo in the transaction that stores it;
        # the check of each closing in the transaction that closes (never blocking either).
        from django.db.models.signals import post_save

        from pracha.cases.models import Event, Photo
        from pracha.cases.signals import photo_stored
        from pracha.evidence import receivers

        uid = "pracha.evidence"
        photo_stored.connect(receivers.on_photo_stored, dispatch_uid=f"{uid}.stored")
        post_save.connect(receivers.on_photo_saved, sender=Photo, dispatch_uid=f"{uid}.photo")
        post_save.connect(receivers.on_event_saved, sender=Event, dispatch_uid=f"{uid}.event")
