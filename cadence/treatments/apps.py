from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.treatments.nav import NAV_ITEMS


class TreatmentsConfig(AppConfig):
    name = "cadence.treatments"
    label = "treatments"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
