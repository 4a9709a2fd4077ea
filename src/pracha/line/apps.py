from django.apps import AppConfig


class LineConfig(AppConfig):
    """LINE chat intake: report and follow a case from a LINE Official Account."""

    name = "pracha.line"
    label = "line"
    verbose_name = "LINE chat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.citizens.signals import citizen_deleting, collect_citizen_data
        from pracha.line.services.inbox import process_pending
        from pracha.line.services.privacy import delete_line_data, line_data
        from pracha.line.status import status_messages
        from pracha.notify import content, line_push

        content.provide(line_status=status_messages)
        if process_pending not in line_push.BEFORE_PASS:
            line_push.BEFORE_PASS.append(process_pending)
        collect_citizen_data.connect(line_data, dispatch_uid="pracha.line.export")
        citizen_deleting.connect(delete_line_data, dispatch_uid="pracha.line.erase")
