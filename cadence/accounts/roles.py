"""The roles of Cadence's users and the groups of roles that access rules speak of."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Administrator"
    CLINICIAN = "clinician", "Clinician"
    NURSE = "nurse", "Nurse"
    FRONTDESK = "frontdesk", "Front desk"
    PATIENT = "patient", "Patient"


ALL_ROLES = frozenset(Role)
STAFF_ROLES = frozenset({Role.ADMIN, Role.CLINICIAN, Role.NURSE, Role.FRONTDESK})
# Staff who look after patients and so see their records, appointments and requests:
# everyone on staff but administrators. An administrator's need is users, settings
# (working hours), the audit log and lot logistics (recall); no identifiable clinical data
# (issue 21; docs/security.md, "Access rules").
CARE_TEAM_ROLES = frozenset({Role.CLINICIAN, Role.NURSE, Role.FRONTDESK})
# Who may reach a patient's record at all: the care team, and the patient (their own).
PATIENT_RECORD_ROLES = CARE_TEAM_ROLES | frozenset({Role.PATIENT})
CLINICAL_ROLES = frozenset({Role.CLINICIAN, Role.NURSE})
PRESCRIBER_ROLES = frozenset({Role.CLINICIAN})
PATIENT_ROLES = frozenset({Role.PATIENT})
# Clinical data: clinicians and nurses, and a patient (their own record only).
CLINICAL_AND_PATIENT_ROLES = CLINICAL_ROLES | PATIENT_ROLES
# A lot recall: who was given the lot.
RECALL_ROLES = frozenset({Role.CLINICIAN, Role.ADMIN})
# The clinic's outcomes dashboard and report.
DASHBOARD_ROLES = frozenset({Role.CLINICIAN, Role.NURSE})
