from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadence.accounts.demo import DEMO_PASSWORD, build_demo_clinic, demo_logins
from cadence.accounts.models import User


class Command(BaseCommand):
    help = "Load the synthetic demo clinic (once: does nothing when demo users already exist)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")
        parser.add_argument("--patients", type=int, default=60, help="number of demo patients")
        parser.add_argument("--today", type=date.fromisoformat, default=None,
                            help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument("--if-empty", action="store_true",
                            help="only seed when the database has no users yet")

    def handle(self, *args, **options):
        if User.objects.filter(username="clinician").exists():
            if not options["if_empty"]:
                self.stdout.write("Demo data is already loaded; nothing to do.")
            self.print_logins()
            return
        if options["patients"] < 1:
            raise CommandError("--patients must be at least 1.")
        today = options["today"] or timezone.localdate()
        ctx = build_demo_clinic(seed=options["seed"], today=today, patient_count=options["patients"])
        self.stdout.write(self.style.SUCCESS(
            f"Demo clinic loaded: {len(ctx.patients)} patients, {len(ctx.staff)} logins."
        ))
        self.print_logins()

    def print_logins(self):
        self.stdout.write("Demo logins (password for all: %s):" % DEMO_PASSWORD)
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<12} {role}")
