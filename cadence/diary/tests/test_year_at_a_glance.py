"""A year at a glance (issue 18): the cells of the heat map on the patient's My
progress page and the clinician's patient page match the diary."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cadence.outcomes.tests.factories import MIGRAINE, NO_HEADACHE, TENSION, session, write_days

pytestmark = pytest.mark.django_db

CELL = re.compile(r'<span class="year-cell ([^"]*)" data-date="(\d{4}-\d\d-\d\d)"')


def cells(page: str) -> dict[str, set[str]]:
    """{date: the cell's classes} as rendered."""
    return {on: set(classes.split()) for classes, on in CELL.findall(page)}


def a_year_of_diary(patient):
    today = timezone.localdate()
    days = {
        "migraine": today - timedelta(days=10),
        "headache": today - timedelta(days=20),
        "clear": today - timedelta(days=30),
        "missing": today - timedelta(days=40),
        "session": today - timedelta(days=50),
        "too_old": today - timedelta(days=400),
    }
    write_days(
        patient,
        [
            (days["migraine"], MIGRAINE),
            (days["headache"], TENSION),
            (days["clear"], NO_HEADACHE),
            (days["session"], NO_HEADACHE),
            (days["too_old"], MIGRAINE),
        ],
    )
    session(patient, days["session"])
    return today, days


def check_cells(page: str, today, days) -> None:
    rendered = cells(page)
    assert len(rendered) == 365
    assert min(rendered) == (today - timedelta(days=364)).isoformat()
    assert max(rendered) == today.isoformat()
    assert "y-migraine" in rendered[days["migraine"].isoformat()]
    assert "y-headache" in rendered[days["headache"].isoformat()]
    assert "y-clear" in rendered[days["clear"].isoformat()]
    assert "y-none" in rendered[days["missing"].isoformat()]
    session_cell = rendered[days["session"].isoformat()]
    assert {"y-clear", "y-session"} <= session_cell
    assert [on for on, classes in rendered.items() if "y-session" in classes] == [
        days["session"].isoformat()
    ]
    assert days["too_old"].isoformat() not in rendered
    # The text alternative says the same in words.
    assert "2 headache days in 4 recorded days of the last 12 months" in page
    assert "361 days not recorded" in page
    assert f"treatment sessions on {days['session']:%-d %b %Y}" in page
    assert "Month by month" in page


def test_my_progress_shows_the_year_at_a_glance(client, patient_user, patient):
    today, days = a_year_of_diary(patient)
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    check_cells(page, today, days)


def test_the_clinicians_patient_page_shows_the_year_at_a_glance(client, clinician, patient):
    today, days = a_year_of_diary(patient)
    client.force_login(clinician)
    page = client.get(
        reverse("outcomes:patient-detail", kwargs={"patient_id": patient.pk})
    ).content.decode()
    check_cells(page, today, days)


def test_an_empty_diary_says_so(client, patient_user):
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    assert "0 headache days in 0 recorded days of the last 12 months" in page
    assert "365 days not recorded; no treatment session." in page
    rendered = cells(page)
    assert len(rendered) == 365
    assert all(classes == {"y-none"} for classes in rendered.values())


def test_the_month_table_counts_each_month(client, patient_user, patient):
    today, days = a_year_of_diary(patient)
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    table = page[page.index("Month by month") :]
    rows = re.findall(
        r"<tr><th scope=\"row\">([^<]+)</th><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>",
        table,
    )
    assert len(rows) in (12, 13)  # 365 days touch 12 or 13 calendar months
    totals = [sum(int(row[i]) for row in rows) for i in range(1, 5)]
    assert totals == [2, 1, 4, 1]  # headache, migraine, recorded, sessions
