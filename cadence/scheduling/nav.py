from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import PATIENT_ROLES, STAFF_ROLES

NAV_ITEMS = [
    NavItem("Calendar", "scheduling:calendar", STAFF_ROLES, order=20),
    NavItem("Worklists", "scheduling:worklists", STAFF_ROLES, order=22),
    NavItem("Reminders", "scheduling:reminder-preferences", PATIENT_ROLES, order=60),
]
