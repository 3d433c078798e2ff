from django.core.management.base import BaseCommand, CommandError

from cadence.audit.models import AuditEvent
from cadence.audit.services import verify_chain_problems


class Command(BaseCommand):
    help = (
        "Verify the audit trail's hash chain. Exits 0 when intact; otherwise prints each "
        "problem with the entry id where it shows and exits 1."
    )

    def handle(self, *args, **options):
        problems = verify_chain_problems()
        if problems:
            for problem in problems:
                self.stderr.write(str(problem))
            ids = sorted({p.entry_id for p in problems if p.entry_id is not None})
            raise CommandError(
                f"Audit trail tampered: {len(problems)} problem(s); entry ids: "
                f"{', '.join(map(str, ids)) or 'none (the newest entries or the head)'}",
                returncode=1,
            )
        self.stdout.write(
            self.style.SUCCESS(f"Audit trail intact: {AuditEvent.objects.count()} entries.")
        )
