from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "pracha.insights"
    verbose_name = "Insights"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core import checks

        from pracha.cases import sla
        from pracha.insights import tasks  # noqa: F401  (its periodic jobs)

        @checks.register("pracha")
        def sla_targets_readable(**kwargs: object) -> list[checks.CheckMessage]:
            trouble = sla.problem()
            return [checks.Error(trouble, id="insights.E001")] if trouble else []

        # Indicators follow every change of a case inside the transaction that makes it; the
        # cases intake files are counted just after (store/pending.py).
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from pracha.cases.models import Case, Event
        from pracha.cases.signals import case_changes_done
        from pracha.insights.store import forwarding_facts, maintain, pending

        uid = "pracha.insights"
        post_save.connect(maintain.on_case_saved, sender=Case, dispatch_uid=f"{uid}.case")
        post_delete.connect(maintain.on_case_deleted, sender=Case, dispatch_uid=f"{uid}.del")
        case_changes_done.connect(pending.on_cases_changed, dispatch_uid=f"{uid}.batch")
        m2m_changed.connect(
            maintain.on_categories_changed,
            sender=Case.categories.through,
            dispatch_uid=f"{uid}.categories",
        )
        post_save.connect(
            forwarding_facts.on_event_saved, sender=Event, dispatch_uid=f"{uid}.event"
        )
        post_delete.connect(
            forwarding_facts.on_event_deleted, sender=Event, dispatch_uid=f"{uid}.event_del"
        )
