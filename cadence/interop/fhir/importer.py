"""Parse and check a FHIR R4 Bundle for import (pure: no database).

Lenient about what it is sent, strict about what it keeps. ``parse_bundle(data,
today=...)`` accepts transaction, batch, collection and document Bundles (an IPS document
is a referral) and sorts every entry:

- kept: the one Patient; chronic-migraine Conditions (ICD-10-CM G43.7x/G43.E, or SNOMED CT
  124171000119105, an unnamed edition taken as the US edition, where alone that concept
  exists, and noted); other Conditions as coded history entries; MedicationStatements
  (Cadence's preventive trials when they carry Cadence's drug-class extension, else
  medication history, outcome unknown unless given) and MedicationRequests as medication
  history; Procedures coded CPT 64615 with their MedicationAdministrations (units, sites,
  vials with lot, expiry and size, each site's vial from its Medication's batch, time of
  day, performer), within the services' units bounds (0.1 U steps, 2.5-10 U per site,
  the follow-the-pain caps, 39 sites and 195 U per session: ``rules.plans``);
- skipped, with an informational issue naming type, id and why: everything else.

Each kept resource is validated with ``fhir.resources.R4B`` (R4B is the same as R4 for
every type Cadence keeps: Patient, Condition, MedicationStatement, MedicationRequest,
Medication, Procedure, MedicationAdministration; fhir.resources 8 ships no R4 package),
and its required bindings are checked (gender, clinicalStatus, verificationStatus,
status): an invalid code refuses the whole Bundle with an OperationOutcome naming it, it
is never rewritten. The result is an ``ImportPlan``; ``services.bundle_import`` writes it
in one transaction, matching an existing patient (identifier, then name + birth date).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from cadence.interop.fhir import codes as c
from cadence.rules.plans import PlannedSite, PlanTemplate, validate_plan
from cadence.rules.sites import (
    CUMULATIVE_MAX_UNITS,
    MAX_UNITS_PER_SESSION,
    SITE_CATALOGUE,
    format_units,
    units_off_step,
)
from cadence.rules.vials import canonical_lot

IMPORTED_TYPES = frozenset(
    {
        "Patient",
        "Condition",
        "MedicationStatement",
        "MedicationRequest",
        "Procedure",
        "MedicationAdministration",
    }
)
BUNDLE_TYPES = frozenset({"transaction", "batch", "collection", "document", "searchset"})
SEXES = c.ADMINISTRATIVE_GENDERS
#: Vial sizes Cadence stocks (treatments.VialLot.size_units).
VIAL_SIZES = frozenset({100, 200})
#: The most units an imported session may record as discarded. The reference gives no
#: figure; a session injects at most 195 U, and no more than 400 U may be given in any
#: 84 days, so more than 400 U drawn for one session cannot be right (conservative).
IMPORT_MAX_WASTED_UNITS = CUMULATIVE_MAX_UNITS

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
    #: Other systems' identifiers (system, value); Cadence's own is ``cadence_id``.
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    cadence_id: int | None = None


@dataclass
class ImportedDiagnosis:
    icd10_code: str
    confirmed_by_neurologist: bool
    neurologist: str = ""
    confirmed_on: date | None = None


@dataclass
class ImportedHistory:
    """A condition that is not chronic migraine, kept as sent."""

    display: str
    system: str = ""
    code: str = ""
    clinical_status: str = ""
    onset_on: date | None = None
    abated_on: date | None = None


@dataclass
class ImportedTrial:
    drug: str
    drug_class: str
    start: date
    outcome: str
    end: date | None = None
    dose: str = ""


@dataclass
class ImportedMedication:
    """Medication history: outcome ``unknown`` unless the sender gave one."""

    name: str
    system: str = ""
    code: str = ""
    status: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    outcome: str = "unknown"
    dose: str = ""


@dataclass
class ImportedVial:
    lot_number: str
    expires_on: date
    size_units: int


@dataclass
class ImportedProcedure:
    performed_on: date
    total_units: Decimal
    wasted_units: Decimal = Decimal(0)
    injections: list[tuple[str, Decimal]] = field(default_factory=list)
    performed_at: datetime | None = None
    performer: str = ""
    vials: list[ImportedVial] = field(default_factory=list)
    #: ``site code -> lot``: the vial each injection came from (its Medication's batch).
    injection_lots: dict[str, str] = field(default_factory=dict)


@dataclass
class EntryPlan:
    """What happens to one Bundle entry, in the Bundle's order."""

    resource_type: str
    resource_id: str
    action: (
        str  # patient, diagnosis, history, trial, medication, procedure, administration, skipped
    )
    item: int | None = None  # index into the plan's list for that action
    note: str = ""


