from django.apps import AppConfig

from cadence.accounts.navigation import register_nav_items
from cadence.intake.nav import NAV_ITEMS
from cadence.patients.signals import appointment_attended, appointment_booked


class IntakeConfig(AppConfig):
    name = "cadence.intake"
    label = "intake"

    def ready(self):
        from cadence.intake.services import (  # needs the models loaded
            on_appointment_attended,
            on_appointment_booked,
        )

        register_nav_items(self.label, NAV_ITEMS)
        # A consultation request follows its patient (booked, then converted).
        appointment_booked.connect(on_appointment_booked, dispatch_uid="intake.follow_booked")
        appointment_attended.connect(on_appointment_attended, dispatch_uid="intake.follow_attended")
