"""Offline attacks (issue 18): a phone resends the start and the end it queued without
a connection; each is stored once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.diary.models import DiaryDay

pytestmark = pytest.mark.django_db


def minutes_ago(n: int) -> str:
    moment = timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)
    return (moment - timedelta(minutes=n)).isoformat(timespec="minutes")


def attacks_stored(patient) -> list:
    return [a for day in DiaryDay.objects.filter(patient=patient) for a in day.attacks or ()]


def test_a_resent_start_stores_the_attack_once(api_for, patient_user, patient):
    client = api_for(patient_user)
    started = minutes_ago(30)
    first = client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": started})
    again = client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": started})
    assert first.status_code == again.status_code == 201, again.content
    assert again.json()["attack"]["started_at"].startswith(started)
    assert len(attacks_stored(patient)) == 1
    changes = AuditEvent.objects.filter(patient_id_ref=patient.pk, action__in=("create", "change"))
    assert changes.count() == 1


def test_another_start_while_one_goes_on_is_still_a_conflict(api_for, patient_user, patient):
    client = api_for(patient_user)
    client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": minutes_ago(30)})
    other = client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": minutes_ago(10)})
    assert other.status_code == 409


def test_a_resent_end_stores_nothing_twice(api_for, patient_user, patient):
    client = api_for(patient_user)
    started, ended = minutes_ago(90), minutes_ago(20)
    client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": started})
    end = {
        "started_at": started,
        "ended_at": ended,
        "peak_severity": "moderate",
        "acute_medications": [
            {"name": "ibuprofen", "drug_class": "simple_analgesic", "relieved": True}
        ],
    }
    first = client.post(f"/patients/{patient.pk}/attacks/end", end)
    assert first.status_code == 200, first.content
    again = client.post(f"/patients/{patient.pk}/attacks/end", end)
    assert again.status_code == 200, again.content
    assert again.json()["attack"]["ended_at"].startswith(ended)
    [attack] = attacks_stored(patient)
    assert attack["ended_at"].startswith(ended)
    day = DiaryDay.objects.get(patient=patient, date=started[:10])
    assert len(day.acute_medications) == 1  # the medicine was not added twice
    # And a resent start of that attack, ended since, changes nothing either.
    assert (
        client.post(f"/patients/{patient.pk}/attacks/start", {"started_at": started}).status_code
        == 201
    )
    assert len(attacks_stored(patient)) == 1
    assert DiaryDay.objects.get(patient=patient, date=started[:10]).attacks[0]["ended_at"]


def test_ending_an_attack_that_was_never_started_is_refused(api_for, patient_user, patient):
    response = api_for(patient_user).post(
        f"/patients/{patient.pk}/attacks/end",
        {"started_at": minutes_ago(60), "ended_at": minutes_ago(5)},
    )
    assert response.status_code == 422
    assert "started_at" in str(response.json()["detail"][0]["loc"])
