from django.core.management.base import BaseCommand, CommandError

from cadence.security.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to PATH: SQLite with its online backup API (safe while "
        "Cadence runs), PostgreSQL with pg_dump's custom format. The file holds patient "
        "data: it is created readable by its owner only; store it encrypted."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            path = backup(options["path"], database=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Backed up to {path} ({path.stat().st_size} bytes)."))
