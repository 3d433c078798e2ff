"""Writes of the intake app: consultation requests, the spam guard and the staff inbox."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cadence.accounts.validation import RATE_LIMITED, refusal
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record
from cadence.intake.models import (
    STATUS_ORDER,
    ConsultationRequest,
    PreferredContact,
    RateLimitHit,
    RequestNote,
    RequestStatus,
)
from cadence.patients.contact import check_email, normalise_phone
from cadence.patients.models import Patient
from cadence.patients.services import patient_create

logger = logging.getLogger(__name__)

#: Public consultation requests accepted from one address in one window (spam guard).
CONSULTATION_REQUESTS_PER_ADDRESS = 5
CONSULTATION_REQUEST_WINDOW = timedelta(hours=1)
RATE_LIMIT_SCOPE = "consultation_request"
MAX_MESSAGE_LENGTH = 4000


@dataclass(frozen=True)
class SubmissionReceipt:
    """What the visitor is told. ``consultation_request`` is None for a honeypot hit: the
    answer looks the same but nothing was stored."""

    id: int
    status: str
    consultation_request: ConsultationRequest | None


def rate_limit_hit(*, scope: str, address: str, limit: int, window: timedelta) -> None:
    """Count one submission from the address; refused (code `RATE_LIMITED`, answered 429)
    when over the limit. Hits older than the window are removed as we go."""
    now = timezone.now()
    since = now - window
    with transaction.atomic():
        RateLimitHit.objects.filter(scope=scope, created_at__lt=since).delete()
        recent = RateLimitHit.objects.filter(
            scope=scope, address=address, created_at__gte=since
        ).count()
        if recent >= limit:
            raise refusal(
                None,
                "Too many requests from your address. Please try again in an hour or call us.",
                code=RATE_LIMITED,
            )
        RateLimitHit.objects.create(scope=scope, address=address, created_at=now)


def consultation_request_problems(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    date_of_birth: date | None,
    preferred_contact: str,
    message: str,
    consent_to_contact: bool,
) -> tuple[dict[str, str], dict[str, object]]:
    """Check a request: (errors by field, cleaned values)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for name, value in (("first_name", first_name), ("last_name", last_name)):
        text = (value or "").strip()
        if not text:
            errors[name] = "Enter your " + ("first" if name == "first_name" else "last") + " name."
        elif len(text) > 100:
            errors[name] = "Use at most 100 characters."
        cleaned[name] = text
    try:
        cleaned["email"] = check_email(email)
    except ValueError as error:
        errors["email"] = str(error)
    try:
        cleaned["phone"] = normalise_phone(phone)
    except ValueError as error:
        errors["phone"] = str(error)
    if date_of_birth is not None and date_of_birth >= timezone.localdate():
        errors["date_of_birth"] = "Your date of birth must be in the past."
    cleaned["date_of_birth"] = date_of_birth
    if preferred_contact not in PreferredContact.values:
        errors["preferred_contact"] = "Choose phone or email."
    cleaned["preferred_contact"] = preferred_contact
    text = (message or "").strip()
    if len(text) > MAX_MESSAGE_LENGTH:
        errors["message"] = f"Keep the message under {MAX_MESSAGE_LENGTH} characters."
    cleaned["message"] = text
    if consent_to_contact is not True:
        errors["consent_to_contact"] = "We can only answer if you agree that we may contact you."
    return errors, cleaned


def _send_acknowledgement(consultation_request: ConsultationRequest) -> None:
    body = render_to_string(
        "intake/acknowledgement_email.txt",
        {"consultation_request": consultation_request, "clinic_name": settings.CLINIC_NAME},
    )
    try:
        send_mail(
            subject=f"{settings.CLINIC_NAME}: we received your consultation request",
            message=body,
            from_email=None,
            recipient_list=[consultation_request.email],
        )
    except Exception:  # noqa: BLE001 - the request is stored; staff will still call back
        logger.exception(
            "Could not send the acknowledgement for request %s", consultation_request.pk
        )


def consultation_request_submit(
    *,
    first_name: str,
    last_name: str,
    email: str,
    phone: str,
    date_of_birth: date | None,
    preferred_contact: str,
    message: str,
    consent_to_contact: bool,
    self_check_summary: str = "",
    honeypot: str = "",
    address: str | None,
    request=None,
) -> SubmissionReceipt:
    """Store a consultation request from the public and acknowledge it by email.

    Raises ValidationError (by field) for bad input, or with code `RATE_LIMITED` when the
    address sent too many. A filled honeypot is answered like a success but nothing is stored or sent."""
    errors, cleaned = consultation_request_problems(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        date_of_birth=date_of_birth,
        preferred_contact=preferred_contact,
        message=message,
        consent_to_contact=consent_to_contact,
    )
    if honeypot.strip():
        rate_limit_hit(
            scope=RATE_LIMIT_SCOPE,
            address=address or "unknown",
            limit=CONSULTATION_REQUESTS_PER_ADDRESS,
            window=CONSULTATION_REQUEST_WINDOW,
        )
        return SubmissionReceipt(id=0, status=RequestStatus.NEW, consultation_request=None)
    if errors:
        raise ValidationError(errors)
    rate_limit_hit(
        scope=RATE_LIMIT_SCOPE,
        address=address or "unknown",
        limit=CONSULTATION_REQUESTS_PER_ADDRESS,
        window=CONSULTATION_REQUEST_WINDOW,
    )
    with transaction.atomic():
        consultation_request = ConsultationRequest.objects.create(
            **cleaned,
            consent_to_contact=True,
            self_check_summary=self_check_summary.strip()[:1000],
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            summary="Consultation request received",
            obj=consultation_request,
            request=request,
        )
    _send_acknowledgement(consultation_request)
    return SubmissionReceipt(
        id=consultation_request.pk,
        status=consultation_request.status,
        consultation_request=consultation_request,
    )


