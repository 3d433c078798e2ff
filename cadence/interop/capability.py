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
                }
            ]
        resources.append(entry)
    resources.append({"type": "CodeSystem", "interaction": list(read)})
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
        "description": (
            "Cadence exports a patient's record (Patient/{id}/$everything), reads resources by id, "
            "searches patients by family name and birth date, and imports a referred patient from a "
            "transaction Bundle. Cadence-defined codes use these code systems: "
            + ", ".join(code_system_urls)
            + ". ICD-10-CM, CPT 64615 and HCPCS J0585 are used as published; SNOMED CT only for "
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
            }
        ],
    }
