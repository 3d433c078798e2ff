from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import Role

PATIENT = frozenset({Role.PATIENT})
CLINICAL = frozenset({Role.CLINICIAN, Role.NURSE})

NAV_ITEMS = [
    NavItem("My diary", "diary:home", PATIENT, order=10),
    NavItem("Questionnaires", "diary:questionnaire-list", PATIENT, order=11),
    NavItem("Side effects", "diary:side-effect-list", PATIENT, order=12),
    NavItem("Alerts", "diary:alerts", CLINICAL, order=60),
]
