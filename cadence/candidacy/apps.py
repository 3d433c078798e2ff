from django.apps import AppConfig


class CandidacyConfig(AppConfig):
    name = "cadence.candidacy"
    label = "candidacy"
