from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "cadence.security"
    label = "security"
    verbose_name = "Security controls"