def consultation_request_set_status(
    *, actor, consultation_request: ConsultationRequest, status: str, reason: str = "", request=None
) -> ConsultationRequest:
    """Move a request along new -> contacted -> consultation booked -> closed (a reason is
    needed to close; a request never moves back)."""
    if status not in RequestStatus.values:
        raise ValidationError({"status": "Choose one of the listed statuses."})
    current = STATUS_ORDER.index(RequestStatus(consultation_request.status))
    wanted = STATUS_ORDER.index(RequestStatus(status))
    if wanted < current:
        raise ValidationError(
            {
                "status": f"A request that is {consultation_request.get_status_display().lower()} cannot go back."
            }
        )
    if status == RequestStatus.CLOSED and not reason.strip():
        raise ValidationError({"reason": "Say why the request is closed."})
    with transaction.atomic():
        previous = consultation_request.status
        consultation_request.status = status
        if status == RequestStatus.CLOSED:
            consultation_request.closed_reason = reason.strip()
        consultation_request.status_changed_at = timezone.now()
        consultation_request.status_changed_by = actor
        consultation_request.save(
            update_fields=["status", "closed_reason", "status_changed_at", "status_changed_by"]
        )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary=f"Consultation request {previous} -> {status}",
            obj=consultation_request,
            patient_id=consultation_request.patient_id,
            request=request,
        )
    return consultation_request


def consultation_request_add_note(
    *, actor, consultation_request: ConsultationRequest, text: str, request=None
) -> RequestNote:
    if not text.strip():
        raise ValidationError({"text": "Write the note first."})
    with transaction.atomic():
        note = RequestNote.objects.create(
            consultation_request=consultation_request, text=text.strip(), author=actor
        )
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            summary="Note on a consultation request",
            obj=consultation_request,
            patient_id=consultation_request.patient_id,
            request=request,
        )
    return note


def consultation_request_convert(
    *,
    actor,
    consultation_request: ConsultationRequest,
    date_of_birth: date | None = None,
    sex: str = "unknown",
    request=None,
) -> Patient:
    """Create the patient record from the request (no retyping) and link the two. The
    date of birth comes from the request unless the visitor left it out."""
    if consultation_request.patient_id is not None:
        raise ValidationError({"__all__": "This request already has a patient record."})
    born = consultation_request.date_of_birth or date_of_birth
    if born is None:
        raise ValidationError(
            {"date_of_birth": "Ask for the date of birth: the patient record needs it."}
        )
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=consultation_request.pk)
        if locked.patient_id is not None:
            raise ValidationError({"__all__": "This request already has a patient record."})
        patient = patient_create(
            actor=actor,
            first_name=locked.first_name,
            last_name=locked.last_name,
            date_of_birth=born,
            sex=sex,
            email=locked.email,
            phone=locked.phone,
            request=request,
        )
        locked.patient = patient
        locked.save(update_fields=["patient"])
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            summary="Consultation request converted to a patient",
            obj=locked,
            patient=patient,
            request=request,
        )
        # Someone spoke with the visitor to make the record: at least "contacted".
        _advance(locked, RequestStatus.CONTACTED, actor=actor, request=request)
    consultation_request.patient = patient
    consultation_request.status = locked.status
    return patient


def _advance(consultation_request: ConsultationRequest, status: str, *, actor, request) -> None:
    """Move the request forward to `status` if it is behind it (never back, never out of
    closed), with its audit entry."""
    current = STATUS_ORDER.index(RequestStatus(consultation_request.status))
    if consultation_request.status == RequestStatus.CLOSED:
        return
    if current < STATUS_ORDER.index(RequestStatus(status)):
        consultation_request_set_status(
            actor=actor, consultation_request=consultation_request, status=status, request=request
        )


#: The appointment kind (scheduling's value) that a consultation request is waiting for.
CONSULTATION_KIND = "consultation"


def consultation_requests_follow_patient(
    *, patient_id: int, status: str, actor, request=None
) -> None:
    """The patient's consultation was booked (`booked`) or attended (`converted`): the
    requests converted into this patient follow, each with its audit entry."""
    with transaction.atomic():
        linked = ConsultationRequest.objects.select_for_update().filter(patient_id=patient_id)
        for consultation_request in linked:
            _advance(consultation_request, status, actor=actor, request=request)


def on_appointment_booked(sender, *, patient_id, kind, actor, request=None, **kwargs) -> None:
    """Receiver of `patients.signals.appointment_booked` (connected in `IntakeConfig`)."""
    if kind == CONSULTATION_KIND:
        consultation_requests_follow_patient(
            patient_id=patient_id, status=RequestStatus.BOOKED, actor=actor, request=request
        )


def on_appointment_attended(sender, *, patient_id, kind, actor, request=None, **kwargs) -> None:
    """Receiver of `patients.signals.appointment_attended` (connected in `IntakeConfig`)."""
    if kind == CONSULTATION_KIND:
        consultation_requests_follow_patient(
            patient_id=patient_id, status=RequestStatus.CONVERTED, actor=actor, request=request
        )
