"""Write a signed checkpoint of the audit trail now (or enqueue the worker's task).

Run on a schedule from cron or a systemd timer, e.g.
    */15 * * * *  cd /srv/cadence && .venv/bin/python manage.py audit_checkpoint --enqueue
with `manage.py db_worker` running to write it (the worker's user owns the file), or
without `--enqueue` to write it from the cron job itself.
"""

from django.core.management.base import BaseCommand, CommandError

from cadence.audit.checkpoints import CheckpointRefused, checkpoint_path, checkpoint_write
from cadence.audit.tasks import audit_checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint (entry count, head hash, time, HMAC) of the audit trail "
        "to CADENCE_AUDIT_CHECKPOINTS; --enqueue leaves it to the background worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the worker's audit_checkpoint_write task instead of writing now.",
        )

    def handle(self, *args, enqueue=False, **options):
        path = checkpoint_path()
        if path is None:
            raise CommandError("No checkpoint file: set CADENCE_AUDIT_CHECKPOINTS.")
        if enqueue:
            audit_checkpoint_write.enqueue()
            self.stdout.write("Enqueued an audit checkpoint.")
            return
        try:
            checkpoint = checkpoint_write(path=path)
        except CheckpointRefused as refused:
            raise CommandError(str(refused), returncode=1) from refused
        if checkpoint is None:
            self.stdout.write("The audit trail is empty: no checkpoint written.")
            return
        self.stdout.write(f"Wrote {checkpoint} to {path}.")
