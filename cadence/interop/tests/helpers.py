"""Shared helpers for the interop tests."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle


def response_json(response) -> dict:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return json.loads(body)


def validate_bundle(bundle: dict) -> Bundle:
    """Every resource of the Bundle validates with fhir.resources' R4B models."""
    return Bundle.model_validate(bundle)


def resources_of(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"]
        for e in bundle.get("entry", [])
        if e["resource"]["resourceType"] == resource_type
    ]


def as_transaction(bundle: dict) -> dict:
    """An exported searchset turned into a transaction Bundle (what a partner would POST)."""
    entries = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        entries.append(
            {
                "fullUrl": entry["fullUrl"],
                "resource": resource,
                "request": {"method": "POST", "url": resource["resourceType"]},
            }
        )
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}
