"""Red flags at the door, in a real browser on a phone (390 x 844): a visitor ticks a red
flag and sees the urgent-assessment page, with no way to book and no word about the
treatment; axe-core finds no serious or critical violation on the form or the answer."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from cadence.rules.self_check import RED_FLAG_HEADLINE, RED_FLAG_QUESTIONS, RedFlag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


def test_a_red_flag_on_a_phone_gives_urgent_advice_and_no_booking_link(phone_page):
    page = phone_page
    page.goto("/self-check/")
    assert _serious_violations(page) == []
    page.get_by_label("How old are you?").fill("38")
    page.get_by_label(RED_FLAG_QUESTIONS[RedFlag.fever_and_stiff_neck]).check()
    page.get_by_label("On how many days a month").fill("20")
    page.get_by_label("For how many months").fill("14")
    page.get_by_label("On how many of those days").fill("11")
    page.get_by_label("How many kinds of daily preventive").fill("2")
    page.get_by_role("button", name="See my result").click()

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == RED_FLAG_HEADLINE
    advice = page.get_by_test_id("red-flag-advice")
    assert advice.is_visible()
    assert "emergency" in advice.inner_text()
    assert RED_FLAG_QUESTIONS[RedFlag.fever_and_stiff_neck] in advice.inner_text()
    # Nothing that suggests booking: no button, no form, no link to a consultation.
    assert page.get_by_role("button", name="Ask for a consultation").count() == 0
    assert page.get_by_role("link", name="Ask for a consultation").count() == 0
    assert page.locator("a[href*='consultation']").count() == 0
    assert page.locator("main form").count() == 0
    assert "botox" not in page.locator("main").inner_text().lower()
    # The advice is on the first screen, and nothing scrolls sideways.
    box = heading.bounding_box()
    assert box is not None and box["y"] < 844
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert _serious_violations(page) == []
