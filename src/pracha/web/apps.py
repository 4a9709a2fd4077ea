from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pracha.web"
    verbose_name = "Web pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_save

        from pracha.cases.models import Event
        from pracha.cases.signals import case_event_committed
        from pracha.web.checks import reporter_mail_stalled
        from pracha.web.notify import on_case_event, on_event_saved

        checks.register(reporter_mail_stalled, "pracha")

        case_event_committed.connect(on_case_event, dispatch_uid="pracha.web.notify")
        post_save.connect(on_event_saved, sender=Event, dispatch_uid="pracha.web.reporter-outbox")
