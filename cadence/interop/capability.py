"""The CapabilityStatement and Cadence's published code systems (as FHIR CodeSystems)."""

from __future__ import annotations

from django.conf import settings

from cadence.interop.fhir import codes as c
from cadence.rules.side_effects import SIDE_EFFECT_LABELS
from cadence.rules.sites import ALL_SITES


def code_system_tables() -> dict[str, tuple[str, dict[str, str]]]:
    """Cadence code systems: id -> (title, {code: display})."""
    return {
        "observation": ("Cadence diary and outcome observations", c.OBSERVATION_CODES),
        "peak-severity": ("Peak headache severity", c.PEAK_SEVERITY_CODES),
        "acute-drug-class": ("Acute (rescue) medicine classes", c.ACUTE_DRUG_CLASS_CODES),
        "injection-site": (
            "Injection sites (muscle, side, site number; PREEMPT and follow-the-pain)",
            {site.code: site.label for site in ALL_SITES},
        ),
        "questionnaire": (
            "MIDAS and HIT-6 questionnaires, items and scores",
            c.QUESTIONNAIRE_CODES,
        ),
        "hit6-answer": ("HIT-6 answer options", c.HIT6_ANSWER_CODES),
        "preventive-drug-class": ("Preventive medicine classes", c.PREVENTIVE_DRUG_CLASS_CODES),
        "preventive-outcome": ("Outcome of a preventive trial", c.PREVENTIVE_OUTCOME_CODES),
        "side-effect": (
            "Side effects after a session",
            {str(k): v for k, v in SIDE_EFFECT_LABELS.items()},
        ),
        "responder-rule": ("The payer profile's responder rule", c.RESPONDER_RULE_CODES),
        "response-status": ("Response to treatment", c.RESPONSE_STATUS_CODES),
    }


def code_system_resource(code_system_id: str) -> dict | None:
    table = code_system_tables().get(code_system_id)
    if table is None:
        return None
    title, concepts = table
    return {
        "resourceType": "CodeSystem",
        "id": code_system_id,
        "url": f"{c.CADENCE_FHIR_BASE}/CodeSystem/{code_system_id}",
        "name": "Cadence" + "".join(part.capitalize() for part in code_system_id.split("-")),
        "title": title,
        "status": "active",
        "content": "complete",
        "caseSensitive": True,
        "count": len(concepts),
        "concept": [{"code": code, "display": display} for code, display in concepts.items()],
    }


#: Cadence's extensions: id -> (title, context element, value type(s) or None for complex).
EXTENSIONS: dict[str, tuple[str, str, list[str] | None]] = {
    "acute-medication-relieved": (
        "Whether the acute medicine relieved the headache",
        "Observation.component",
        ["boolean"],
    ),
    "preventive-drug-class": (
        "Class of a preventive medicine",
        "MedicationStatement",
        ["CodeableConcept"],
    ),
    "preventive-outcome": (
        "Outcome of a preventive trial",
        "MedicationStatement",
        ["CodeableConcept"],
    ),
    "procedure-total-units": ("Toxin units injected in the session", "Procedure", ["Quantity"]),
    "procedure-wasted-units": ("Toxin units discarded in the session", "Procedure", ["Quantity"]),
    "confirmed-by-neurologist": (
        "Whether a neurologist confirmed the diagnosis",
        "Condition",
        ["boolean"],
    ),
    "vial": (
        "A vial opened in the session: lot, expiry date and size",
        "MedicationAdministration",
        None,
    ),
    "code-system": ("A code system Cadence publishes", "CapabilityStatement", ["uri"]),
}
_VIAL_PARTS = (("lot", "string"), ("expiry", "date"), ("size", "Quantity"))


def _element(path: str, ext_id: str, **extra) -> dict:
    return {"id": path, "path": path, **extra}


