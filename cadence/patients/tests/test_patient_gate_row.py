"""`patient_for_user` reads the patient with a plain cursor (issue 20: the diary write's
CPU): the patient built from the row is the one the ORM would give, the access decisions
are unchanged, and the read goes where the database router sends patient reads."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404

from cadence.patients import access
from cadence.patients.access import patient_for_user
from cadence.patients.models import Patient

pytestmark = pytest.mark.django_db


def test_the_patient_is_the_one_the_orm_reads(clinician, patient):
    found = patient_for_user(clinician, patient.pk)
    stored = Patient.objects.get(pk=patient.pk)
    for field in Patient._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(stored, field.attname), field.name
    assert type(found.date_of_birth) is type(stored.date_of_birth)  # a date, not text
    assert found._state.adding is False and found._state.db == connection.alias
    assert found.pk == patient.pk and str(found) == str(stored)


def test_one_query_reads_the_patient(clinician, patient, django_assert_num_queries):
    with django_assert_num_queries(1):
        patient_for_user(clinician, str(patient.pk))


@pytest.mark.parametrize(
    ("role", "clinical", "outcome"),
    [
        ("clinician", True, "found"),
        ("nurse", True, "found"),
        ("frontdesk", False, "found"),
        ("frontdesk", True, PermissionDenied),
        ("admin_user", True, PermissionDenied),
        ("patient_user", True, "found"),
        ("other_patient_user", True, Http404),
    ],
)
def test_the_access_decisions_are_unchanged(request, patient, role, clinical, outcome):
    user = request.getfixturevalue(role)
    if outcome == "found":
        assert patient_for_user(user, patient.pk, clinical=clinical).pk == patient.pk
    else:
        with pytest.raises(outcome):
            patient_for_user(user, patient.pk, clinical=clinical)


@pytest.mark.parametrize("patient_id", [0, -1, 2**63, "nine", None])
def test_no_such_patient_is_not_found(clinician, patient, patient_id):
    with pytest.raises(Http404):
        patient_for_user(clinician, patient_id)


def test_a_removed_patient_is_not_found(clinician, make_patient):
    gone = make_patient()
    gone_pk = gone.pk
    gone.delete()
    with pytest.raises(Http404):
        patient_for_user(clinician, gone_pk)


def test_the_patient_is_read_where_the_router_sends_patient_reads(clinician, patient, monkeypatch):
    asked = []
    real = access.router.db_for_read

    def spy(model, **hints):
        asked.append(model)
        return real(model, **hints)

    monkeypatch.setattr(access.router, "db_for_read", spy)
    patient_for_user(clinician, patient.pk)
    assert asked == [Patient]
