from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import Role

# Clinicians and nurses get their own Patients list from the outcomes app.
NAV_ITEMS = [
    NavItem("Patients", "patients:patient-list", frozenset({Role.FRONTDESK, Role.ADMIN}), order=20),
]
