"""A full export of a patient with two years of diary keeps memory flat."""

import tracemalloc
from datetime import date, timedelta
from decimal import Decimal

import pytest

from cadence.diary.models import DiaryDay
from cadence.treatments.models import Procedure, ProcedureStatus

pytestmark = pytest.mark.django_db

DIARY_DAYS = 730
PEAK_LIMIT_BYTES = 8 * 1024 * 1024


def test_two_years_of_diary_export_streams_in_little_memory(
    api_for, clinician, patient, other_patient
):
    first = date(2024, 1, 1)
    DiaryDay.objects.bulk_create(
        DiaryDay(
            patient=patient,
            date=first + timedelta(days=n),
            headache_hours=n % 9,
            peak_severity="moderate",
            notes="a note " * 20,
            acute_medications=[
                {"name": "ibuprofen", "drug_class": "simple_analgesic", "relieved": False}
            ],
        )
        for n in range(DIARY_DAYS)
    )
    for n in range(8):
        Procedure.objects.create(
            patient=patient,
            performed_on=first + timedelta(days=30 + 84 * n),
            total_units=Decimal(155),
            status=ProcedureStatus.SIGNED,
        )
    client = api_for(clinician)
    warm_up = client.get(f"/fhir/r4/Patient/{other_patient.pk}/$everything")  # imports, URLconf
    b"".join(warm_up.streaming_content)
    tracemalloc.start()
    response = client.get(f"/fhir/r4/Patient/{patient.pk}/$everything")
    size = 0
    entries = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        entries += chunk.count(b'"fullUrl"')
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert entries > DIARY_DAYS
    assert peak < PEAK_LIMIT_BYTES, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB export"
    print(f"export {size / 1e6:.1f} MB, peak traced {peak / 1e6:.2f} MB")
