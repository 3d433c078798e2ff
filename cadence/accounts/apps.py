from django.apps import AppConfig

from cadence.accounts.nav import NAV_ITEMS
from cadence.accounts.navigation import register_nav_items


class AccountsConfig(AppConfig):
    name = "cadence.accounts"
    label = "accounts"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
