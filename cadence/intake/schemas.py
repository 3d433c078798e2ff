"""Schemas of the intake API."""

from datetime import date, datetime
from typing import Literal

from ninja import Schema


class ConsultationRequestIn(Schema):
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date | None = None
    preferred_contact: Literal["phone", "email"]
    message: str = ""
    consent_to_contact: bool
    website: str = ""  # the honeypot: people leave it empty


class ConsultationRequestCreatedOut(Schema):
    id: int
    status: str


class ConsultationRequestOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    phone: str
    date_of_birth: date | None
    preferred_contact: str
    message: str
    self_check_summary: str
    status: str
    closed_reason: str
    patient_id: int | None
    created_at: datetime
