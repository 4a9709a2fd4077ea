from django.apps import AppConfig


class CompetencyConfig(AppConfig):
    """Computer-assisted and adaptive tests for officers (issue 21)."""

    name = "pracha.competency"
    label = "competency"
    verbose_name = "Officer tests"
