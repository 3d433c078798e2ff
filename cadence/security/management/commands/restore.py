from django.core.management.base import BaseCommand, CommandError

from cadence.security.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore the whole database from a backup made by `manage.py backup` (replaces all "
        "current data). Stop the app servers and the task worker first; afterwards run "
        "`manage.py migrate` and `manage.py verify_audit`."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--database", default="default")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **options):
        if not options["yes"] and options.get("interactive", True):
            answer = input("This replaces ALL data in the database. Type 'restore' to go on: ")
            if answer.strip() != "restore":
                raise CommandError("Restore cancelled.")
        try:
            restore(options["path"], database=options["database"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Restored from {options['path']}."))
