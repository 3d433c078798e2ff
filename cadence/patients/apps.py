from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.patients.nav import NAV_ITEMS


class PatientsConfig(AppConfig):
    name = "cadence.patients"
    label = "patients"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
