from cadence.accounts.navigation import NavItem
from cadence.accounts.roles import CLINICAL_ROLES, PATIENT_ROLES

NAV_ITEMS = [
    NavItem("My diary", "diary:home", PATIENT_ROLES, order=10),
    NavItem("Questionnaires", "diary:questionnaire-list", PATIENT_ROLES, order=11),
    NavItem("Side effects", "diary:side-effect-list", PATIENT_ROLES, order=12),
    NavItem("Alerts", "diary:alerts", CLINICAL_ROLES, order=60),
]
