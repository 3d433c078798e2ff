from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cadence.demo"
    label = "demo"
    verbose_name = "Demo and scale seeding"
