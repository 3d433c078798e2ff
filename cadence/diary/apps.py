from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.diary.nav import NAV_ITEMS


class DiaryConfig(AppConfig):
    name = "cadence.diary"
    label = "diary"

    def ready(self):
        register_nav_items(self.label, NAV_ITEMS)
