"""On the phone, a patient reaches their account from the header, connects a diary app
with a token and revokes it; a clinician reaches two-factor enrolment from the same menu
(issues 19 and 21). axe finds no serious violation on the new pages."""

from __future__ import annotations

import pytest

from cadence.accounts.models import ApiToken
from conftest import PASSWORD, browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']}"
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]


def test_a_patient_connects_a_diary_app_and_revokes_it(phone_page, patient_user):
    page = phone_page
    page.set_default_timeout(30000)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(page, patient_user.username)
    page.get_by_test_id("account-link").click()
    page.wait_for_url("**/account/")
    assert _serious_violations(page) == []
    page.get_by_role("link", name="API tokens").click()
    page.wait_for_url("**/account/tokens/")
    page.get_by_label("What it is for").fill("my phone")
    page.get_by_label("What it may do").select_option("diary")
    page.get_by_label("Your password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Issue the token").click()
    assert page.get_by_test_id("new-token").is_visible()
    assert "cad_" in page.get_by_test_id("new-token").inner_text()
    assert _serious_violations(page) == []
    with page.expect_navigation():
        page.get_by_role("button", name="Revoke").click()
    assert ApiToken.objects.get(user=patient_user).revoked_at is not None


def test_a_clinician_finds_two_factor_enrolment_in_the_user_menu(browser_page, clinician):
    page = browser_page
    page.set_default_timeout(30000)
    browser_login(page, clinician.username)
    page.get_by_test_id("account-link").click()
    page.wait_for_url("**/account/")
    page.get_by_test_id("mfa-link").click()
    page.wait_for_url("**/mfa/enrol/**")
    assert page.get_by_role("heading", level=1).inner_text()
    assert page.locator('img[src^="data:image/svg+xml"]').count() == 1
