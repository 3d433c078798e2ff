"""Diary, version 1.1 (api-contract.md): pain regions, triggers, attacks, menstruating;
the trigger list, the pain map, follow-the-pain suggestions and the attack quick-log."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import DiaryDay
from cadence.rules.triggers import TRIGGER_LABELS

from .test_api_diary import url

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def local_now():
    return timezone.localtime().replace(tzinfo=None, second=0, microsecond=0)


V11_DAY = {
    "headache_hours": 2,
    "peak_severity": "mild",
    "pain_regions": ["temple_left", "back_of_head_right"],
    "triggers": ["stress", "poor_sleep"],
    "other_triggers": "long drive",
    "menstruating": True,
}


def test_a_get_returns_what_was_stored(api_for, patient_user, patient):
    client = api_for(patient_user)
    yesterday = today() - timedelta(days=1)
    attack = {
        "started_at": f"{yesterday.isoformat()}T09:00",
        "ended_at": f"{yesterday.isoformat()}T15:30",
        "peak_severity": "severe",
    }
    put = client.put(url(patient, yesterday), {**V11_DAY, "attacks": [attack]})
    assert put.status_code == 201, put.content
    [got] = client.get(f"/patients/{patient.pk}/diary?start={yesterday}&end={yesterday}").json()
    assert got["pain_regions"] == ["temple_left", "back_of_head_right"]
    assert got["triggers"] == ["stress", "poor_sleep"]
    assert got["other_triggers"] == "long drive"
    assert got["menstruating"] is True
    assert got["attacks"] == [
        {
            "started_at": f"{yesterday.isoformat()}T09:00:00",
            "ended_at": f"{yesterday.isoformat()}T15:30:00",
            "peak_severity": "severe",
        }
    ]
    # The day's classification comes from its attacks: 6.5 hours, severe.
    assert got["headache_hours"] == 6.5
    assert got["peak_severity"] == "severe"
    assert got["is_headache_day"] and got["is_moderate_severe_day"]


def test_fields_left_out_mean_not_recorded(api_for, patient_user, patient):
    body = api_for(patient_user).put(url(patient, today()), {"headache_hours": 0}).json()
    assert body["pain_regions"] is None
    assert body["triggers"] is None
    assert body["attacks"] is None
    assert body["menstruating"] is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"headache_hours": 1, "pain_regions": ["ear_left"]}, "pain_regions"),
        ({"headache_hours": 1, "triggers": ["full_moon"]}, "triggers"),
        ({"headache_hours": 0, "pulsating": True}, "pulsating"),
        ({"headache_hours": 0, "aura": True}, "aura"),
        ({"headache_hours": 3, "aura_without_headache": True}, "aura_without_headache"),
    ],
)
def test_it_refuses_what_it_cant_store_naming_the_field(
    api_for, patient_user, patient, payload, field
):
    response = api_for(patient_user).put(url(patient, today()), payload)
    assert response.status_code == 422
    assert field in response.content.decode()
    assert not DiaryDay.objects.filter(patient=patient).exists()


def test_an_attack_that_did_not_touch_the_day_is_refused(api_for, patient_user, patient):
    two_days_ago = today() - timedelta(days=2)
    response = api_for(patient_user).put(
        url(patient, today()),
        {
            "headache_hours": 0,
            "attacks": [
                {"started_at": f"{two_days_ago}T09:00", "ended_at": f"{two_days_ago}T10:00"}
            ],
        },
    )
    assert response.status_code == 422
    [problem] = response.json()["detail"]
    assert problem["loc"][-3:] == ["attacks", 0, "started_at"]


def test_aura_without_headache_is_its_own_choice(api_for, patient_user, patient):
    body = (
        api_for(patient_user)
        .put(url(patient, today()), {"headache_hours": 0, "aura_without_headache": True})
        .json()
    )
    assert body["aura_without_headache"] is True
    assert body["is_migraine_day"] is False


def test_the_trigger_list_is_open_to_anyone_logged_in(api_for, frontdesk, patient_user):
    for user in (frontdesk, patient_user):
        answer = api_for(user).get("/diary/triggers")
        assert answer.status_code == 200
        assert {"code": "stress", "label": TRIGGER_LABELS["stress"]} in answer.json()


def test_the_pain_map_counts_days_per_region(api_for, patient_user, clinician, patient):
    client = api_for(patient_user)
    for back in range(3):
        client.put(
            url(patient, today() - timedelta(days=back)),
            {
                "headache_hours": 5,
                "pain_regions": ["temple_left"] + (["neck_right"] if back else []),
            },
        )
    client.put(
        url(patient, today() - timedelta(days=40)),
        {"headache_hours": 5, "pain_regions": ["eye_left"]},
    )
    answer = api_for(clinician).get(f"/patients/{patient.pk}/pain-map?days=28").json()
    regions = {r["region"]: r["days"] for r in answer["regions"]}
    assert answer["days"] == 28
    assert regions["temple_left"] == 3
    assert regions["neck_right"] == 2
    assert regions["eye_left"] == 0


def test_follow_the_pain_suggestions_are_for_the_clinician(
    api_for, patient_user, clinician, nurse, patient
):
    client = api_for(patient_user)
    for back in range(4):
        client.put(
            url(patient, today() - timedelta(days=back)),
            {"headache_hours": 5, "pain_regions": ["temple_left", "shoulder_right"]},
        )
    path = f"/patients/{patient.pk}/follow-the-pain-suggestions"
    assert api_for(nurse).get(path).status_code == 403
    sites = api_for(clinician).get(path).json()["sites"]
    codes = {s["site"] for s in sites}
    assert {"temporalis_left_ftp_1", "trapezius_right_ftp_1", "trapezius_right_ftp_2"} <= codes
    assert all(c.startswith(("temporalis_left_ftp_", "trapezius_right_ftp_")) for c in codes)
    assert all(s["units"] == 5 and s["days"] == 4 for s in sites)


def test_quick_log_an_attack_then_end_it(api_for, patient_user, patient):
    client = api_for(patient_user)
    now = local_now()
    start = now - timedelta(hours=5)
    base = f"/patients/{patient.pk}/attacks"
    started = client.post(f"{base}/start", {"started_at": start.isoformat()})
    assert started.status_code == 201, started.content
    assert client.post(f"{base}/start", {}).status_code == 409
    assert client.get(f"{base}/open").json()["attack"]["ended_at"] is None
    ended = client.post(
        f"{base}/end",
        {
            "peak_severity": "moderate",
            "acute_medications": [
                {"name": "rizatriptan", "drug_class": "triptan", "relieved": True}
            ],
        },
    )
    assert ended.status_code == 200, ended.content
    assert client.get(f"{base}/open").json()["attack"] is None
    days = DiaryDay.objects.filter(patient=patient).order_by("date")
    assert {d.date for d in days} == {start.date(), now.date()}
    first = days.first()
    assert first.is_headache_day or start.date() != now.date()
    assert first.acute_medications == [
        {"name": "rizatriptan", "drug_class": "triptan", "relieved": True}
    ]
    assert first.is_treated_day


def test_an_attack_across_midnight_counts_on_each_day(patient, patient_user):
    from cadence.diary import services

    now = local_now()
    day_before = now.date() - timedelta(days=2)
    start = datetime.combine(day_before, datetime.min.time()).replace(hour=19)
    services.attack_start(patient=patient, actor=patient_user, at=start)
    services.attack_end(
        patient=patient,
        actor=patient_user,
        ended_at=start + timedelta(hours=11),
        peak_severity="severe",
    )
    first, second = DiaryDay.objects.filter(patient=patient).order_by("date")
    assert (first.date, second.date) == (day_before, day_before + timedelta(days=1))
    assert (first.headache_hours, second.headache_hours) == (5, 6)
    assert first.is_headache_day and second.is_headache_day
    assert first.attacks == second.attacks
    assert first.is_moderate_severe_day and second.is_moderate_severe_day


def test_ending_with_no_attack_going_on_is_refused(api_for, patient_user, patient):
    response = api_for(patient_user).post(f"/patients/{patient.pk}/attacks/end", {})
    assert response.status_code == 422


def test_the_openapi_document_describes_the_new_fields_with_examples(api_for, patient_user):
    from django.test import Client

    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    day_in = schemas["DiaryDayIn"]
    for name in ("pain_regions", "triggers", "other_triggers", "attacks", "menstruating"):
        assert name in day_in["properties"], name
    assert day_in["examples"][0]["pain_regions"] == ["temple_left", "eye_left"]
    assert "examples" in day_in["properties"]["pain_regions"]
    paths = document["paths"]
    assert "/api/v1/diary/triggers" in paths
    assert "/api/v1/patients/{patient_id}/pain-map" in paths
    assert "/api/v1/patients/{patient_id}/follow-the-pain-suggestions" in paths
