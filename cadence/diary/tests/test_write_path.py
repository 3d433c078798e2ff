"""The diary PUT's write path stays lean (the bench's diary-write figure depends on it):
a bounded number of statements for a first and a repeat PUT, the answer equal to what
is stored, and the audit chain intact after many writes."""

import json
from datetime import datetime

import pytest
from django.utils import timezone

from cadence.audit.models import AuditEvent
from cadence.audit.services import verify_chain
from cadence.diary.models import DiaryDay

from .test_api_diary import MIGRAINE_DAY, url

pytestmark = pytest.mark.django_db

# token (user joined), patient, day replaced (one UPDATE returning its id), audit chain
# head (locked), audit entry, chain head update; plus SAVEPOINT/RELEASE of the service's
# transaction, which is nested in the test's own (in production it is BEGIN/COMMIT, not
# counted).
REPEAT_PUT_QUERIES = 6 + 2
# As above, and the day, not found by the UPDATE, is inserted inside its own savepoint
# (SAVEPOINT, INSERT, RELEASE).
FIRST_PUT_QUERIES = REPEAT_PUT_QUERIES + 3


def test_a_repeat_put_stays_within_its_query_budget(
    api_for, patient_user, patient, django_assert_max_num_queries
):
    client = api_for(patient_user)
    on = timezone.localdate()
    assert client.put(url(patient, on), MIGRAINE_DAY).status_code == 201
    with django_assert_max_num_queries(REPEAT_PUT_QUERIES):
        assert client.put(url(patient, on), MIGRAINE_DAY).status_code == 200


def test_a_first_put_stays_within_its_query_budget(
    api_for, patient_user, patient, django_assert_max_num_queries
):
    client = api_for(patient_user)
    client.put(
        url(patient, timezone.localdate()), {"headache_hours": 0}
    )  # token's last_used_at set
    with django_assert_max_num_queries(FIRST_PUT_QUERIES):
        response = client.put(
            url(patient, timezone.localdate() - timezone.timedelta(days=1)), MIGRAINE_DAY
        )
    assert response.status_code == 201


