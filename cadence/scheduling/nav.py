from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import CARE_TEAM_ROLES, PATIENT_ROLES, Role

NAV_ITEMS = [
    NavItem("Calendar", "scheduling:calendar", CARE_TEAM_ROLES, order=20),
    NavItem("Worklists", "scheduling:worklists", CARE_TEAM_ROLES, order=22),
    NavItem("Reminders", "scheduling:reminder-preferences", PATIENT_ROLES, order=60),
    # Administrators keep the clinic's settings (working hours) without the calendar.
    NavItem("Working hours", "scheduling:working-hours", frozenset({Role.ADMIN}), order=91),
]