@dataclass
class ImportPlan:
    patient: ImportedPatient
    diagnoses: list[ImportedDiagnosis] = field(default_factory=list)
    history: list[ImportedHistory] = field(default_factory=list)
    trials: list[ImportedTrial] = field(default_factory=list)
    medications: list[ImportedMedication] = field(default_factory=list)
    procedures: list[ImportedProcedure] = field(default_factory=list)
    entries: list[EntryPlan] = field(default_factory=list)
    #: Informational issues (location, message): skipped resources, assumptions made.
    notes: list[Problem] = field(default_factory=list)
    bundle_type: str = "transaction"

    @property
    def skipped(self) -> Counter:
        return Counter(e.resource_type for e in self.entries if e.action == "skipped")


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
    """A Quantity in toxin units as Decimal, else None: UCUM ``U`` or ``[iU]`` (and the
    common but invalid ``[U]``), or no code with the unit text "U"/"units"."""
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return None
    code = quantity.get("code")
    if code is not None and code not in c.ACCEPTED_TOXIN_UNIT_CODES:
        return None
    if code is None and quantity.get("unit") not in ("U", "units", "IU"):
        return None
    try:
        value = Decimal(str(quantity["value"]))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def _batch_lot(administration: dict) -> tuple[str, str] | None:
    """(where, lot) of the batch of the contained Medication a MedicationAdministration
    refers to (``medicationReference: #id``), else None."""
    reference = str((administration.get("medicationReference") or {}).get("reference") or "")
    if not reference.startswith("#"):
        return None
    for index, contained in enumerate(administration.get("contained") or []):
        if isinstance(contained, dict) and contained.get("id") == reference[1:]:
            lot = canonical_lot(str((contained.get("batch") or {}).get("lotNumber") or ""))
            return (f"contained[{index}].batch.lotNumber", lot) if lot else None
    return None


def _datetime(value: Any) -> datetime | None:
    """A FHIR dateTime with a time of day (and zone) as an aware datetime, else None."""
    if not isinstance(value, str) or "T" not in value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _status_code(concept: Any, system: str) -> str | None:
    """The code of a required-binding CodeableConcept (any coding in ``system``)."""
    return _code_in(concept, system)


# ------------------------------------------------------------------------ schema
def bundle_problems(data: Any) -> list[Problem]:
    """The Bundle's own shape (not its entries: those are validated only if kept)."""
    if not isinstance(data, dict):
        return [("Bundle", "the body must be a JSON object (a FHIR Bundle)")]
    if data.get("resourceType") != "Bundle":
        return [("resourceType", "resourceType must be Bundle")]
    if data.get("type") not in BUNDLE_TYPES:
        return [
            (
                "Bundle.type",
                "the Bundle's type must be transaction, batch, collection or document",
            )
        ]
    if not isinstance(data.get("entry", []), list):
        return [("Bundle.entry", "entry must be a list")]
    return []


def resource_problems(where: str, resource: dict) -> list[Problem]:
    """Structural validation of one kept resource with fhir.resources (R4B == R4 here)."""
    try:
        model = get_fhir_model_class(resource["resourceType"])
        model.model_validate(resource)
    except ValidationError as exc:
        return [
            (f"{where}.{_loc(err['loc'])}", err["msg"]) for err in exc.errors(include_url=False)
        ]
    except (ValueError, TypeError, KeyError) as exc:
        return [(where, str(exc))]
    return []


def schema_problems(data: Any) -> list[Problem]:
    """The whole Bundle against R4B (used by tests on what Cadence exports)."""
    problems = bundle_problems(data)
    if problems:
        return problems
    try:
        Bundle.model_validate(data)
    except ValidationError as exc:
        return [(_loc(err["loc"]), err["msg"]) for err in exc.errors(include_url=False)]
    return []


