from django.apps import AppConfig
from django.conf import settings
from django.db.models.signals import post_delete, post_save

from cadence.accounts.navigation import register_nav_items
from cadence.diary.signals import urgent_side_effect_reported
from cadence.scheduling.nav import NAV_ITEMS


class SchedulingConfig(AppConfig):
    name = "cadence.scheduling"
    label = "scheduling"

    def ready(self):
        from cadence.scheduling.models import Appointment
        from cadence.scheduling.rhythm import (  # needs the models loaded
            on_appointment_saved,
            on_session_saved,
        )
        from cadence.scheduling.services import on_clinician_saved  # needs the models loaded
        from cadence.scheduling.tasks import on_urgent_report  # needs the models loaded
        from cadence.treatments.models import Procedure  # layer: models load after apps

        register_nav_items(self.label, NAV_ITEMS)
        urgent_side_effect_reported.connect(
            on_urgent_report, dispatch_uid="scheduling.on_call_alerts"
        )
        post_save.connect(
            on_clinician_saved,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="scheduling.default_working_hours",
        )
        # The worklists' index of each patient's place in the rhythm follows every session
        # and every appointment (the latest follow-up).
        post_save.connect(on_session_saved, sender=Procedure, dispatch_uid="scheduling.rhythm")
        post_delete.connect(
            on_session_saved, sender=Procedure, dispatch_uid="scheduling.rhythm_delete"
        )
        post_save.connect(
            on_appointment_saved, sender=Appointment, dispatch_uid="scheduling.rhythm_follow_up"
        )
        post_delete.connect(
            on_appointment_saved,
            sender=Appointment,
            dispatch_uid="scheduling.rhythm_follow_up_delete",
        )
