"""A new clinician starts with the default working hours (Mon-Fri 09:00-17:00, setting
CADENCE_DEFAULT_WORKING_HOURS), editable on the working-hours page (issue 19)."""

from __future__ import annotations

from datetime import time

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from cadence.accounts.services import user_invite, user_role_change
from cadence.audit.models import AuditEvent
from cadence.scheduling.models import WorkingHours
from cadence.scheduling.services import default_working_hours, working_hours_give_defaults
from cadence.scheduling.tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def _week(user):
    return [(b.weekday, b.starts, b.ends) for b in user.working_hours.order_by("weekday")]


def test_an_invited_clinician_starts_monday_to_friday_nine_to_five(
    admin_user, rf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            actor=admin_user,
            username="new_doc",
            email="new_doc@example.invalid",
            role="clinician",
            request=rf.get("/"),
        )
    assert _week(user) == [(d, time(9), time(17)) for d in range(5)]
    assert AuditEvent.objects.filter(summary__startswith="Gave new_doc the default").exists()


def test_a_nurse_gets_no_working_hours(admin_user, rf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            actor=admin_user,
            username="n2",
            email="n2@example.invalid",
            role="nurse",
            request=rf.get("/"),
        )
    assert _week(user) == []


def test_becoming_a_clinician_gives_the_defaults(
    admin_user, nurse, rf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user_role_change(actor=admin_user, user=nurse, role="clinician", request=rf.get("/"))
    assert len(_week(nurse)) == 5


def test_hours_given_in_the_same_transaction_are_kept(
    make_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        doc = make_user("t_doc", "clinician")
        WorkingHours.objects.create(clinician=doc, weekday=5, starts=time(8), ends=time(12))
    assert _week(doc) == [(5, time(8), time(12))]


def test_a_clinician_with_hours_keeps_them(clinician):
    WorkingHours.objects.create(clinician=clinician, weekday=2, starts=time(7), ends=time(11))
    assert working_hours_give_defaults(clinician=clinician) == []
    assert _week(clinician) == [(2, time(7), time(11))]


def test_the_setting_changes_the_defaults(clinician, settings):
    settings.CADENCE_DEFAULT_WORKING_HOURS = [(1, "08:00", "12:30")]
    working_hours_give_defaults(clinician=clinician)
    assert _week(clinician) == [(1, time(8), time(12, 30))]


def test_an_impossible_setting_fails_loudly(settings):
    settings.CADENCE_DEFAULT_WORKING_HOURS = [(1, "12:00", "08:00")]
    with pytest.raises(ImproperlyConfigured, match="impossible block"):
        default_working_hours()


def test_a_clinician_edits_their_own_default_hours(clinician):
    working_hours_give_defaults(clinician=clinician)
    friday = clinician.working_hours.get(weekday=4)
    client = signed_in(clinician)
    client.post(reverse("scheduling:working-hours"), {"remove": friday.pk})
    client.post(
        reverse("scheduling:working-hours"),
        {"clinician": clinician.pk, "weekday": 4, "starts": "09:00", "ends": "13:00"},
    )
    assert clinician.working_hours.get(weekday=4).ends == time(13)
    assert clinician.working_hours.count() == 5


def test_the_working_hours_page_says_what_a_new_clinician_starts_with(admin_user):
    html = signed_in(admin_user).get(reverse("scheduling:working-hours")).content.decode()
    assert "Monday 09:00-17:00, Tuesday 09:00-17:00" in html
    assert "Friday 09:00-17:00</span>" in html