# ------------------------------------------------------------------------ semantics
class _Checker:
    def __init__(self, today: date) -> None:
        self.today = today
        self.problems: list[Problem] = []
        self.notes: list[Problem] = []

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
        sex = resource.get("gender") or "unknown"
        if sex not in SEXES:
            self.problem(
                f"{where}.gender",
                f"gender '{sex}' is not in the required value set (male, female, other, unknown)",
            )
        identifiers: list[tuple[str, str]] = []
        cadence_id = None
        for ident in resource.get("identifier") or []:
            if not isinstance(ident, dict) or not ident.get("value"):
                continue
            system, value = str(ident.get("system") or ""), str(ident["value"])
            if system == c.IDENTIFIER_SYSTEM_PATIENT and value.isdigit():
                cadence_id = int(value)
            elif system and len(system) <= 255 and len(value) <= 255:
                identifiers.append((system, value))
        if self.problems or born is None:
            return None
        return ImportedPatient(
            first_name=given,
            last_name=family,
            date_of_birth=born,
            sex=sex,
            email=email,
            phone=telecom.get("phone", ""),
            referring_clinician=referrer,
            identifiers=identifiers,
            cadence_id=cadence_id,
        )

    # Condition -----------------------------------------------------------
    def condition_bindings(self, where: str, resource: dict) -> tuple[str | None, str | None]:
        """clinicalStatus and verificationStatus: required bindings, never rewritten."""
        clinical = resource.get("clinicalStatus")
        clinical_code = _status_code(clinical, c.CONDITION_CLINICAL_SYSTEM)
        if clinical is not None and clinical_code not in c.CONDITION_CLINICAL_CODES:
            self.problem(
                f"{where}.clinicalStatus",
                f"clinicalStatus '{clinical_code or _codings(clinical)}' is not a code of "
                f"{c.CONDITION_CLINICAL_SYSTEM}",
            )
        verification = resource.get("verificationStatus")
        verification_code = _status_code(verification, c.CONDITION_VERIFICATION_SYSTEM)
        if verification is not None and verification_code not in c.CONDITION_VERIFICATION_CODES:
            self.problem(
                f"{where}.verificationStatus",
                f"verificationStatus '{verification_code or _codings(verification)}' is not a "
                f"code of {c.CONDITION_VERIFICATION_SYSTEM}",
            )
        return clinical_code, verification_code

    def chronic_migraine_code(self, where: str, code: Any) -> str | None:
        """The ICD-10-CM chronic-migraine code this Condition carries, if any: its own
        ICD-10-CM G43.7x/G43.E coding, else SNOMED CT 124171000119105 (US edition, -> G43.719)."""
        icd10 = _code_in(code, c.ICD10CM_SYSTEM)
        snomed = [
            cd
            for cd in _codings(code)
            if cd.get("system") == c.SNOMED_SYSTEM
            and cd.get("code") == c.SNOMED_US_CHRONIC_MIGRAINE
        ]
        usable = []
        for cd in snomed:
            version = cd.get("version")
            if version is None:
                self.notes.append(
                    (
                        f"{where}.code",
                        "SNOMED CT 124171000119105 sent without an edition: taken as the US "
                        "edition, where alone that concept exists",
                    )
                )
                usable.append(cd)
            elif str(version).startswith(c.SNOMED_US_EDITION):
                usable.append(cd)
            else:
                self.notes.append(
                    (
                        f"{where}.code",
                        f"SNOMED CT 124171000119105 named in edition {version}, where it does "
                        "not exist: not read as chronic migraine",
                    )
                )
        if icd10 in c.CHRONIC_MIGRAINE_ICD10:
            if usable and icd10 != c.SNOMED_US_ICD10_MATCH:
                self.problem(
                    f"{where}.code", f"SNOMED CT 124171000119105 maps to G43.719, not {icd10}"
                )
                return None
            return icd10
        if usable and icd10 is None:
            return c.SNOMED_US_ICD10_MATCH
        if usable:
            self.problem(
                f"{where}.code",
                f"SNOMED CT 124171000119105 (chronic migraine) contradicts ICD-10-CM {icd10}",
            )
        return None

    def condition(
        self, where: str, resource: dict
    ) -> ImportedDiagnosis | ImportedHistory | str | None:
        """A chronic-migraine diagnosis, a coded history entry, or why it is skipped (str)."""
        before = len(self.problems)
        clinical_code, verification = self.condition_bindings(where, resource)
        if verification in ("refuted", "entered-in-error"):
            return f"its verificationStatus is {verification}"
        code = resource.get("code")
        icd10 = self.chronic_migraine_code(where, code)
        if len(self.problems) > before:
            return None
        if icd10 is None:
            coding = next((cd for cd in _codings(code) if cd.get("code")), {})
            display = str(
                (code or {}).get("text") or coding.get("display") or coding.get("code") or ""
            ).strip()
            if not display:
                return "it names no condition (no code or text)"
            onset = _date(
                resource.get("onsetDateTime") or (resource.get("onsetPeriod") or {}).get("start")
            )
            return ImportedHistory(
                display=display[:255],
                system=str(coding.get("system") or "")[:255],
                code=str(coding.get("code") or "")[:64],
                clinical_status=clinical_code or "",
                onset_on=onset,
                abated_on=_date(resource.get("abatementDateTime")),
            )
        ext = _extension(resource, c.EXT_NEUROLOGIST)
        # Only Cadence's extension says a neurologist confirmed it: "confirmed" alone does not.
        confirmed = bool(ext.get("valueBoolean")) if ext else False
        confirmed_on = _date(resource.get("recordedDate"))
        ok = True
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

    # MedicationStatement / MedicationRequest -----------------------------
    def medication(
        self, where: str, resource: dict, medications: dict[str, dict]
    ) -> ImportedTrial | ImportedMedication | str | None:
        """Cadence's preventive trial (with its drug-class extension), else medication
        history; a skip reason (str) for one entered in error."""
        kind = resource.get("resourceType")
        status = resource.get("status")
        allowed = (
            c.MEDICATION_STATEMENT_STATUSES
            if kind == "MedicationStatement"
            else c.MEDICATION_REQUEST_STATUSES
        )
        if status not in allowed:
            self.problem(
                f"{where}.status",
                f"status '{status}' is not in the required value set of {kind}.status",
            )
            return None
        if status == "entered-in-error":
            return "its status is entered-in-error"
        if kind == "MedicationStatement" and _extension(resource, c.EXT_DRUG_CLASS):
            return self.trial(where, resource)
        concept = resource.get("medicationCodeableConcept")
        if concept is None:
            ref = (resource.get("medicationReference") or {}).get("reference")
            concept = (medications.get(ref) or {}).get("code")
        coding = next((cd for cd in _codings(concept) if cd.get("code")), {})
        name = str(
            (concept or {}).get("text")
            or next((cd.get("display") for cd in _codings(concept) if cd.get("display")), "")
            or ""
        ).strip()
        if not name:
            return "it names no medicine (no text, display or resolvable Medication)"
        outcome_ext = _extension(resource, c.EXT_PREVENTIVE_OUTCOME)
        outcome = _code_in((outcome_ext or {}).get("valueCodeableConcept"), c.PREVENTIVE_OUTCOME_CS)
        if outcome is not None and outcome not in c.PREVENTIVE_OUTCOME_CODES:
            self.problem(f"{where}.extension", f"unknown preventive outcome '{outcome}'")
            return None
        period = resource.get("effectivePeriod") or {}
        start = _date(
            period.get("start") or resource.get("effectiveDateTime") or resource.get("authoredOn")
        )
        if start is None and isinstance(period.get("start"), str) and len(period["start"]) >= 7:
            start = _date(period["start"][:7] + "-01")  # "2015-03": the month is what is known
        dose = " ".join(
            str(d.get("text") or "")
            for d in (resource.get("dosage") or resource.get("dosageInstruction") or [])
            if isinstance(d, dict)
        ).strip()
        return ImportedMedication(
            name=name[:255],
            system=str(coding.get("system") or "")[:255],
            code=str(coding.get("code") or "")[:64],
            status=str(status),
            started_on=start,
            ended_on=_date(period.get("end")),
            outcome=outcome or "unknown",
            dose=dose[:200],
        )

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
    def units_in_steps(self, where: str, units: Decimal) -> bool:
        """Units are recorded to 0.1 U (``rules.sites.UNITS_STEP``), as the services and
        the database keep them: 5.05 U is refused, never rounded."""
        if units_off_step(units):
            self.problem(where, f"Units are recorded to 0.1 U; {units} U doesn't fit.")
            return False
        return True

    def vials(self, where: str, administration: dict) -> list[ImportedVial]:
        """The session's vials: Cadence's vial extensions, else the Medication's batch."""
        vials: list[ImportedVial] = []
        for index, ext in enumerate(administration.get("extension") or []):
            if not isinstance(ext, dict) or ext.get("url") != c.EXT_VIAL:
                continue
            parts = {e.get("url"): e for e in ext.get("extension") or [] if isinstance(e, dict)}
            lot = str((parts.get("lot") or {}).get("valueString") or "").strip()
            expiry = _date((parts.get("expiry") or {}).get("valueDate"))
            size = _units((parts.get("size") or {}).get("valueQuantity"))
            here = f"{where}.extension[{index}]"
            if not lot or len(lot) > 40:
                self.problem(here, "a vial needs its lot number (at most 40 characters)")
            elif expiry is None:
                self.problem(here, f"vial lot {lot} needs its expiry date")
            elif size is None or int(size) not in VIAL_SIZES or size != int(size):
                self.problem(here, f"vial lot {lot}: the size must be 100 U or 200 U")
            else:
                vials.append(ImportedVial(lot, expiry, int(size)))
        return vials

    def procedure(
        self, where: str, resource: dict, administrations: list[tuple[str, dict]]
    ) -> ImportedProcedure | str | None:
        if _code_in(resource.get("code"), c.CPT_SYSTEM) != c.CPT_CHEMODENERVATION_MIGRAINE:
            return "it is not a chemodenervation session for chronic migraine (CPT 64615)"
        status = resource.get("status")
        if status not in c.PROCEDURE_STATUSES:
            self.problem(
                f"{where}.status",
                f"status '{status}' is not in the required value set of Procedure.status",
            )
            return None
        if status in ("not-done", "entered-in-error", "preparation"):
            return f"its status is {status}: not a session given"
        ok = True
        performed_text = resource.get("performedDateTime") or (
            resource.get("performedPeriod") or {}
        ).get("start")
        performed = _date(performed_text)
        performed_at = _datetime(performed_text)
        if performed is None:
            self.problem(f"{where}.performedDateTime", "the session's date is required")
            ok = False
        elif performed > self.today:
            self.problem(f"{where}.performedDateTime", "the session's date is in the future")
            ok = False
        performer = " ".join(
            str(((p or {}).get("actor") or {}).get("display") or "")
            for p in resource.get("performer") or []
            if isinstance(p, dict)
        ).strip()[:200]
        injections: list[tuple[str, Decimal]] = []
        dose_where: dict[str, str] = {}
        batch_where: dict[str, tuple[str, str]] = {}
        vials: list[ImportedVial] = []
        total = Decimal(0)
        for ma_where, administration in administrations:
            ma_status = administration.get("status")
            if ma_status not in c.MEDICATION_ADMINISTRATION_STATUSES:
                self.problem(
                    f"{ma_where}.status",
                    f"status '{ma_status}' is not in the required value set of "
                    "MedicationAdministration.status",
                )
                ok = False
                continue
            dosage = administration.get("dosage") or {}
            units = _units(dosage.get("dose"))
            if units is None or units <= 0:
                self.problem(
                    f"{ma_where}.dosage.dose",
                    "the dose must be a positive number of units (UCUM U or [iU])",
                )
                ok = False
                continue
            total += units
            if not vials:
                vials = self.vials(ma_where, administration)
            site = _code_in(dosage.get("site"), c.INJECTION_SITE_CS)
            if site is not None:
                if site not in SITE_CATALOGUE:
                    self.problem(f"{ma_where}.dosage.site", f"unknown injection site '{site}'")
                    ok = False
                else:
                    injections.append((site, units))
                    dose_where.setdefault(site, f"{ma_where}.dosage.dose")
                    batch = _batch_lot(administration)
                    if batch is not None:
                        batch_where[site] = (f"{ma_where}.{batch[0]}", batch[1])
            elif not self.units_in_steps(f"{ma_where}.dosage.dose", units):
                ok = False
        if not administrations:
            ext = _extension(resource, c.EXT_TOTAL_UNITS)
            units = _units((ext or {}).get("valueQuantity"))
            if units is None:
                self.problem(
                    f"{where}",
                    "the units injected are required (a MedicationAdministration partOf this Procedure, or the total-units extension)",
                )
                ok = False
            elif not self.units_in_steps(f"{where}.extension", units):
                ok = False
            else:
                total = units
        # The same bounds as the services (treatments.procedure_record checks what was
        # injected like a targeted plan): 0.1 U steps, 2.5-10 U per site, the
        # follow-the-pain caps, 39 sites and 195 U per session.
        reported = set()
        if injections:
            for found in validate_plan(
                PlanTemplate.custom,
                [PlannedSite(code, units) for code, units in injections],
                on=performed or self.today,
            ):
                reported.add(found.rule)
                self.problem(
                    dose_where.get(found.site or "", where),
                    f"The session is outside the bounds Cadence keeps: {found.message}.",
                )
                ok = False
        if (total < 0 or total > MAX_UNITS_PER_SESSION) and "session_max_units" not in reported:
            self.problem(
                f"{where}",
                f"{format_units(total)} U is outside 0-{MAX_UNITS_PER_SESSION} U per session.",
            )
            ok = False
        wasted_ext = _extension(resource, c.EXT_WASTED_UNITS)
        wasted = _units((wasted_ext or {}).get("valueQuantity")) or Decimal(0)
        if wasted < 0:
            self.problem(f"{where}.extension", "wasted units cannot be negative")
            ok = False
        elif wasted > IMPORT_MAX_WASTED_UNITS:
            self.problem(
                f"{where}.extension",
                f"{format_units(wasted)} U discarded is more than "
                f"{format_units(IMPORT_MAX_WASTED_UNITS)} U, more than a session can draw.",
            )
            ok = False
        elif not self.units_in_steps(f"{where}.extension", wasted):
            ok = False
        # Each injection's vial (issue 17): the lot of its Medication's batch, one of the
        # session's vials; with a single lot the importer defaults to it anyway.
        vial_lots = {vial.lot_number for vial in vials}
        injection_lots: dict[str, str] = {}
        for site, (lot_where, lot) in batch_where.items():
            if lot in vial_lots:
                injection_lots[site] = lot
            else:
                self.problem(
                    lot_where,
                    f"The dose at {site} came from lot {lot}, which is not one of the "
                    "session's vials (the vial extensions: lot, expiry and size).",
                )
                ok = False
        if not ok or performed is None:
            return None
        return ImportedProcedure(
            performed_on=performed,
            total_units=total,
            wasted_units=wasted,
            injections=injections,
            performed_at=performed_at,
            performer=performer,
            vials=vials,
            injection_lots=injection_lots,
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


def _entry_id(entry: dict, resource: dict) -> str:
    return str(resource.get("id") or entry.get("fullUrl") or "")


def parse_bundle(data: Any, *, today: date) -> tuple[ImportPlan | None, list[Problem]]:
    """Sort every entry of ``data`` (a parsed JSON Bundle) into an ImportPlan, or return
    the problems of what it would keep (nothing is kept then)."""
    problems = bundle_problems(data)
    if problems:
        return None, problems
    checker = _Checker(today)
    bundle_type = data["type"]
    entries = [e if isinstance(e, dict) else {} for e in data.get("entry") or []]
    located = [
        (f"Bundle.entry[{i}].resource", e, e.get("resource") or {}) for i, e in enumerate(entries)
    ]
    if bundle_type in ("transaction", "batch"):
        for i, entry in enumerate(entries):
            method = (entry.get("request") or {}).get("method")
            if method not in ("POST", "PUT"):
                checker.problem(
                    f"Bundle.entry[{i}].request.method",
                    f"{bundle_type} entries must be POST or PUT",
                )
    patients = [(w, e, r) for w, e, r in located if r.get("resourceType") == "Patient"]
    if len(patients) != 1:
        checker.problem(
            "Bundle.entry", f"the Bundle must hold exactly one Patient (found {len(patients)})"
        )
        return None, checker.problems
    p_where, p_entry, p_resource = patients[0]
    checker.problems.extend(resource_problems(p_where, p_resource))
    patient_refs = _reference_targets(p_entry, p_resource)
    imported_patient = checker.patient(p_where, p_resource)

    medications: dict[str, dict] = {}
    procedure_refs: dict[str, int] = {}
    for index, (_w, entry, resource) in enumerate(located):
        targets = _reference_targets(entry, resource)
        if resource.get("resourceType") == "Medication":
            medications.update(dict.fromkeys(targets, resource))
        if resource.get("resourceType") == "Procedure":
            procedure_refs.update(dict.fromkeys(targets, index))

    plan_lists: dict[str, list] = {
        "diagnosis": [],
        "history": [],
        "trial": [],
        "medication": [],
        "procedure": [],
    }
    plan_entries: list[EntryPlan] = []
    administrations: dict[int, list[tuple[str, dict]]] = {}
    owner_of: dict[int, int] = {}

    def skip(index: int, resource: dict, why: str) -> EntryPlan:
        kind = str(resource.get("resourceType") or "(no resourceType)")
        entry_plan = EntryPlan(kind, _entry_id(entries[index], resource), "skipped", note=why)
        checker.notes.append(
            (f"Bundle.entry[{index}]", f"{kind}/{entry_plan.resource_id} not imported: {why}")
        )
        return entry_plan

    # MedicationAdministrations belong to the Procedure they are partOf.
    for index, (where, _entry, resource) in enumerate(located):
        if resource.get("resourceType") != "MedicationAdministration":
            continue
        owners = [
            procedure_refs.get((ref or {}).get("reference")) for ref in resource.get("partOf") or []
        ]
        owners = [o for o in owners if o is not None]
        if owners and (resource.get("subject") or {}).get("reference") in patient_refs:
            administrations.setdefault(owners[0], []).append((where, resource))
            owner_of[index] = owners[0]

    procedure_item: dict[int, int | None] = {}
    for index, (where, _entry, resource) in enumerate(located):
        kind = resource.get("resourceType")
        if kind == "Patient":
            plan_entries.append(
                EntryPlan("Patient", _entry_id(entries[index], resource), "patient")
            )
            continue
        if kind not in IMPORTED_TYPES:
            plan_entries.append(skip(index, resource, "Cadence does not keep this type"))
            continue
        if kind == "MedicationAdministration":
            plan_entries.append(
                EntryPlan(kind, _entry_id(entries[index], resource), "administration")
            )
            continue  # settled below, with its Procedure
        subject = (resource.get("subject") or {}).get("reference")
        if subject not in patient_refs:
            plan_entries.append(
                skip(index, resource, f"its subject '{subject}' is not the Bundle's Patient")
            )
            continue
        before = len(checker.problems)
        if kind == "Condition":
            result = checker.condition(where, resource)
        elif kind in ("MedicationStatement", "MedicationRequest"):
            result = checker.medication(where, resource, medications)
        else:
            result = checker.procedure(where, resource, administrations.get(index, []))
        if isinstance(result, str):
            plan_entries.append(skip(index, resource, result))
            procedure_item[index] = None
            continue
        if result is None or len(checker.problems) > before:
            plan_entries.append(EntryPlan(kind, _entry_id(entries[index], resource), "refused"))
            continue
        checker.problems.extend(resource_problems(where, resource))
        action = {
            ImportedDiagnosis: "diagnosis",
            ImportedHistory: "history",
            ImportedTrial: "trial",
            ImportedMedication: "medication",
            ImportedProcedure: "procedure",
        }[type(result)]
        plan_lists[action].append(result)
        item = len(plan_lists[action]) - 1
        if action == "procedure":
            procedure_item[index] = item
        plan_entries.append(EntryPlan(kind, _entry_id(entries[index], resource), action, item))

    # Settle each MedicationAdministration: with its kept session, or skipped.
    for index, (where, _entry, resource) in enumerate(located):
        if resource.get("resourceType") != "MedicationAdministration":
            continue
        owner = owner_of.get(index)
        item = procedure_item.get(owner) if owner is not None else None
        if item is None:
            why = (
                "it is part of a Procedure that is not imported"
                if owner is not None
                else "it is not partOf a CPT 64615 Procedure of this Bundle's Patient"
            )
            plan_entries[index] = skip(index, resource, why)
        else:
            checker.problems.extend(resource_problems(where, resource))
            plan_entries[index].item = item
    if checker.problems or imported_patient is None:
        return None, checker.problems
    return (
        ImportPlan(
            patient=imported_patient,
            diagnoses=plan_lists["diagnosis"],
            history=plan_lists["history"],
            trials=plan_lists["trial"],
            medications=plan_lists["medication"],
            procedures=plan_lists["procedure"],
            entries=plan_entries,
            notes=checker.notes,
            bundle_type=bundle_type,
        ),
        [],
    )
