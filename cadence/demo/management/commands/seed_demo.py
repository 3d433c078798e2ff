from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cadence.accounts.models import User
from cadence.demo.clinic import DEMO_PASSWORD, build_demo_clinic, demo_logins
from cadence.demo.scale import seed_scale_clinic
from cadence.patients.models import Patient


class Command(BaseCommand):
    help = (
        "Load the synthetic demo clinic (once: does nothing when demo users already exist). "
        "With --days, load a large synthetic clinic for performance work instead: "
        "--patients N patients with a diary for every one of the last D days and a signed "
        "session about every 12 weeks (bulk inserts; see docs/performance.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="random seed (deterministic)")
        parser.add_argument(
            "--patients",
            type=int,
            default=None,
            help=(
                "number of patients (demo clinic: 60 stories, plus three worked examples: two "
                "24-week course reviews and one surgery pathway; scale mode: 10000)"
            ),
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="scale mode: days of daily diary per patient (e.g. 365)",
        )
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="pretend today is this date (YYYY-MM-DD)",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="only seed when the database has no users (scale mode: no patients) yet",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="scale mode: no progress bar"
        )

    def handle(self, *args, **options):
        if options["days"] is not None:
            return self.handle_scale(options)
        if User.objects.filter(username="clinician").exists():
            if not options["if_empty"]:
                self.stdout.write("Demo data is already loaded; nothing to do.")
            self.print_logins()
            return
        patients = 60 if options["patients"] is None else options["patients"]
        if patients < 1:
            raise CommandError("--patients must be at least 1.")
        today = options["today"] or timezone.localdate()
        ctx = build_demo_clinic(seed=options["seed"], today=today, patient_count=patients)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo clinic loaded: {len(ctx.patients)} patients, {len(ctx.staff)} logins."
            )
        )
        self.print_logins()

    def handle_scale(self, options):
        patients = 10_000 if options["patients"] is None else options["patients"]
        if patients < 1:
            raise CommandError("--patients must be at least 1.")
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        if options["if_empty"] and Patient.objects.exists():
            self.stdout.write("Patients already exist; nothing to do.")
            return
        result = seed_scale_clinic(
            patients=patients,
            days=options["days"],
            today=options["today"],
            seed=options["seed"],
            progress=not options["no_progress"],
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale clinic loaded: {result.patients} patients, {result.diary_rows} diary days, "
                f"{result.procedures} sessions in {result.seconds:.1f} s "
                f"({result.rows_per_second:,.0f} diary rows/s on {result.vendor})."
            )
        )

    def print_logins(self):
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, role in demo_logins():
            self.stdout.write(f"  {username:<12} {role}")
