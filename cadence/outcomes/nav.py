from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import CLINICAL_ROLES, DASHBOARD_ROLES, PATIENT_ROLES

NAV_ITEMS = [
    NavItem("Dashboard", "outcomes:dashboard", DASHBOARD_ROLES, order=5),
    NavItem("Patients", "outcomes:patient-list", CLINICAL_ROLES, order=10),
    NavItem("My progress", "outcomes:my-progress", PATIENT_ROLES, order=10),
]
