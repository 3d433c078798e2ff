import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser]

# Exactly what each role's navigation offers: clinical pages never reach front desk or
# admin, staff pages never reach patients.
EXPECTED = {
    # Administrators: users, settings, the audit log and lot logistics; no patient pages
    # (issue 21, docs/security.md).
    "admin": ["Home", "Lot recall", "Users", "Working hours", "Audit"],
    "clinician": [
        "Home",
        "Dashboard",
        "Patients",
        "Calendar",
        "Worklists",
        "Requests",
        "Alerts",
        "Vial stock",
        "Lot recall",
    ],
    "nurse": [
        "Home",
        "Dashboard",
        "Patients",
        "Calendar",
        "Worklists",
        "Requests",
        "Alerts",
        "Vial stock",
    ],
    "frontdesk": ["Home", "Calendar", "Patients", "Worklists", "Requests"],
    "patient": [
        "Home",
        "My diary",
        "My progress",
        "Questionnaires",
        "Side effects",
        "Aftercare",
        "Reminders",
        "Who viewed my record",
    ],
}
LANDING = {
    "admin": "/treatments/recall/",
    "clinician": "/outcomes/dashboard/",
    "nurse": "/outcomes/dashboard/",
    "frontdesk": "/schedule/",
    "patient": "/diary/",
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_logs_in_and_sees_its_navigation(browser_page, users_by_role, role):
    page = browser_page
    browser_login(page, users_by_role[role].username)
    nav = page.get_by_role("navigation", name="Main")
    labels = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
    assert sorted(labels) == sorted(EXPECTED[role])
    assert page.url.split(page.url.split("/")[2], 1)[1].startswith(LANDING[role])
    assert page.get_by_role("button", name="Sign out").is_visible()
