from django.apps import AppConfig


class TreatmentsConfig(AppConfig):
    name = "cadence.treatments"
    label = "treatments"
