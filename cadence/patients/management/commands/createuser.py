"""`createuser USERNAME --role ROLE --password PW [--patient ID]`: in the patients app
because a patient user is linked to their patient record."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cadence.accounts.models import User
from cadence.accounts.roles import Role
from cadence.patients.models import Patient


class Command(BaseCommand):
    help = (
        "Create a user: createuser USERNAME --role ROLE --password PW [--patient PATIENT_ID]. "
        "A patient user must be linked to one patient record."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--password", required=True)
        parser.add_argument("--patient", type=int, help="patient id (required for --role patient)")
        parser.add_argument("--email", default="")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    def handle(self, *args, **options):
        username = options["username"].strip()
        role = options["role"]
        if not username:
            raise CommandError("USERNAME must not be blank.")
        if User.objects.filter(username=username).exists():
            raise CommandError(f"A user named {username!r} already exists.")
        patient = None
        if role == Role.PATIENT:
            if options["patient"] is None:
                raise CommandError("--patient PATIENT_ID is required for a patient user.")
            patient = Patient.objects.filter(pk=options["patient"]).first()
            if patient is None:
                raise CommandError(f"No patient with id {options['patient']}.")
            if User.objects.filter(patient=patient).exists():
                raise CommandError(f"Patient {patient.pk} already has a login.")
        elif options["patient"] is not None:
            raise CommandError("--patient is only for --role patient.")
        user = User(
            username=username,
            role=role,
            patient=patient,
            email=options["email"],
            first_name=options["first_name"],
            last_name=options["last_name"],
            is_staff=False,
            is_superuser=False,
        )
        try:
            validate_password(options["password"], user)
        except ValidationError as exc:
            raise CommandError("Password rejected: " + " ".join(exc.messages)) from exc
        user.set_password(options["password"])
        with transaction.atomic():
            user.save()
        self.stdout.write(f"Created {role} user {username} (id {user.pk}).")
