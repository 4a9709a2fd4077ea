from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "pracha.importer"
    verbose_name = "Data import"
