"""Parse and check a FHIR R4 Bundle for import (pure: no database).

``parse_bundle(data, today=...)`` validates the Bundle with ``fhir.resources`` (R4B
models), then applies Cadence's own semantic checks, and returns either an
``ImportPlan`` (what to create) or the list of problems as (location, message) pairs.
Nothing is created here; ``cadence.interop.services.bundle_import`` writes the plan in
one transaction.

What is imported: one Patient (demographics), chronic-migraine Conditions (ICD-10-CM
G43.7x), MedicationStatements (preventive trials, with drug class and outcome) and
Procedures coded CPT 64615 (prior sessions, with the units given in their
MedicationAdministrations or the Cadence total-units extension, and the injection sites
when coded in Cadence's site code system). Other resource types are not imported; they
are reported as information.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from cadence.interop.fhir import codes as c
from cadence.rules.sites import MAX_UNITS_PER_SESSION, SITE_CATALOGUE

IMPORTED_TYPES = frozenset(
    {"Patient", "Condition", "MedicationStatement", "Procedure", "MedicationAdministration"}
)
BUNDLE_TYPES = frozenset({"transaction", "collection", "searchset"})
SEXES = frozenset({"female", "male", "other", "unknown"})

Problem = tuple[str, str]


@dataclass
class ImportedPatient:
    first_name: str
    last_name: str
    date_of_birth: date
    sex: str = "unknown"
    email: str = ""
    phone: str = ""
    referring_clinician: str = ""


@dataclass
class ImportedDiagnosis:
    icd10_code: str
    confirmed_by_neurologist: bool
    neurologist: str = ""
    confirmed_on: date | None = None


@dataclass
class ImportedTrial:
    drug: str
    drug_class: str
    start: date
    outcome: str
    end: date | None = None
    dose: str = ""


@dataclass
class ImportedProcedure:
    performed_on: date
    total_units: Decimal
    wasted_units: Decimal = Decimal(0)
    injections: list[tuple[str, Decimal]] = field(default_factory=list)


@dataclass
class ImportPlan:
    patient: ImportedPatient
    diagnoses: list[ImportedDiagnosis] = field(default_factory=list)
    trials: list[ImportedTrial] = field(default_factory=list)
    procedures: list[ImportedProcedure] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)


# ------------------------------------------------------------------------ helpers
def _loc(parts) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _codings(concept: Any) -> list[dict]:
    if not isinstance(concept, dict):
        return []
    return [cd for cd in concept.get("coding") or [] if isinstance(cd, dict)]


def _code_in(concept: Any, system: str) -> str | None:
    for cd in _codings(concept):
        if cd.get("system") == system and cd.get("code"):
            return str(cd["code"])
    return None


def _extension(resource: dict, url: str) -> dict | None:
    for ext in resource.get("extension") or []:
        if isinstance(ext, dict) and ext.get("url") == url:
            return ext
    return None


def _units(quantity: Any) -> Decimal | None:
    """A Quantity in toxin units (unit "U" or UCUM "[U]") as Decimal, else None."""
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return None
    if quantity.get("code") not in (None, "[U]") and quantity.get("unit") not in ("U", "units"):
        return None
    try:
        value = Decimal(str(quantity["value"]))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


# ------------------------------------------------------------------------ schema
def schema_problems(data: Any) -> list[Problem]:
    """Structural validation with fhir.resources (R4B)."""
    from fhir.resources.R4B.bundle import Bundle

    if not isinstance(data, dict):
        return [("Bundle", "the body must be a JSON object (a FHIR Bundle)")]
    if data.get("resourceType") != "Bundle":
        return [("resourceType", "resourceType must be Bundle")]
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:
        return [(_loc(err["loc"]), err["msg"]) for err in exc.errors(include_url=False)]
    except (ValueError, TypeError) as exc:
        return [("Bundle", str(exc))]
    return []


# ------------------------------------------------------------------------ semantics
class _Checker:
    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    # Patient -------------------------------------------------------------
    def patient(self, where: str, resource: dict) -> ImportedPatient | None:
        names = [n for n in resource.get("name") or [] if isinstance(n, dict)]
        official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
        family = (official.get("family") or "").strip()
        given = " ".join(official.get("given") or []).strip()
        born = _date(resource.get("birthDate"))
        if not family:
            self.problem(f"{where}.name.family", "the patient's family name is required")
        if not given:
            self.problem(f"{where}.name.given", "the patient's given name is required")
        if born is None:
            self.problem(f"{where}.birthDate", "the patient's birth date is required")
        elif born > self.today:
            self.problem(f"{where}.birthDate", "the birth date is in the future")
        if len(family) > 100 or len(given) > 100:
            self.problem(f"{where}.name", "names are limited to 100 characters")
        telecom = {
            t.get("system"): str(t.get("value") or "")
            for t in resource.get("telecom") or []
            if isinstance(t, dict)
        }
        if len(telecom.get("phone", "")) > 32:
            self.problem(f"{where}.telecom", "the phone number is longer than 32 characters")
        email = telecom.get("email", "")
        if email and ("@" not in email or len(email) > 254):
            self.problem(f"{where}.telecom", f"'{email[:60]}' is not an email address")
        referrer = " ".join(
            str(gp.get("display") or "")
            for gp in resource.get("generalPractitioner") or []
            if isinstance(gp, dict)
        ).strip()
        if len(referrer) > 200:
            self.problem(
                f"{where}.generalPractitioner",
                "the referring clinician is longer than 200 characters",
            )
        if self.problems or born is None:
            return None
        sex = resource.get("gender") or "unknown"
        return ImportedPatient(
            first_name=given,
            last_name=family,
            date_of_birth=born,
            sex=sex if sex in SEXES else "unknown",
            email=email,
            phone=telecom.get("phone", ""),
            referring_clinician=referrer,
        )

    # Condition -----------------------------------------------------------
    def condition(self, where: str, resource: dict) -> ImportedDiagnosis | None:
        code = resource.get("code")
        icd10 = _code_in(code, c.ICD10CM_SYSTEM)
        ok = True
        if icd10 is None:
            self.problem(
                f"{where}.code",
                "a Condition needs an ICD-10-CM code (system http://hl7.org/fhir/sid/icd-10-cm)",
            )
            return None
        if icd10 not in c.CHRONIC_MIGRAINE_ICD10:
            self.problem(
                f"{where}.code",
                f"ICD-10-CM {icd10} is not a chronic-migraine code (G43.709, G43.719, G43.701, G43.711)",
            )
            ok = False
        for cd in _codings(code):
            if (
                cd.get("system") == c.SNOMED_SYSTEM
                and cd.get("code") == c.SNOMED_US_CHRONIC_MIGRAINE
            ):
                if cd.get("version") != c.SNOMED_US_EDITION:
                    self.problem(
                        f"{where}.code",
                        "SNOMED CT 124171000119105 exists only in the US edition; name it (version http://snomed.info/sct/731000124108)",
                    )
                    ok = False
                if icd10 != c.SNOMED_US_ICD10_MATCH:
                    self.problem(
                        f"{where}.code", f"SNOMED CT 124171000119105 maps to G43.719, not {icd10}"
                    )
                    ok = False
        verification = _code_in(resource.get("verificationStatus"), c.CONDITION_VERIFICATION_SYSTEM)
        if verification in ("refuted", "entered-in-error"):
            self.problem(
                f"{where}.verificationStatus", f"a {verification} diagnosis cannot be imported"
            )
            ok = False
        ext = _extension(resource, c.EXT_NEUROLOGIST)
        confirmed = bool(ext.get("valueBoolean")) if ext else verification == "confirmed"
        confirmed_on = _date(resource.get("recordedDate"))
        if confirmed_on and confirmed_on > self.today:
            self.problem(f"{where}.recordedDate", "the diagnosis date is in the future")
            ok = False
        neurologist = str((resource.get("asserter") or {}).get("display") or "")
        if len(neurologist) > 200:
            self.problem(
                f"{where}.asserter.display", "the neurologist's name is longer than 200 characters"
            )
            ok = False
        if not ok:
            return None
        return ImportedDiagnosis(icd10, confirmed, neurologist, confirmed_on)

    # MedicationStatement -------------------------------------------------
    def trial(self, where: str, resource: dict) -> ImportedTrial | None:
        ok = True
        medication = resource.get("medicationCodeableConcept") or {}
        drug = str(
            medication.get("text")
            or next((cd.get("display") for cd in _codings(medication) if cd.get("display")), "")
            or ""
        ).strip()
        if not drug:
            self.problem(
                f"{where}.medicationCodeableConcept.text",
                "the preventive medicine's name is required",
            )
            ok = False
        elif len(drug) > 100:
            self.problem(
                f"{where}.medicationCodeableConcept.text",
                "the medicine's name is longer than 100 characters",
            )
            ok = False
        class_ext = _extension(resource, c.EXT_DRUG_CLASS)
        drug_class = (
            _code_in((class_ext or {}).get("valueCodeableConcept"), c.PREVENTIVE_DRUG_CLASS_CS)
            or "other"
        )
        if drug_class not in c.PREVENTIVE_DRUG_CLASS_CODES:
            self.problem(f"{where}.extension", f"unknown preventive drug class '{drug_class}'")
            ok = False
        outcome_ext = _extension(resource, c.EXT_PREVENTIVE_OUTCOME)
        outcome = _code_in((outcome_ext or {}).get("valueCodeableConcept"), c.PREVENTIVE_OUTCOME_CS)
        if outcome is None:
            for reason in resource.get("statusReason") or []:
                outcome = outcome or _code_in(reason, c.PREVENTIVE_OUTCOME_CS)
        if outcome is None:
            outcome = {"active": "ongoing", "not-taken": "contraindicated"}.get(
                resource.get("status")
            )
        if outcome is None:
            self.problem(
                f"{where}.extension",
                "the trial's outcome is required (ineffective, not_tolerated, contraindicated, effective or ongoing)",
            )
            ok = False
        elif outcome not in c.PREVENTIVE_OUTCOME_CODES:
            self.problem(f"{where}.extension", f"unknown preventive outcome '{outcome}'")
            ok = False
        period = resource.get("effectivePeriod") or {}
        start = _date(period.get("start") or resource.get("effectiveDateTime"))
        end = _date(period.get("end"))
        if start is None:
            self.problem(f"{where}.effectivePeriod.start", "the trial's start date is required")
            ok = False
        elif start > self.today:
            self.problem(
                f"{where}.effectivePeriod.start", "the trial's start date is in the future"
            )
            ok = False
        if start and end and end < start:
            self.problem(f"{where}.effectivePeriod.end", "the trial ends before it starts")
            ok = False
        dose = " ".join(
            str(d.get("text") or "") for d in resource.get("dosage") or [] if isinstance(d, dict)
        ).strip()
        if not ok or start is None or outcome is None:
            return None
        return ImportedTrial(
            drug=drug, drug_class=drug_class, start=start, end=end, outcome=outcome, dose=dose[:100]
        )

    # Procedure -----------------------------------------------------------
    def procedure(
        self, where: str, resource: dict, administrations: list[tuple[str, dict]]
    ) -> ImportedProcedure | None:
        ok = True
        if _code_in(resource.get("code"), c.CPT_SYSTEM) != c.CPT_CHEMODENERVATION_MIGRAINE:
            self.problem(
                f"{where}.code",
                "only chemodenervation sessions for chronic migraine (CPT 64615) can be imported",
            )
            ok = False
        if resource.get("status") in ("not-done", "entered-in-error", "preparation"):
            self.problem(
                f"{where}.status",
                f"a procedure with status '{resource.get('status')}' was not performed",
            )
            ok = False
        performed = _date(
            resource.get("performedDateTime")
            or (resource.get("performedPeriod") or {}).get("start")
        )
        if performed is None:
            self.problem(f"{where}.performedDateTime", "the session's date is required")
            ok = False
        elif performed > self.today:
            self.problem(f"{where}.performedDateTime", "the session's date is in the future")
            ok = False
        injections: list[tuple[str, Decimal]] = []
        total = Decimal(0)
        for ma_where, administration in administrations:
            dosage = administration.get("dosage") or {}
            units = _units(dosage.get("dose"))
            if units is None or units <= 0:
                self.problem(
                    f"{ma_where}.dosage.dose", "the dose must be a positive number of units (U)"
                )
                ok = False
                continue
            total += units
            site = _code_in(dosage.get("site"), c.INJECTION_SITE_CS)
            if site is not None:
                if site not in SITE_CATALOGUE:
                    self.problem(f"{ma_where}.dosage.site", f"unknown injection site '{site}'")
                    ok = False
                else:
                    injections.append((site, units))
        if not administrations:
            ext = _extension(resource, c.EXT_TOTAL_UNITS)
            units = _units((ext or {}).get("valueQuantity"))
            if units is None:
                self.problem(
                    f"{where}",
                    "the units injected are required (a MedicationAdministration partOf this Procedure, or the total-units extension)",
                )
                ok = False
            else:
                total = units
        if total < 0 or total > MAX_UNITS_PER_SESSION:
            self.problem(
                f"{where}", f"{total} U is outside 0-{MAX_UNITS_PER_SESSION} U per session"
            )
            ok = False
        sites = [s for s, _ in injections]
        if len(sites) != len(set(sites)):
            self.problem(f"{where}", "an injection site appears twice in one session")
            ok = False
        wasted_ext = _extension(resource, c.EXT_WASTED_UNITS)
        wasted = _units((wasted_ext or {}).get("valueQuantity")) or Decimal(0)
        if wasted < 0:
            self.problem(f"{where}.extension", "wasted units cannot be negative")
            ok = False
        if not ok or performed is None:
            return None
        return ImportedProcedure(
            performed_on=performed, total_units=total, wasted_units=wasted, injections=injections
        )


def _reference_targets(entry: dict, resource: dict) -> set[str]:
    """The ways other entries may refer to this entry."""
    targets = (
        {f"{resource.get('resourceType')}/{resource.get('id')}"} if resource.get("id") else set()
    )
    full_url = entry.get("fullUrl")
    if full_url:
        targets.add(full_url)
        if "/" in full_url and not full_url.startswith("urn:"):
            targets.add("/".join(full_url.rstrip("/").split("/")[-2:]))
    return targets


def parse_bundle(data: Any, *, today: date) -> tuple[ImportPlan | None, list[Problem]]:
    """Validate ``data`` (a parsed JSON Bundle) and turn it into an ImportPlan."""
    problems = schema_problems(data)
    if problems:
        return None, problems
    checker = _Checker(today)
    if data.get("type") not in BUNDLE_TYPES:
        checker.problem(
            "Bundle.type", "the Bundle's type must be transaction (or collection/searchset)"
        )
    entries = [e for e in data.get("entry") or [] if isinstance(e, dict)]
    located = [
        (f"Bundle.entry[{i}].resource", e, e.get("resource") or {}) for i, e in enumerate(entries)
    ]
    if data.get("type") == "transaction":
        for i, entry in enumerate(entries):
            method = (entry.get("request") or {}).get("method")
            if method not in ("POST", "PUT"):
                checker.problem(
                    f"Bundle.entry[{i}].request.method", "transaction entries must be POST or PUT"
                )
    patients = [(w, e, r) for w, e, r in located if r.get("resourceType") == "Patient"]
    if len(patients) != 1:
        checker.problem(
            "Bundle.entry", f"the Bundle must hold exactly one Patient (found {len(patients)})"
        )
        return None, checker.problems
    p_where, p_entry, p_resource = patients[0]
    patient_refs = _reference_targets(p_entry, p_resource)
    imported_patient = checker.patient(p_where, p_resource)

    procedure_refs: dict[str, int] = {}
    for index, (_w, entry, resource) in enumerate(located):
        if resource.get("resourceType") == "Procedure":
            for target in _reference_targets(entry, resource):
                procedure_refs[target] = index
    administrations: dict[int, list[tuple[str, dict]]] = {}
    plan_parts: dict[str, list] = {"diagnoses": [], "trials": [], "procedures": []}
    skipped: Counter = Counter()

    for where, _entry, resource in located:
        kind = resource.get("resourceType")
        if kind not in IMPORTED_TYPES:
            skipped[kind] += 1
            continue
        if kind == "Patient":
            continue
        subject = (resource.get("subject") or {}).get("reference")
        if subject not in patient_refs:
            checker.problem(
                f"{where}.subject", f"refers to '{subject}', not to the Bundle's Patient"
            )
            continue
        if kind == "MedicationAdministration":
            owners = [
                procedure_refs.get((ref or {}).get("reference"))
                for ref in resource.get("partOf") or []
            ]
            owners = [o for o in owners if o is not None]
            if not owners:
                checker.problem(
                    f"{where}.partOf",
                    "a MedicationAdministration must be partOf a Procedure in the Bundle",
                )
                continue
            administrations.setdefault(owners[0], []).append((where, resource))

    for index, (where, _entry, resource) in enumerate(located):
        kind = resource.get("resourceType")
        if (resource.get("subject") or {}).get("reference") not in patient_refs:
            continue
        if kind == "Condition":
            result = checker.condition(where, resource)
            if result:
                plan_parts["diagnoses"].append(result)
        elif kind == "MedicationStatement":
            result = checker.trial(where, resource)
            if result:
                plan_parts["trials"].append(result)
        elif kind == "Procedure":
            result = checker.procedure(where, resource, administrations.get(index, []))
            if result:
                plan_parts["procedures"].append(result)
    if checker.problems or imported_patient is None:
        return None, checker.problems
    return ImportPlan(patient=imported_patient, skipped=skipped, **plan_parts), []
