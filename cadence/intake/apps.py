from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "cadence.intake"
    label = "intake"