def structure_definition_resource(extension_id: str) -> dict | None:
    """The StructureDefinition of one Cadence extension (published at its canonical URL)."""
    spec = EXTENSIONS.get(extension_id)
    if spec is None:
        return None
    title, context, types = spec
    url = f"{c.CADENCE_FHIR_BASE}/StructureDefinition/{extension_id}"
    elements = [
        _element("Extension", extension_id, short=title, definition=title, min=0, max="*"),
    ]
    if types is None:
        for part, part_type in _VIAL_PARTS:
            slice_id = f"Extension.extension:{part}"
            elements += [
                {
                    "id": slice_id,
                    "path": "Extension.extension",
                    "sliceName": part,
                    "min": 1,
                    "max": "1",
                },
                {"id": f"{slice_id}.url", "path": "Extension.extension.url", "fixedUri": part},
                {
                    "id": f"{slice_id}.value[x]",
                    "path": "Extension.extension.value[x]",
                    "type": [{"code": part_type}],
                },
            ]
        elements += [
            _element("Extension.url", extension_id, fixedUri=url),
            _element("Extension.value[x]", extension_id, max="0"),
        ]
    else:
        elements += [
            _element("Extension.extension", extension_id, max="0"),
            _element("Extension.url", extension_id, fixedUri=url),
            _element("Extension.value[x]", extension_id, min=1, type=[{"code": t} for t in types]),
        ]
    return {
        "resourceType": "StructureDefinition",
        "id": extension_id,
        "url": url,
        "name": "".join(part.capitalize() for part in extension_id.split("-")),
        "title": title,
        "status": "active",
        "fhirVersion": "4.0.1",
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": context}],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {"element": elements},
    }


#: The HL7 Bulk Data Access IG (v2, R4): the CapabilityStatement Cadence instantiates
#: and the definitions of its three $export operations.
BULK_DATA_CAPABILITY = "http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"
BULK_EXPORT_OPERATIONS = {
    "system": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export",
    "patient": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export",
    "group": "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export",
}


def capability_statement(*, base_url: str, software_date: str = "2026-01-01") -> dict:
    read = [{"code": "read"}]
    resources = []
    for resource_type in c.RESOURCE_TYPES:
        entry: dict = {"type": resource_type, "interaction": list(read)}
        if resource_type == "Patient":
            entry["interaction"].append({"code": "search-type"})
            entry["searchParam"] = [
                {"name": "family", "type": "string", "documentation": "Family name (starts with)"},
                {"name": "birthdate", "type": "date", "documentation": "Birth date (YYYY-MM-DD)"},
            ]
            entry["operation"] = [
                {
                    "name": "everything",
                    "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything",
                },
                {"name": "export", "definition": BULK_EXPORT_OPERATIONS["patient"]},
            ]
        resources.append(entry)
    resources.append(
        {
            "type": "Group",
            "documentation": "One Group, all-patients, for Group/all-patients/$export.",
            "operation": [{"name": "export", "definition": BULK_EXPORT_OPERATIONS["group"]}],
        }
    )
    resources.append({"type": "CodeSystem", "interaction": list(read)})
    resources.append({"type": "StructureDefinition", "interaction": list(read)})
    code_system_urls = [f"{c.CADENCE_FHIR_BASE}/CodeSystem/{cs}" for cs in code_system_tables()]
    return {
        "resourceType": "CapabilityStatement",
        "id": "cadence",
        "url": f"{c.CADENCE_FHIR_BASE}/CapabilityStatement/cadence",
        "name": "Cadence",
        "title": f"{settings.CLINIC_NAME} – Cadence FHIR R4 interface",
        "status": "active",
        "date": software_date,
        "kind": "instance",
        "instantiates": [BULK_DATA_CAPABILITY],
        "description": (
            "Cadence exports a patient's record (Patient/{id}/$everything), reads resources by id, "
            "searches patients by family name and birth date, and imports a referred patient from a "
            "transaction Bundle. Cadence-defined codes use these code systems: "
            + ", ".join(code_system_urls)
            + ". FHIR Bulk Data Access (v2): $export, Patient/$export and "
            "Group/all-patients/$export with Prefer: respond-async, _type, _since and "
            "_outputFormat=application/fhir+ndjson, for clinicians."
            + " ICD-10-CM, CPT 64615 and HCPCS J0585 are used as published; SNOMED CT only for "
            "G43.719 with the US edition named. No LOINC codes are used for MIDAS or HIT-6."
        ),
        "implementation": {"description": "Cadence", "url": base_url},
        "software": {"name": "Cadence"},
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "extension": [{"url": c.EXT_CODE_SYSTEM, "valueUri": url} for url in code_system_urls],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "description": "Authorization: Bearer TOKEN (manage.py issue_token) or the signed-in session."
                },
                "resource": resources,
                "interaction": [{"code": "transaction"}],
                "operation": [{"name": "export", "definition": BULK_EXPORT_OPERATIONS["system"]}],
            }
        ],
    }
