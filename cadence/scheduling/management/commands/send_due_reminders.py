"""Find the reminders that are due and enqueue a task to send each.

Run every few minutes from cron or a systemd timer, e.g.
    */5 * * * *  cd /srv/cadence && .venv/bin/python manage.py send_due_reminders
with `manage.py db_worker` running to send them. Safe to run as often as you like: each
reminder is created once and sent once (see cadence/scheduling/reminders.py and tasks.py).
"""

from django.core.management.base import BaseCommand

from cadence.scheduling.tasks import enqueue_due_reminders


class Command(BaseCommand):
    help = "Enqueue the appointment, booking and diary reminders that are due."

    def handle(self, *args, **options):
        count = enqueue_due_reminders()
        self.stdout.write(f"Enqueued {count} reminder(s).")
