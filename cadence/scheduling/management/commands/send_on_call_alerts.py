"""Urgent side-effect alerts: send what is missed or failed, and escalate what nobody has
acknowledged after 30 minutes (`CADENCE_URGENT_ALERT_ESCALATE_MINUTES`).

Run every minute from cron or a systemd timer, e.g.
    * * * * *  cd /srv/cadence && .venv/bin/python manage.py send_on_call_alerts
with `manage.py db_worker` running to send them (bin/serve does both). Safe to run as
often as you like: each message is created once (see cadence/scheduling/alerts.py).
"""

from django.core.management.base import BaseCommand

from cadence.scheduling.tasks import enqueue_on_call_alerts


class Command(BaseCommand):
    help = "Send missed or failed on-call alerts and escalate unacknowledged urgent reports."

    def handle(self, *args, **options):
        counts = enqueue_on_call_alerts()
        self.stdout.write(
            f"Escalated {counts['escalated']} report(s); "
            f"enqueued {counts['enqueued']} on-call message(s)."
        )
