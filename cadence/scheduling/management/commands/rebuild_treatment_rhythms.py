"""Rebuild the worklists' index of each patient's place in the 12-week rhythm
(`TreatmentRhythm`) from the signed sessions and follow-up appointments.

Cadence keeps it on every save of a session or an appointment; run this after loading
sessions or appointments by other means than the application (a bulk SQL load, a data
fix in the database shell). Safe to run at any time: one transaction, same result.
"""

from django.core.management.base import BaseCommand

from cadence.scheduling.rhythm import rebuild_treatment_rhythms


class Command(BaseCommand):
    help = "Rebuild each patient's place in the 12-week rhythm, which the worklists read."

    def handle(self, *args, **options):
        count = rebuild_treatment_rhythms()
        self.stdout.write(f"Rebuilt the treatment rhythm of {count} patient(s).")
