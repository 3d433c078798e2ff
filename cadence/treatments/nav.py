from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import Role

NAV_ITEMS = [
    NavItem(
        "Vial stock", "treatments:vial-list", frozenset({Role.CLINICIAN, Role.NURSE}), order=60
    ),
    NavItem(
        "Lot recall", "treatments:lot-recall", frozenset({Role.CLINICIAN, Role.ADMIN}), order=61
    ),
    NavItem("Aftercare", "treatments:my-aftercare", frozenset({Role.PATIENT}), order=30),
]
