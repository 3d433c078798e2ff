"""Issue 19's diary integrity on the page: choosing a day loads that day's entry (or an
empty form) and says which day will be replaced; a day with no headache carries no
features or aura; and the diary 1.1 answers (pain regions, triggers, period) are kept."""

from datetime import timedelta

import pytest
from django.urls import reverse

from cadence.diary.models import DiaryDay
from cadence.diary.services import DiaryEntry, diary_day_record, diary_preference_set
from cadence.diary.tests.conftest import day_form, today

pytestmark = pytest.mark.django_db


def test_choosing_a_day_loads_that_days_entry(client, patient_user, patient):
    earlier = today() - timedelta(days=3)
    diary_day_record(
        patient=patient,
        on=earlier,
        entry=DiaryEntry(headache_hours=7, notes="the Tuesday one"),
        actor=patient_user,
    )
    client.force_login(patient_user)
    html = client.get(reverse("diary:home"), {"date": earlier.isoformat()}).content.decode()
    assert f"Change {earlier:%A} {earlier.day} {earlier:%B %Y}" in html
    assert f"Saving replaces what was recorded for {earlier:%A} {earlier.day}" in html
    assert "the Tuesday one" in html
    # The form saves exactly the day it names.
    assert f'name="date" value="{earlier.isoformat()}"' in html


def test_choosing_an_empty_day_shows_an_empty_form(client, patient_user, patient):
    diary_day_record(
        patient=patient,
        on=today(),
        entry=DiaryEntry(headache_hours=7, notes="note of today"),
        actor=patient_user,
    )
    empty = today() - timedelta(days=2)
    client.force_login(patient_user)
    html = client.get(reverse("diary:home"), {"date": empty.isoformat()}).content.decode()
    assert f"Record {empty:%A} {empty.day}" in html
    assert "Nothing is recorded for" in html
    assert "note of today" not in html


def test_saving_a_chosen_day_leaves_other_days_alone(client, patient_user, patient):
    diary_day_record(
        patient=patient, on=today(), entry=DiaryEntry(headache_hours=7), actor=patient_user
    )
    earlier = today() - timedelta(days=1)
    client.force_login(patient_user)
    client.post(reverse("diary:home"), day_form(earlier, headache_hours="2"))
    assert DiaryDay.objects.get(patient=patient, date=today()).headache_hours == 7
    assert DiaryDay.objects.get(patient=patient, date=earlier).headache_hours == 2


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pulsating": "on"}, "can&#x27;t have headache features"),
        ({"aura": "on"}, "Aura without headache"),
    ],
)
def test_zero_hours_with_features_or_aura_is_refused(
    client, patient_user, patient, fields, message
):
    client.force_login(patient_user)
    response = client.post(reverse("diary:home"), day_form(today(), **fields))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not DiaryDay.objects.filter(patient=patient).exists()


def test_aura_without_headache_is_a_choice_of_its_own(client, patient_user, patient):
    client.force_login(patient_user)
    response = client.post(reverse("diary:home"), day_form(today(), aura_without_headache="on"))
    assert response.status_code == 302
    day = DiaryDay.objects.get(patient=patient)
    assert day.aura_without_headache and not day.aura and not day.is_migraine_day


def test_regions_triggers_and_period_are_stored_from_the_page(client, patient_user, patient):
    diary_preference_set(patient=patient, tracks_cycle=True, actor=patient_user)
    client.force_login(patient_user)
    data = day_form(
        today(),
        headache_hours="5",
        pain_regions=["temple_left", "neck_right"],
        triggers=["stress"],
        other_triggers="long drive",
        menstruating="yes",
    )
    assert client.post(reverse("diary:home"), data).status_code == 302
    day = DiaryDay.objects.get(patient=patient)
    assert day.pain_regions == ["temple_left", "neck_right"]
    assert day.triggers == ["stress"]
    assert day.other_triggers == "long drive"
    assert day.menstruating is True


def test_period_days_are_asked_only_of_patients_who_chose_it(client, patient_user, patient):
    client.force_login(patient_user)
    assert "Period that day?" not in client.get(reverse("diary:home")).content.decode()
    client.post(reverse("diary:cycle-preference"), {"tracks_cycle": "1"})
    assert "Period that day?" in client.get(reverse("diary:home")).content.decode()


def test_saving_the_form_keeps_the_days_attacks(client, patient_user, patient):
    from cadence.diary import services

    now = services.local_now()
    start = now - timedelta(hours=1)
    services.attack_start(patient=patient, actor=patient_user, at=start)
    client.force_login(patient_user)
    client.post(reverse("diary:home"), day_form(start.date(), headache_hours="1", notes="x"))
    day = DiaryDay.objects.get(patient=patient, date=start.date())
    assert day.attacks and day.attacks[0]["ended_at"] is None


def test_quick_log_start_then_end_from_the_page(client, patient_user, patient):
    client.force_login(patient_user)
    assert client.post(reverse("diary:attack-start")).status_code == 302
    html = client.get(reverse("diary:home")).content.decode()
    assert "Headache going on since" in html
    response = client.post(
        reverse("diary:attack-end"),
        {"peak_severity": "moderate", "other_name": "Ibuprofen", "other_class": "simple_analgesic"},
    )
    assert response.status_code == 302
    day = DiaryDay.objects.get(patient=patient, date=today())
    assert day.attacks[0]["ended_at"] is not None
    assert day.attacks[0]["peak_severity"] == "moderate"
    assert day.acute_medications == [
        {"name": "Ibuprofen", "drug_class": "simple_analgesic", "relieved": False}
    ]
    assert day.is_simple_analgesic_day  # the day's acute doses count toward overuse


