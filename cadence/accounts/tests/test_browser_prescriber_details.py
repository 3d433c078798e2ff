"""A clinician enters their credentials and NPI on their account page; a mistyped NPI is
refused on the form with a sentence, and axe finds no serious violation (issue 19)."""

from __future__ import annotations

import pytest

from cadence.accounts.tests.test_browser_account import _serious_violations
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_clinician_sets_the_signature_on_the_account_page(browser_page, clinician):
    page = browser_page
    page.set_default_timeout(30000)
    browser_login(page, clinician.username)
    page.goto("/account/")
    page.get_by_label("Credentials").fill("MD, FAAN")
    page.get_by_label("NPI").fill("1234567890")
    with page.expect_navigation():
        page.get_by_role("button", name="Save credentials and NPI").click()
    assert page.get_by_text("does not match the check digit").is_visible()
    assert _serious_violations(page) == []
    page.get_by_label("NPI").fill("1234567893")
    with page.expect_navigation():
        page.get_by_role("button", name="Save credentials and NPI").click()
    preview = page.get_by_test_id("signature-preview").inner_text()
    assert preview == "Cleo Clinician, MD, FAAN · NPI 1234567893"
    assert _serious_violations(page) == []
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("MD, FAAN", "1234567893")
