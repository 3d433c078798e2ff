from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import PATIENT_ROLES, Role

# Clinicians and nurses get their own Patients list from the outcomes app.
NAV_ITEMS = [
    NavItem("Patients", "patients:patient-list", frozenset({Role.FRONTDESK}), order=20),
    # The audit pages (cadence.patients.audit_views).
    NavItem("Audit", "audit:event-list", frozenset({Role.ADMIN}), order=92),
    NavItem("Who viewed my record", "audit:my-record", PATIENT_ROLES, order=85),
]
