from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "pracha.notify"
    label = "notify"
    verbose_name = "Notifications (webhooks, e-mail, LINE)"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks
        from django.db.models.signals import post_save

        from pracha.audit.signals import reporter_erased
        from pracha.cases.models import Event
        from pracha.consultations.signals import changes_published, consultation_closed
        from pracha.insights.models import Alert
        from pracha.lifeevents.signals import step_available, step_reminder
        from pracha.notify import tasks  # noqa: F401  (its periodic jobs)
        from pracha.notify.checks import reporter_mail_stalled
        from pracha.notify.privacy import erase_reporter
        from pracha.notify.proposal_mail import enqueue, enqueue_line, on_proposal_event
        from pracha.notify.receivers import (
            on_alert_saved,
            on_consultation_changes,
            on_consultation_closed,
            on_event_saved,
            on_step_available,
            on_step_reminder,
        )
        from pracha.proposals.signals import proposal_event_committed, proposal_event_saved

        checks.register(reporter_mail_stalled, "pracha")
        post_save.connect(on_event_saved, sender=Event, dispatch_uid="pracha.notify.outbox")
        post_save.connect(on_alert_saved, sender=Alert, dispatch_uid="pracha.notify.alerts")
        consultation_closed.connect(
            on_consultation_closed, dispatch_uid="pracha.notify.cons-closed"
        )
        changes_published.connect(
            on_consultation_changes, dispatch_uid="pracha.notify.cons-changes"
        )
        reporter_erased.connect(erase_reporter, dispatch_uid="pracha.notify.privacy-erase")
        proposal_event_saved.connect(enqueue, dispatch_uid="pracha.notify.proposals")
        proposal_event_saved.connect(enqueue_line, dispatch_uid="pracha.notify.proposals-line")
        proposal_event_committed.connect(
            on_proposal_event, dispatch_uid="pracha.notify.proposals-mail"
        )
        step_available.connect(on_step_available, dispatch_uid="pracha.notify.journey-open")
        step_reminder.connect(on_step_reminder, dispatch_uid="pracha.notify.journey-reminder")
