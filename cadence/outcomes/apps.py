from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.outcomes.nav import NAV_ITEMS


class OutcomesConfig(AppConfig):
    name = "cadence.outcomes"
    label = "outcomes"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
