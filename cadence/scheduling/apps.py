from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.scheduling.nav import NAV_ITEMS


class SchedulingConfig(AppConfig):
    name = "cadence.scheduling"
    label = "scheduling"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
