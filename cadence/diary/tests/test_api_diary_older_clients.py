"""Contract compatibility (issue 18): an older client's PUT of a diary day omits the
version 1.1 fields; omitted means unchanged, an explicit null or [] clears."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.diary.models import DiaryDay

from .test_api_diary import url

pytestmark = pytest.mark.django_db

V11 = {
    "pain_regions": ["temple_left"],
    "triggers": ["stress"],
    "other_triggers": "long drive",
    "menstruating": True,
}
#: What a version 1.0 client sends: none of the version 1.1 fields.
OLDER_CLIENT_DAY = {"headache_hours": 3, "peak_severity": "moderate", "nausea": True}


def yesterday():
    return timezone.localdate() - timedelta(days=1)


def test_an_older_clients_put_keeps_the_new_fields(api_for, patient_user, patient):
    client = api_for(patient_user)
    on = yesterday()
    assert client.put(url(patient, on), {"headache_hours": 1, **V11}).status_code == 201
    answer = client.put(url(patient, on), OLDER_CLIENT_DAY)
    assert answer.status_code == 200, answer.content
    body = answer.json()
    # The answer shows what is stored, the kept fields included ...
    assert body["pain_regions"] == ["temple_left"]
    assert body["triggers"] == ["stress"]
    assert body["other_triggers"] == "long drive"
    assert body["menstruating"] is True
    assert body["headache_hours"] == 3 and body["nausea"] is True
    # ... and so does the database.
    day = DiaryDay.objects.get(patient=patient, date=on)
    assert day.pain_regions == ["temple_left"]
    assert day.triggers == ["stress"]
    assert day.other_triggers == "long drive"
    assert day.menstruating is True
    assert day.headache_hours == 3 and day.nausea is True


def test_explicit_null_or_empty_clears_them(api_for, patient_user, patient):
    client = api_for(patient_user)
    on = yesterday()
    client.put(url(patient, on), {"headache_hours": 1, **V11})
    cleared = {
        "headache_hours": 1,
        "pain_regions": None,
        "triggers": [],
        "other_triggers": "",
        "menstruating": None,
        "attacks": None,
    }
    body = client.put(url(patient, on), cleared).json()
    assert body["pain_regions"] is None
    assert body["triggers"] == []
    assert body["other_triggers"] == ""
    assert body["menstruating"] is None
    day = DiaryDay.objects.get(patient=patient, date=on)
    assert (day.pain_regions, day.triggers, day.other_triggers, day.menstruating) == (
        None,
        [],
        "",
        None,
    )


def test_only_the_omitted_ones_are_kept(api_for, patient_user, patient):
    client = api_for(patient_user)
    on = yesterday()
    client.put(url(patient, on), {"headache_hours": 1, **V11})
    body = client.put(url(patient, on), {"headache_hours": 1, "triggers": ["alcohol"]}).json()
    assert body["triggers"] == ["alcohol"]
    assert body["pain_regions"] == ["temple_left"]
    assert body["menstruating"] is True


def test_kept_attacks_still_classify_the_day(api_for, patient_user, patient):
    """The stored attacks stay, and the day is classified with them: an older client
    that sends 0 hours does not turn an attack day into a headache-free one."""
    client = api_for(patient_user)
    on = yesterday()
    attack = {
        "started_at": f"{on.isoformat()}T08:00",
        "ended_at": f"{on.isoformat()}T14:00",
        "peak_severity": "severe",
    }
    assert (
        client.put(url(patient, on), {"headache_hours": 0, "attacks": [attack]}).status_code == 201
    )
    body = client.put(url(patient, on), {"headache_hours": 0}).json()
    assert len(body["attacks"]) == 1
    assert body["headache_hours"] == 6
    assert body["is_headache_day"] is True
    day = DiaryDay.objects.get(patient=patient, date=on)
    assert len(day.attacks) == 1
    assert day.headache_hours == 6 and day.is_headache_day
    assert day.peak_severity == "severe"


def test_an_older_clients_put_of_a_day_without_attacks_is_one_update(
    api_for, patient_user, patient, django_assert_max_num_queries
):
    """The hot path stays one statement for the day: the kept fields are read back by
    the UPDATE itself (RETURNING), not by a read first."""
    client = api_for(patient_user)
    on = yesterday()
    client.put(url(patient, on), {"headache_hours": 1, **V11})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.put(url(patient, on), OLDER_CLIENT_DAY).status_code == 200
    day_statements = [q["sql"] for q in queries if "diary_diaryday" in q["sql"]]
    assert len(day_statements) == 1, day_statements


def test_the_openapi_documents_omitted_means_unchanged(api_for, patient_user):
    from config.api import api

    schema = api.get_openapi_schema()
    day_in = schema["components"]["schemas"]["DiaryDayIn"]
    assert "omitted" in day_in["description"].lower()
    for name in ("pain_regions", "triggers", "other_triggers", "attacks", "menstruating"):
        assert "Omitted from a PUT: left as stored" in day_in["properties"][name]["description"]
