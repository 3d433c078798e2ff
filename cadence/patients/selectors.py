"""Reads of patient records."""

from __future__ import annotations

from cadence.rules.payer import DEFAULT_PAYER_PROFILE, PayerProfile


def payer_profile_for(patient) -> PayerProfile:
    """The payer rules that apply to this patient (minimum preventive classes, minimum
    re-treatment interval, responder rule). Until a patient has a payer profile of their
    own, the clinic default from clinic-reference.md applies."""
    return DEFAULT_PAYER_PROFILE
