"""Concurrent PUTs of the same day leave exactly one row (the database constraint plus
the upsert in `diary_day_record`). Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from cadence.diary.models import DiaryDay

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_puts_of_the_same_day_leave_one_row(api_for, patient_user, patient, clinician):
    on = timezone.localdate().isoformat()
    clients = [api_for(patient_user if i % 2 else clinician) for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)
    statuses: list[int] = []
    failures: list[BaseException] = []

    def put(client, hours):
        try:
            barrier.wait(timeout=10)
            response = client.put(f"/patients/{patient.pk}/diary/{on}", {"headache_hours": hours})
            statuses.append(response.status_code)
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=put, args=(c, 4 + i)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not failures, failures
    assert sorted(statuses) == [200] * (THREADS - 1) + [201]
    assert DiaryDay.objects.filter(patient=patient).count() == 1
