from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "cadence.scheduling"
    label = "scheduling"
