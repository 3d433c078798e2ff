import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser]

# What each role must see in the navigation, and what it must not (the entries of apps
# that exist so far; each app's issue extends this).
EXPECTED = {
    "admin": {"must": ["Home", "Users"], "must_not": []},
    "clinician": {"must": ["Home"], "must_not": ["Users"]},
    "nurse": {"must": ["Home"], "must_not": ["Users"]},
    "frontdesk": {"must": ["Home"], "must_not": ["Users"]},
    "patient": {"must": ["Home"], "must_not": ["Users"]},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_role_logs_in_and_sees_its_navigation(browser_page, users_by_role, role):
    page = browser_page
    browser_login(page, users_by_role[role].username)
    nav = page.get_by_role("navigation", name="Main")
    labels = [t.strip() for t in nav.get_by_role("link").all_inner_texts()]
    for label in EXPECTED[role]["must"]:
        assert label in labels, f"{role} should see {label!r} in {labels}"
    for label in EXPECTED[role]["must_not"]:
        assert label not in labels, f"{role} must not see {label!r} in {labels}"
    assert page.get_by_role("button", name="Sign out").is_visible()
