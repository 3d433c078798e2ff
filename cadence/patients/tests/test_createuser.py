"""`manage.py createuser`: staff users, and patient users linked to one patient record."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cadence.accounts.models import User

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_createuser_makes_a_staff_user_with_an_argon2_password(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    run("createuser", "dana", "--role", "clinician", "--password", "long-enough-pw-1")
    user = User.objects.get(username="dana")
    assert user.role == "clinician"
    assert user.patient is None
    assert user.password.startswith("argon2")
    assert user.check_password("long-enough-pw-1")


def test_createuser_links_a_patient_user_to_one_patient(patient):
    run(
        "createuser",
        "pat",
        "--role",
        "patient",
        "--password",
        "long-enough-pw-1",
        "--patient",
        str(patient.pk),
    )
    assert User.objects.get(username="pat").patient == patient


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["x", "--role", "patient", "--password", "long-enough-pw-1"],
            "--patient PATIENT_ID is required",
        ),
        (
            ["x", "--role", "patient", "--password", "long-enough-pw-1", "--patient", "99999"],
            "No patient with id 99999",
        ),
        (
            ["x", "--role", "nurse", "--password", "long-enough-pw-1", "--patient", "1"],
            "only for --role patient",
        ),
        (["x", "--role", "nurse", "--password", "short"], "Password rejected"),
    ],
    ids=["patient-without-record", "unknown-patient", "staff-with-patient", "weak-password"],
)
def test_createuser_refuses_bad_input(args, message):
    with pytest.raises(CommandError, match=message):
        run("createuser", *args)
    assert not User.objects.filter(username="x").exists()


def test_createuser_refuses_a_second_login_for_the_same_patient(patient_user, patient):
    with pytest.raises(CommandError, match="already has a login"):
        run(
            "createuser",
            "again",
            "--role",
            "patient",
            "--password",
            "long-enough-pw-1",
            "--patient",
            str(patient.pk),
        )


def test_createuser_refuses_an_unknown_role():
    with pytest.raises(CommandError):
        run("createuser", "x", "--role", "surgeon", "--password", "long-enough-pw-1")
