from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "cadence.patients"
    label = "patients"
