import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadence.audit.models import AuditEvent
from cadence.diary.models import DiaryDay
from cadence.interop.csv_export import safe_cell
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db


def rows(response) -> list[list[str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def diary(patient):
    first = date(2025, 1, 1)
    for offset in range(30):
        DiaryDay.objects.create(
            patient=patient,
            date=first + timedelta(days=offset),
            headache_hours=5 if offset % 2 else 0,
            is_headache_day=bool(offset % 2),
            notes="=cmd|' /C calc'!A0" if offset == 0 else "",
        )
    return patient


@pytest.mark.parametrize(
    "cell,expected",
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("fine", "fine"),
        (3.5, 3.5),
        (True, "yes"),
        (None, ""),
    ],
)
def test_cells_that_look_like_formulas_are_defused(cell, expected):
    assert safe_cell(cell) == expected


def test_the_diary_csv_is_streamed_and_injection_safe(api_for, nurse, diary):
    response = api_for(nurse).get(f"/fhir/r4/export/patients/{diary.pk}/diary.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    table = rows(response)
    assert table[0][0] == "date" and len(table) == 31
    assert table[1][-1].startswith("'=")
    assert AuditEvent.objects.filter(action="export", patient_id_ref=diary.pk, actor=nurse).exists()


def test_the_patient_exports_their_own_diary(api_for, patient_user, diary):
    assert (
        api_for(patient_user).get(f"/fhir/r4/export/patients/{diary.pk}/diary.csv").status_code
        == 200
    )


@pytest.mark.parametrize("role", ["frontdesk", "admin_user", "other_patient_user"])
def test_others_cannot_export_the_diary(api_for, request, role, diary):
    response = api_for(request.getfixturevalue(role)).get(
        f"/fhir/r4/export/patients/{diary.pk}/diary.csv"
    )
    assert response.status_code in (403, 404)


def test_the_outcome_table_has_a_row_per_treated_patient(api_for, clinician, diary, other_patient):
    Procedure.objects.create(
        patient=diary,
        performed_on=date(2025, 1, 20),
        total_units=Decimal(155),
        status=ProcedureStatus.SIGNED,
    )
    response = api_for(clinician).get("/fhir/r4/export/outcomes.csv")
    assert response.status_code == 200
    table = rows(response)
    assert table[0][:3] == ["last_name", "first_name", "patient_id"]
    assert [row[2] for row in table[1:]] == [str(diary.pk)]
    assert AuditEvent.objects.filter(action="export", actor=clinician).exists()


@pytest.mark.parametrize("role", ["admin_user", "nurse", "frontdesk", "patient_user"])
def test_others_cannot_export_the_outcome_table(api_for, request, role):
    assert (
        api_for(request.getfixturevalue(role)).get("/fhir/r4/export/outcomes.csv").status_code
        == 403
    )
