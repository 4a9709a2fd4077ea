from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pracha.web"
    verbose_name = "Web pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from pracha.notify.content import provide
        from pracha.web.email_text import officer_message, reporter_message
        from pracha.web.proposal_mail import proposal_message

        # pracha.notify sends the e-mails; their words are the web pages' (email_text.py).
        provide(
            reporter_mail=reporter_message,
            officer_mail=officer_message,
            proposal_mail=proposal_message,
        )
