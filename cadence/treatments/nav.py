from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import CLINICAL_ROLES, PATIENT_ROLES, RECALL_ROLES

NAV_ITEMS = [
    NavItem("Vial stock", "treatments:vial-list", CLINICAL_ROLES, order=60),
    NavItem("Lot recall", "treatments:lot-recall", RECALL_ROLES, order=61),
    NavItem("Aftercare", "treatments:my-aftercare", PATIENT_ROLES, order=30),
]
