from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "cadence.interop"
    label = "interop"
