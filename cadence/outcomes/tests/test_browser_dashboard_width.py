"""The dashboard and the worklists fit a 1280-pixel desktop screen (no sideways scroll)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from cadence.outcomes.tests.factories import build_story, session
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 10)"""


def test_the_dashboard_and_worklists_fit_a_1280_pixel_screen(browser_page, clinician, make_patient):
    today = timezone.localdate()
    build_story(
        make_patient(first_name="Maximiliana-Josephine", last_name="Featherstonehaugh-Worthington"),
        today,
        kind="responder",
        seed=3,
    )
    build_story(make_patient(), today, kind="non_responder", sessions=3, seed=2)
    session(make_patient(), today - timedelta(days=84))
    session(make_patient(), today - timedelta(days=95))
    session(make_patient(), today - timedelta(days=400))
    page = browser_page
    browser_login(page, clinician.username)
    for path in ("/outcomes/dashboard/", "/schedule/worklists/"):
        page.goto(path)
        page.wait_for_load_state("networkidle")
        assert page.viewport_size["width"] == 1280
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 1280, (path, width, page.evaluate(WIDER_THAN_THE_SCREEN))


def test_the_dashboard_loads_the_clinic_outcomes_after_the_page(
    browser_page, clinician, make_patient
):
    """Issue 20: the dashboard answers at once; its outcome cards (the clinic report)
    arrive by htmx into the placeholder, which then leaves the page."""
    today = timezone.localdate()
    build_story(make_patient(), today, kind="responder", sessions=3, seed=4)
    page = browser_page
    browser_login(page, clinician.username)
    page.goto("/outcomes/dashboard/")
    page.get_by_role("heading", name="Patients by stage").wait_for()
    page.get_by_role("heading", name="Response at 24 weeks").wait_for()
    assert page.locator("#clinic-outcomes").count() == 0  # the placeholder was replaced
    stages = page.locator("[data-stage]")
    assert stages.count() == 4
    assert sum(int(cell.inner_text()) for cell in stages.all()) == 1
