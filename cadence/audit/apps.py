from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cadence.audit"
    label = "audit"
