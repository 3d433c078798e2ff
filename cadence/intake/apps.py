from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.intake.nav import NAV_ITEMS


class IntakeConfig(AppConfig):
    name = "cadence.intake"
    label = "intake"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