def test_the_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    body = manifest.json()
    assert body["start_url"] == reverse("diary:home") and body["display"] == "standalone"
    assert any(icon["sizes"] == "192x192" for icon in body["icons"])
    worker = client.get(reverse("diary:service-worker"))
    assert worker.status_code == 200
    assert worker["Content-Type"] == "application/javascript"
    assert b'addEventListener("fetch"' in worker.content


def test_the_portal_registers_the_service_worker_and_links_the_manifest(client, patient_user):
    client.force_login(patient_user)
    html = client.get(reverse("diary:home")).content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert f'data-service-worker="{reverse("diary:service-worker")}"' in html


def _painful_days(patient, actor, regions, n=4):
    for back in range(n):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=back),
            entry=DiaryEntry(headache_hours=6, pain_regions=tuple(regions)),
            actor=actor,
        )


def test_the_clinician_accepts_a_suggestion_into_a_plan_that_validates(
    client, clinician, patient_user, patient
):
    from cadence.treatments.models import TreatmentPlan

    _painful_days(patient, patient_user, ["temple_left", "eye_left"])
    client.force_login(clinician)
    panel = client.get(reverse("diary:pain-panel", kwargs={"patient_id": patient.pk}))
    html = panel.content.decode()
    assert panel.status_code == 200
    assert 'data-region="temple_left"' in html  # on the heat map
    assert 'value="temporalis_left_ftp_1" checked' in html
    # Accepting opens the plan builder with the sites; saving validates under the caps.
    builder = reverse("treatments:plan-create", kwargs={"patient_id": patient.pk})
    page = client.get(builder, {"template": "preempt", "site": ["temporalis_left_ftp_1"]})
    assert page.status_code == 200
    assert reverse("diary:pain-panel", kwargs={"patient_id": patient.pk}) in page.content.decode()
    saved = client.post(builder, {"template": "preempt", "site": ["temporalis_left_ftp_1"]})
    assert saved.status_code == 302
    plan = TreatmentPlan.objects.get(patient=patient)
    assert plan.total_units == 160


def test_a_nurse_sees_the_pain_map_but_no_plan_form(client, nurse, patient_user, patient):
    _painful_days(patient, patient_user, ["neck_right"])
    client.force_login(nurse)
    html = client.get(
        reverse("diary:pain-panel", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "Neck, right" in html
    assert 'data-testid="ftp-suggestions"' not in html


def test_the_trigger_summary_makes_no_claim_below_the_minimum(
    client, clinician, patient_user, patient
):
    for back in range(3):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=back),
            entry=DiaryEntry(headache_hours=6, triggers=("alcohol",)),
            actor=patient_user,
        )
    client.force_login(clinician)
    html = client.get(
        reverse("diary:pain-panel", kwargs={"patient_id": patient.pk})
    ).content.decode()
    assert "too few days" in html


def test_the_patient_exports_the_whole_diary_as_csv(client, patient_user, patient):
    from cadence.audit.models import AuditEvent

    diary_day_record(
        patient=patient,
        on=today(),
        entry=DiaryEntry(headache_hours=5, pain_regions=("temple_left",), notes="=SUM(A1)"),
        actor=patient_user,
    )
    client.force_login(patient_user)
    response = client.get(reverse("diary:export-csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    header, row = text.strip().splitlines()
    assert header.startswith("date,headache_hours")
    assert today().isoformat() in row and "temple_left" in row
    assert "'=SUM(A1)" in row  # never a formula
    assert AuditEvent.objects.filter(patient_id_ref=patient.pk, action="export").exists()


def test_the_printable_summary_has_counts_and_the_year(client, patient_user, patient):
    for back in range(3):
        diary_day_record(
            patient=patient,
            on=today() - timedelta(days=back),
            entry=DiaryEntry(headache_hours=6),
            actor=patient_user,
        )
    client.force_login(patient_user)
    html = client.get(reverse("diary:summary")).content.decode()
    assert "Headache days</th><td>3</td>" in html
    assert "3 headache days in 3 recorded days of the last 12 months" in html
    assert html.count('class="year-cell') >= 365


def test_preventive_medicines_are_shown_apart_from_acute_ones(client, patient_user, patient):
    from cadence.patients.models import PreventiveTrial

    PreventiveTrial.objects.create(
        patient=patient,
        drug="erenumab",
        drug_class="cgrp_antibody",
        start=today() - timedelta(days=60),
        outcome="ongoing",
    )
    PreventiveTrial.objects.create(
        patient=patient,
        drug="topiramate",
        drug_class="antiepileptic",
        start=today() - timedelta(days=400),
        end=today() - timedelta(days=300),
        outcome="ineffective",
    )
    client.force_login(patient_user)
    html = client.get(reverse("diary:home")).content.decode()
    assert "erenumab (CGRP antibody)" in html
    assert "topiramate" not in html
