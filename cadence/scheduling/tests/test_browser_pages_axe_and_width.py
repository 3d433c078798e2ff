"""The everyday pages, as the patient on a phone and as the care team on a desktop: axe
finds no serious or critical violation, and no page scrolls sideways at 390 or 1280
pixels (issue 19). One login per role and screen; every page's problems are listed."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from cadence.intake.models import ConsultationRequest
from cadence.outcomes.tests.factories import build_story
from cadence.scheduling.tests.conftest import appointment, in_days
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": (390, 844), "desktop": (1280, 900)}

PATIENT_PAGES = [
    "/diary/",
    "/outcomes/my-progress/",
    "/diary/side-effects/",
    "/diary/questionnaires/",
    "/diary/summary/",
]
STAFF_PAGES = [
    "/patients/{patient}/record/",
    "/outcomes/patients/{patient}/",
    "/treatments/patients/{patient}/plans/new/",
    "/outcomes/dashboard/",
    "/schedule/worklists/",
    "/schedule/",
    "/schedule/?view=grid",
    "/schedule/patients/{patient}/book/",
    "/staff/requests/",
]

# The outermost elements wider than the screen (their parent fits).
WIDER_THAN_THE_SCREEN = """() => { const w = document.documentElement.clientWidth + 1;
  return [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > w && e.parentElement.getBoundingClientRect().right <= w)
  .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))
  .slice(0, 5) }"""


def serious_axe_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n.get("target") else "" for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def page_problems(page, path: str | None) -> list[str]:
    """What is wrong with the page at `path` (None: the page already open)."""
    problems = []
    if path is not None:
        response = page.goto(path)
        if not (response and response.ok):
            problems.append(f"status {response and response.status}")
    page.wait_for_load_state("networkidle")
    scroll, client = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    if scroll > client:
        problems.append(
            f"scrolls sideways: {scroll} > {client} {page.evaluate(WIDER_THAN_THE_SCREEN)}"
        )
    return problems + serious_axe_violations(page)


@pytest.fixture
def clinic(make_patient, patient_user, patient, clinician, frontdesk):
    today = timezone.localdate()
    build_story(patient, today, kind="wearing_off", seed=4)
    appointment(patient, clinician, in_days(20), 10)
    build_story(make_patient(first_name="Rita", last_name="Responder"), today, kind="responder")
    ConsultationRequest.objects.create(
        first_name="Wren",
        last_name="Calloway",
        email="wren@example.invalid",
        phone="+12025550188",
        preferred_contact="email",
        consent_to_contact=True,
        date_of_birth=date(1984, 9, 30),
    )
    return {"patient": patient_user, "clinician": clinician, "patient_id": patient.pk}


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("role", ["patient", "clinician"])
def test_the_main_pages_pass_axe_and_fit_the_screen(
    _playwright_browser, live_server, clinic, role, screen
):
    width, height = SCREENS[screen]
    context = _playwright_browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=screen == "phone",
        has_touch=screen == "phone",
        base_url=live_server.url,
    )
    context.set_default_timeout(20000)
    page = context.new_page()
    try:
        browser_login(page, clinic[role].username)
        paths = PATIENT_PAGES if role == "patient" else STAFF_PAGES
        problems = {}
        if role == "patient":
            # A page with a message list: the patient saves their reminder choices.
            page.goto("/schedule/reminders/")
            page.get_by_role("button", name="Save my choices").click()
            page.get_by_text("Your reminder choices are saved.").wait_for()
            if found := page_problems(page, None):
                problems["/schedule/reminders/ after saving"] = found
        for path in paths:
            path = path.format(patient=clinic["patient_id"])
            if found := page_problems(page, path):
                problems[path] = found
        assert not problems, "\n".join(f"{path}: {found}" for path, found in problems.items())
    finally:
        context.close()
