"""The candidacy page: criteria, flags and alternatives from the record, and the
clinician's decision. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, Role
from cadence.accounts.validation import add_validation_errors
from cadence.audit.services import audit_view
from cadence.candidacy import selectors, services
from cadence.candidacy.forms import CandidacyDecisionForm
from cadence.patients.access import patient_for_user
from cadence.rules.candidacy import flag_question

CRITERION_LABELS = {
    "chronic_migraine": "Chronic migraine (ICHD-3)",
    "neurologist_diagnosis": "Neurologist's diagnosis",
    "preventive_failures": "Preventive medicines failed",
    "no_contraindication": "No contraindication",
    "adult": "Adult (18+)",
}


def _candidacy_page(request, patient, form, status=200):
    candidacy = selectors.candidacy_for(patient, today=timezone.localdate())
    audit_view(request, summary="Viewed candidacy", patient=patient)
    return render(
        request,
        "candidacy/candidacy.html",
        {
            "patient": patient,
            "candidacy": candidacy,
            "result": candidacy.result,
            "form": form,
            "criteria_rows": [
                (CRITERION_LABELS.get(c.code, c.code), c) for c in candidacy.result.criteria
            ],
            "flag_rows": [
                {"code": f.code, "question": flag_question(f.code), "detail": f.detail}
                for f in candidacy.result.flags
            ],
            "unanswered_questions": [
                flag_question(code) for code in candidacy.result.unanswered_screening
            ],
            "can_decide": request.user.role == Role.CLINICIAN,
        },
        status=status,
    )


@roles_required(CLINICAL_ROLES)
def candidacy(request, patient_id: int):
    """The candidacy criteria, flags and alternatives, and the clinician's decision."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    return _candidacy_page(request, patient, CandidacyDecisionForm())


@roles_required(Role.CLINICIAN)
@require_POST
def candidacy_decide(request, patient_id: int):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    form = CandidacyDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.candidacy_decide(
                actor=request.user, patient=patient, request=request, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, "Decision recorded.")
            return redirect("candidacy:candidacy", patient_id=patient.pk)
    return _candidacy_page(request, patient, form, status=422)