def test_the_answer_of_a_replacement_is_what_is_stored(api_for, clinician, patient):
    client = api_for(clinician)
    on = timezone.localdate()
    client.put(url(patient, on), {"headache_hours": 1})
    answer = client.put(url(patient, on), MIGRAINE_DAY).json()
    day = DiaryDay.objects.get(patient=patient, date=on)
    assert answer["headache_hours"] == day.headache_hours == 8
    assert answer["acute_medications"] == day.acute_medications
    assert answer["is_migraine_day"] is day.is_migraine_day is True
    assert answer["entered_on_behalf"] is day.entered_on_behalf is True
    # JSON carries milliseconds.
    stored = day.updated_at.replace(microsecond=day.updated_at.microsecond // 1000 * 1000)
    assert datetime.fromisoformat(answer["updated_at"].replace("Z", "+00:00")) == stored
    assert day.entered_by == clinician
    assert day.created_at < day.updated_at


def test_repeated_writes_keep_one_row_and_an_intact_audit_chain(api_for, patient_user, patient):
    client = api_for(patient_user)
    on = timezone.localdate()
    statuses = [
        client.put(url(patient, on), {"headache_hours": hours}).status_code for hours in range(5)
    ]
    assert statuses == [201, 200, 200, 200, 200]
    assert DiaryDay.objects.filter(patient=patient, date=on).count() == 1
    assert (
        list(
            AuditEvent.objects.filter(patient_id_ref=patient.pk)
            .order_by("id")
            .values_list("action", flat=True)
        )
        == ["create"] + ["change"] * 4
    )
    assert verify_chain() == []


def test_a_failed_write_leaves_neither_the_day_nor_its_audit_entry(
    patient, patient_user, monkeypatch
):
    from cadence.diary import services

    def broken_audit(**kwargs):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(services, "audit_record", broken_audit)
    before = AuditEvent.objects.count()
    with pytest.raises(RuntimeError):
        services.diary_day_record(
            patient=patient,
            on=timezone.localdate(),
            entry=services.DiaryEntry(headache_hours=3),
            actor=patient_user,
        )
    assert not DiaryDay.objects.filter(patient=patient).exists()
    assert AuditEvent.objects.count() == before


def test_a_token_records_its_last_use_at_most_every_few_minutes(client, patient_user, patient):
    from datetime import timedelta

    from cadence.accounts.api_auth import LAST_USED_EVERY_SECONDS
    from cadence.accounts.models import ApiToken

    token, raw = ApiToken.issue(patient_user, name="phone")
    headers = {"Authorization": f"Bearer {raw}"}
    path = f"/api/v1/patients/{patient.pk}/diary"
    assert client.get(path, headers=headers).status_code == 200
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None
    assert client.get(path, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at == first_use
    stale = timezone.now() - timedelta(seconds=LAST_USED_EVERY_SECONDS + 1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=stale)
    assert client.get(path, headers=headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > stale


def test_a_revoked_token_cannot_write_a_day(client, patient_user, patient):
    from cadence.accounts.models import ApiToken

    token, raw = ApiToken.issue(patient_user, name="phone")
    token.revoke()
    response = client.put(
        f"/api/v1/patients/{patient.pk}/diary/{timezone.localdate().isoformat()}",
        {"headache_hours": 2},
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 401
    assert not DiaryDay.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(
    "patient_id", ["0", "-1", "9223372036854775808", "99999999999999999999999"]
)
def test_an_impossible_patient_id_answers_404_never_5xx(api_for, clinician, patient_id):
    response = api_for(clinician).put(
        f"/patients/{patient_id}/diary/{timezone.localdate().isoformat()}", {"headache_hours": 1}
    )
    assert response.status_code in (404, 422)


def test_without_update_returning_the_day_is_locked_read_then_replaced(
    api_for, patient_user, patient, monkeypatch
):
    from cadence.diary import services

    client = api_for(patient_user)
    on = timezone.localdate()
    assert client.put(url(patient, on), {"headache_hours": 1}).status_code == 201
    monkeypatch.setattr(services, "_update_returns_rows", lambda: False)
    answer = client.put(url(patient, on), MIGRAINE_DAY)
    assert answer.status_code == 200
    assert DiaryDay.objects.get(patient=patient, date=on).headache_hours == 8
    assert DiaryDay.objects.filter(patient=patient).count() == 1


def test_the_replaced_day_returned_holds_what_is_stored(
    clinician, patient, django_assert_num_queries
):
    """A replacement is not read back: the day returned is built from the values written
    (text, numbers and booleans bound as they are, JSON and times by their fields)."""
    from cadence.diary import services
    from cadence.rules.diary import AcuteMedicationTaken

    on = timezone.localdate()
    services.diary_day_record(
        patient=patient, on=on, entry=services.DiaryEntry(headache_hours=1), actor=clinician
    )
    entry = services.DiaryEntry(
        headache_hours=7.5,
        peak_severity="severe",
        nausea=True,
        photophobia=True,
        acute_medications=(
            AcuteMedicationTaken(name=" sumatriptan ", drug_class="triptan", relieved=True),
        ),
        notes=" worse at night ",
        triggers=("stress", "stress", "poor_sleep"),
        menstruating=None,
        unchanged=frozenset({"pain_regions"}),
    )
    day, created = services.diary_day_record(patient=patient, on=on, entry=entry, actor=clinician)
    assert created is False
    stored = DiaryDay.objects.get(patient=patient, date=on)
    for field in DiaryDay._meta.concrete_fields:
        if field.name != "created_at":  # not known without reading the row back
            assert getattr(day, field.attname) == getattr(stored, field.attname), field.name
    assert stored.notes == "worse at night" and stored.triggers == ["stress", "poor_sleep"]
    assert stored.acute_medications == [
        {"name": "sumatriptan", "drug_class": "triptan", "relieved": True}
    ]
    with django_assert_num_queries(0):
        assert day.patient == patient and day.entered_by == clinician
    assert verify_chain() == []


def _day_answers(client, patient, on, body):
    put = client.put(url(patient, on), body)
    assert put.status_code in (200, 201), put.content
    listed = client.get(f"/patients/{patient.pk}/diary?start={on}&end={on}")
    assert listed.status_code == 200
    return put.content.decode(), listed.content.decode()


@pytest.mark.parametrize(
    "body",
    [
        MIGRAINE_DAY,
        {"headache_hours": 0},
        {"headache_hours": 3, "peak_severity": "mild", "pain_regions": [], "menstruating": True},
        {
            "headache_hours": 2,
            "peak_severity": "moderate",
            "triggers": ["stress"],
            "other_triggers": "long drive",
            "pain_regions": ["temple_left", "eye_left"],
            "attacks": [
                {"started_at": "{day}T14:00", "ended_at": "{day}T20:30", "peak_severity": "severe"}
            ],
        },
    ],
    ids=["migraine", "no headache", "cleared and period", "attacks"],
)
def test_the_put_answers_exactly_what_the_validated_get_answers(api_for, clinician, patient, body):
    """The PUT's answer is built without validation; byte for byte, it is the answer
    that ninja validates and renders for the same stored day (the GET of the range)."""
    client = api_for(clinician)
    on = timezone.localdate() - timezone.timedelta(days=1)
    body = json.loads(json.dumps(body).replace("{day}", on.isoformat()))
    for _ in range(2):  # the first PUT creates the day, the second replaces it
        put, listed = _day_answers(client, patient, on, body)
        assert listed == f"[{put}]"


def test_an_older_clients_put_answers_the_kept_fields_as_validated(api_for, clinician, patient):
    client = api_for(clinician)
    on = timezone.localdate() - timezone.timedelta(days=1)
    _day_answers(
        client,
        patient,
        on,
        {
            "headache_hours": 5,
            "triggers": ["stress"],
            "attacks": [{"started_at": f"{on}T09:15", "ended_at": None}],
        },
    )
    put, listed = _day_answers(client, patient, on, {"headache_hours": 6})  # 1.0 fields only
    assert listed == f"[{put}]"
    assert json.loads(put)["attacks"][0]["started_at"] == f"{on}T09:15:00"
