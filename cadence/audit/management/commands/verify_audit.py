from django.core.management.base import BaseCommand, CommandError

from cadence.audit.checkpoints import (
    checkpoint_path,
    checkpoint_problems,
    checkpoints_read,
    newest_checkpoint,
)
from cadence.audit.models import AuditEvent
from cadence.audit.services import verify_chain_problems


class Command(BaseCommand):
    help = (
        "Verify the audit trail: its hash chain, the chain head's MAC, and the newest signed "
        "checkpoint in CADENCE_AUDIT_CHECKPOINTS (is the trail at least as long, with the "
        "same entry at the checkpoint's count?). Exits 0 when intact; otherwise prints each "
        "problem, with the entry id where it shows, and exits 1."
    )
    # It must run when the start-up check (audit.E001) refuses the other commands.
    requires_system_checks = []

    def handle(self, *args, **options):
        problems = verify_chain_problems()
        path = checkpoint_path()
        checkpoints, line_problems = checkpoints_read(path) if path else ([], [])
        problems += line_problems
        newest = newest_checkpoint(checkpoints)
        if newest is not None:
            problems += checkpoint_problems(newest)
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            ids = sorted({p.entry_id for p in problems if p.entry_id is not None})
            raise CommandError(
                f"Audit trail tampered: {len(problems)} problem(s); entry ids: "
                f"{', '.join(map(str, ids)) or 'none (the newest entries, the head or the checkpoints)'}",
                returncode=1,
            )
        count = AuditEvent.objects.count()
        if path is None:
            anchored = "no checkpoint file is configured (CADENCE_AUDIT_CHECKPOINTS)"
        elif newest is None:
            anchored = f"no checkpoint yet in {path}"
        else:
            anchored = f"it holds the newest {newest} in {path}"
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {count} entries (chain and head verified); {anchored}."
            )
        )
