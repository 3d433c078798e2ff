"""On the desktop, the administrator invites a member of staff, changes a role,
deactivates, unlocks a locked-out sign-in and resets MFA from the users page; each is
audited, and a new clinician starts with the default working hours (issue 19)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadence.accounts.models import User
from cadence.audit.models import AuditEvent
from cadence.scheduling.models import WorkingHours
from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _audited(summary_start: str) -> bool:
    return AuditEvent.objects.filter(summary__startswith=summary_start).exists()


def test_the_administrator_manages_users_from_the_users_page(browser_page, admin_user, nurse):
    AccessAttempt.objects.create(
        username=nurse.username, ip_address="203.0.113.9", user_agent="test", failures_since_start=9
    )
    TOTPDevice.objects.create(user=nurse, name="phone", confirmed=True)
    page = browser_page
    page.set_default_timeout(30000)  # the shared test machine is slow at times
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of MFA reset, deactivate
    browser_login(page, admin_user.username)
    page.goto("/staff/users/")

    invite = page.get_by_role("form", name="Invite a member of staff")
    invite.get_by_label("Username").fill("dr_new")
    invite.get_by_label("E-mail", exact=False).fill("dr_new@example.invalid")
    invite.get_by_label("Role").select_option("clinician")
    with page.expect_navigation():
        invite.get_by_role("button", name="Send the invitation").click()
    page.locator('tr[data-user="dr_new"]').wait_for()
    assert [m.to for m in mail.outbox] == [["dr_new@example.invalid"]]
    assert WorkingHours.objects.filter(clinician__username="dr_new").count() == 5

    def act(button: str) -> None:
        row = page.locator(f'tr[data-user="{nurse.username}"]')
        with page.expect_navigation():
            row.get_by_role("button", name=f"{button}").click()

    page.locator(f'tr[data-user="{nurse.username}"]').get_by_label(
        f"Role of {nurse.username}"
    ).select_option("frontdesk")
    act(f"Change role of {nurse.username}")
    assert (
        page.locator(f'tr[data-user="{nurse.username}"]')
        .get_by_role("cell", name="Front desk", exact=True)
        .is_visible()
    )
    act(f"Unlock sign-in for {nurse.username}")
    act(f"Reset MFA for {nurse.username}")
    act(f"Deactivate {nurse.username}")
    assert (
        page.locator(f'tr[data-user="{nurse.username}"]')
        .get_by_role("button", name=f"Deactivate {nurse.username}")
        .count()
        == 0
    )

    nurse.refresh_from_db()
    assert nurse.role == "frontdesk" and not nurse.is_active
    assert not AccessAttempt.objects.filter(username=nurse.username).exists()
    assert not TOTPDevice.objects.filter(user=nurse).exists()
    assert User.objects.get(username="dr_new").role == "clinician"
    for summary in (
        "Invited dr_new as Clinician",
        f"Changed {nurse.username}'s role from Nurse to Front desk",
        f"Unlocked sign-in for {nurse.username}",
        f"Reset MFA for {nurse.username}",
        f"Deactivated {nurse.username}",
    ):
        assert _audited(summary), summary
