from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import Role

NAV_ITEMS = [
    NavItem(
        "Dashboard",
        "outcomes:dashboard",
        frozenset({Role.CLINICIAN, Role.NURSE, Role.ADMIN}),
        order=5,
    ),
    NavItem("Patients", "outcomes:patient-list", frozenset({Role.CLINICIAN, Role.NURSE}), order=10),
    NavItem("My progress", "outcomes:my-progress", frozenset({Role.PATIENT}), order=10),
]
