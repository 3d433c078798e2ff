"""Pages of the treatments app: patient overview, plan builder with the head map, plan
review and consent, procedure note (record, sign, amend, PDF), vial stock, lot recall and
the patient's aftercare."""

from __future__ import annotations

import csv
from datetime import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_POST

from cadence.accounts.access import roles_required
from cadence.accounts.roles import CLINICAL_ROLES, PRESCRIBER_ROLES, RECALL_ROLES, Role
from cadence.accounts.validation import add_validation_errors, refusal_text
from cadence.audit.models import AuditAction
from cadence.audit.services import audit_record, audit_view
from cadence.patients import selectors as patient_selectors
from cadence.patients.access import patient_for_user
from cadence.rules.aftercare import (
    aftercare_instructions,
    aftercare_lines_to_show,
    aftercare_text,
    expected_course,
)
from cadence.rules.plans import PlannedSite, PlanTemplate, preempt_plan, validate_plan
from cadence.rules.sites import SITE_CATALOGUE, TRIGGER_AREAS, format_units
from cadence.rules.vials import canonical_lot
from cadence.security.csvcells import csv_row
from cadence.treatments import note_pages, selectors, services
from cadence.treatments.forms import (
    LOT_FOR,
    OtherToxinTreatmentForm,
    PlanConsentForm,
    ProcedureAmendForm,
    ProcedureForm,
    ProcedureVoidForm,
    VialReceiveForm,
)
from cadence.treatments.headmap import head_map_svg
from cadence.treatments.models import Procedure


# --- patient overview --------------------------------------------------------------------------
@roles_required(CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def patient_treatments(request, patient_id):
    """Plans, procedures and other toxin treatments of one patient."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    toxin_form = OtherToxinTreatmentForm(request.POST or None)
    if request.method == "POST":
        if request.user.role != Role.CLINICIAN:
            raise Http404("Only clinicians record other toxin treatments.")
        if toxin_form.is_valid():
            try:
                services.other_toxin_treatment_record(
                    patient=patient,
                    recorded_by=request.user,
                    request=request,
                    **toxin_form.cleaned_data,
                )
            except ValidationError as exc:
                add_validation_errors(toxin_form, exc)
            else:
                messages.success(request, "Other toxin treatment recorded.")
                return redirect("treatments:patient-treatments", patient_id=patient.pk)
    procedures = Paginator(selectors.procedures_for_patient(patient), 25).get_page(
        request.GET.get("page")
    )
    audit_view(request, patient=patient, summary="Viewed treatments")
    return render(
        request,
        "treatments/patient_treatments.html",
        {
            "patient": patient,
            "plans": selectors.plans_for_patient(patient)[:25],
            "procedures": procedures,
            "other_treatments": selectors.other_toxin_treatments(patient)[:25],
            "toxin_form": toxin_form,
        },
    )


# --- plan builder --------------------------------------------------------------------------------
def _builder_state(request_data) -> tuple[PlanTemplate, list[str]]:
    try:
        template = PlanTemplate(request_data.get("template") or "preempt")
    except ValueError:
        template = PlanTemplate.preempt
    codes: list[str] = []
    for code in request_data.getlist("site"):
        if code in SITE_CATALOGUE and code not in codes:
            if template is PlanTemplate.preempt and not SITE_CATALOGUE[code].follow_the_pain:
                continue
            codes.append(code)
    return template, codes


def _builder_url(patient, template, codes) -> str:
    query = urlencode([("template", str(template))] + [("site", c) for c in codes])
    return reverse("treatments:plan-create", kwargs={"patient_id": patient.pk}) + "?" + query


def _builder_context(patient, template: PlanTemplate, codes: list[str]) -> dict:
    chosen = [PlannedSite(code, SITE_CATALOGUE[code].default_units) for code in codes]
    planned = preempt_plan(chosen) if template is PlanTemplate.preempt else chosen
    problems = validate_plan(
        template,
        planned,
        on=timezone.localdate(),
        other_toxin_doses=selectors.other_toxin_doses(patient),
    )
    toggleable = [
        s for s in SITE_CATALOGUE.values() if template is PlanTemplate.custom or s.follow_the_pain
    ]
    toggle_urls = {}
    for site in toggleable:
        next_codes = (
            [c for c in codes if c != site.code] if site.code in codes else [*codes, site.code]
        )
        toggle_urls[site.code] = _builder_url(patient, template, next_codes)
    area_links = []
    if template is PlanTemplate.custom:
        for area in TRIGGER_AREAS.values():
            added = [c for c in area.site_codes if c not in codes]
            area_links.append(
                {
                    "label": area.label,
                    "url": _builder_url(patient, template, codes + added),
                    "complete": not added,
                }
            )
    total = sum((s.units for s in planned), 0)
    sites_with_units = [(SITE_CATALOGUE[s.code], s.units) for s in planned]
    return {
        "patient": patient,
        "template": str(template),
        "codes": codes,
        "planned": sites_with_units,
        "total": format_units(total),
        "site_count": len(planned),
        "problems": problems,
        "head_map": mark_safe(
            head_map_svg(sites_with_units, interactive=True, toggle_urls=toggle_urls)
        ),  # noqa: S308 - head_map_svg escapes all text
        "toggles": [
            {"site": site, "url": toggle_urls[site.code], "selected": site.code in codes}
            for site in toggleable
        ],
        "area_links": area_links,
        "preempt_url": _builder_url(patient, PlanTemplate.preempt, []),
        "custom_url": _builder_url(patient, PlanTemplate.custom, []),
    }


@roles_required(PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def plan_create(request, patient_id):
    """The plan builder: PREEMPT with follow-the-pain additions, or a targeted plan; each
    click on the head map adds or removes a site (htmx swaps the builder)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    data = request.POST if request.method == "POST" else request.GET
    template, codes = _builder_state(data)
    errors: list[str] = []
    if request.method == "POST":
        try:
            plan = services.treatment_plan_create(
                patient=patient,
                template=str(template),
                sites=[(c, SITE_CATALOGUE[c].default_units) for c in codes],
                created_by=request.user,
                notes=request.POST.get("notes", "")[:2000],
                request=request,
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                f"Plan saved: {format_units(plan.total_units)} U at {plan.site_count} sites.",
            )
            return redirect("treatments:plan-detail", patient_id=patient.pk, plan_id=plan.pk)
    context = _builder_context(patient, template, codes)
    context["errors"] = errors
    if request.htmx:
        return render(request, "treatments/_plan_builder.html", context)
    context["before"] = selectors.before_the_needle(patient, on=timezone.localdate())
    context["concurrent_preventives"] = patient_selectors.concurrent_preventives_for(
        patient, today=timezone.localdate()
    )
    return render(request, "treatments/plan_builder.html", context)


@roles_required(CLINICAL_ROLES)
def plan_detail(request, patient_id, plan_id):
    """The plan on the head map, and its review with the patient (aftercare, expected course,
    consent)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    sites = selectors.plan_sites(plan)
    audit_view(request, patient=patient, obj=plan, summary="Viewed a treatment plan")
    return render(
        request,
        "treatments/plan_detail.html",
        {
            "patient": patient,
            "plan": plan,
            "sites": sites,
            "head_map": mark_safe(head_map_svg(sites, interactive=False)),  # noqa: S308
            "aftercare": aftercare_instructions(),
            "course": expected_course(),
            "consent_form": PlanConsentForm(),
            "concurrent_preventives": patient_selectors.concurrent_preventives_for(
                patient, today=timezone.localdate()
            ),
        },
    )


@roles_required(CLINICAL_ROLES)
@require_POST
def plan_consent(request, patient_id, plan_id):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    form = PlanConsentForm(request.POST)
    if form.is_valid():
        try:
            services.treatment_plan_record_consent(
                plan=plan,
                consent_given_by=form.cleaned_data["consent_given_by"],
                recorded_by=request.user,
                request=request,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "Consent recorded.")
            return redirect("treatments:plan-detail", patient_id=patient.pk, plan_id=plan.pk)
    sites = selectors.plan_sites(plan)
    return render(
        request,
        "treatments/plan_detail.html",
        {
            "patient": patient,
            "plan": plan,
            "sites": sites,
            "head_map": mark_safe(head_map_svg(sites, interactive=False)),  # noqa: S308
            "aftercare": aftercare_instructions(),
            "course": expected_course(),
            "consent_form": form,
        },
        status=422,
    )


# --- procedures --------------------------------------------------------------------------------------
@roles_required(PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def procedure_create(request, patient_id, plan_id):
    """The procedure note, from a plan: sites default to the plan's, vials to the
    combination that wastes least (taken from stock, earliest expiry first)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    plan = selectors.plan_for_patient(patient, plan_id)
    sites = selectors.plan_sites(plan)
    today = timezone.localdate()
    sizes, lots = selectors.suggested_vial_lots(plan.total_units, on=today)
    now = timezone.localtime()
    initial = {
        "performed_on": today,
        "performed_time": now.strftime("%H:%M"),
        "vial_lots": ", ".join(lots),
        "aftercare_given": aftercare_text(),
        "consent_obtained": plan.has_consent,
    }
    typed = request.POST.get("vial_lots", "") if request.method == "POST" else initial["vial_lots"]
    lots = [canonical_lot(lot) for lot in typed.split(",") if lot.strip()]
    form = ProcedureForm(
        request.POST or None,
        initial=initial,
        sites=sites,
        lots=lots,
        co_signers=get_user_model()
        .objects.filter(role=Role.CLINICIAN, is_active=True)
        .exclude(pk=request.user.pk)
        .order_by("last_name", "first_name", "username"),
    )
    if (
        request.method == "POST"
        and form.chooses_vials
        and not any(key.startswith(LOT_FOR) for key in request.POST)
    ):
        # More than one lot typed on a form that did not ask yet: ask, save nothing.
        form.is_valid()
        form.add_error(
            None,
            "More than one lot was opened: choose the vial each site's dose came from "
            "(under Sites injected), then record the procedure.",
        )
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        performed_at = timezone.make_aware(
            datetime.combine(data["performed_on"], data["performed_time"])
        )
        try:
            procedure = services.procedure_record(
                patient=patient,
                plan=plan,
                performed_on=data["performed_on"],
                performed_at=performed_at,
                vial_lots=form.lots(),
                consent_obtained=data["consent_obtained"],
                clinician=request.user,
                injections=form.injections(),
                immediate_reactions=data["immediate_reactions"],
                aftercare_given=data["aftercare_given"],
                notes=data["notes"],
                confirm_second_session=data["confirm_second_session"],
                override_reason=data["override_reason"],
                co_signer=data["co_signer"],
                request=request,
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(request, "Procedure recorded. Check it and sign the note.")
            return redirect(
                "treatments:procedure-detail", patient_id=patient.pk, procedure_id=procedure.pk
            )
    return render(
        request,
        "treatments/procedure_form.html",
        {
            "patient": patient,
            "plan": plan,
            "form": form,
            "suggested_sizes": " + ".join(f"{s} U" for s in sizes),
            "suggested_lots": lots,
            "head_map": mark_safe(head_map_svg(sites, interactive=False)),  # noqa: S308
            "same_day": selectors.procedures_on_day(
                plan, (form.cleaned_data.get("performed_on") if form.is_bound else None) or today
            ),
            "before": selectors.before_the_needle(
                patient,
                on=(form.cleaned_data.get("performed_on") if form.is_bound else None) or today,
            ),
        },
        status=422 if request.method == "POST" else 200,
    )


def _with_rows(amendments) -> list:
    """Each amendment with its before/after rows in the clinic's words (`rows`)."""
    result = list(amendments)
    for amendment in result:
        amendment.rows = selectors.amendment_rows(amendment)
    return result


def _procedure_context(procedure: Procedure) -> dict:
    injections = selectors.procedure_injections(procedure)
    return {
        "patient": procedure.patient,
        "procedure": procedure,
        "injections": injections,
        "injection_groups": selectors.injections_by_muscle(injections),
        "vials": list(procedure.vials.prefetch_related("injections__site")),
        "billing": selectors.procedure_billing(procedure),
        "amendments": _with_rows(procedure.amendments.all()),
        "head_map": mark_safe(head_map_svg(injections, interactive=False, title="Sites injected")),  # noqa: S308
        "aftercare_lines": aftercare_lines_to_show(procedure.aftercare_given),
        "outside_protocol_reason": services.outside_protocol_text(procedure),
    }


@roles_required(CLINICAL_ROLES)
def procedure_detail(request, patient_id, procedure_id):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    audit_view(request, patient=patient, obj=procedure, summary="Viewed a procedure note")
    context = _procedure_context(procedure)
    context["void_form"] = ProcedureVoidForm()
    return render(request, "treatments/procedure_detail.html", context)


@roles_required(PRESCRIBER_ROLES)
@require_POST
def procedure_void(request, patient_id, procedure_id):
    """Void a draft note with a reason (kept, audited, counted nowhere)."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    form = ProcedureVoidForm(request.POST)
    done = note_pages.void_draft_posted(
        request,
        form,
        void=lambda reason: services.procedure_void(
            procedure=procedure, voided_by=request.user, reason=reason, request=request
        ),
        note_url=_procedure_url(patient, procedure),
    )
    if done is not None:
        return done
    audit_view(request, patient=patient, obj=procedure, summary="Viewed a procedure note")
    context = _procedure_context(procedure)
    context["void_form"] = form
    return render(request, "treatments/procedure_detail.html", context, status=422)


# --- clinic worklists of the gate -----------------------------------------------------------
@roles_required(CLINICAL_ROLES)
def outside_protocol_list(request):
    """Sessions that went ahead on an override, for the clinic's review."""
    rows = Paginator(selectors.outside_protocol_sessions(), 50).get_page(request.GET.get("page"))
    for procedure in rows:
        procedure.outside_protocol_reason = services.outside_protocol_text(procedure)
    audit_view(request, summary="Viewed the outside-protocol sessions worklist")
    return render(request, "treatments/outside_protocol.html", {"rows": rows})


@roles_required(CLINICAL_ROLES)
def notes_to_sign_list(request):
    """Draft notes older than a day: sign them, or void them with a reason."""
    rows = Paginator(selectors.notes_to_sign(), 50).get_page(request.GET.get("page"))
    audit_view(request, summary="Viewed the notes-to-sign worklist")
    return render(
        request,
        "treatments/notes_to_sign.html",
        {"rows": rows, "hours": selectors.DRAFT_SIGN_WITHIN_HOURS},
    )


@roles_required(PRESCRIBER_ROLES)
@require_POST
def procedure_sign(request, patient_id, procedure_id):
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    try:
        services.procedure_sign(procedure=procedure, signed_by=request.user, request=request)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    except PermissionDenied as exc:
        # Not the performer or their co-signer: said on the note's page, nothing signed.
        messages.error(request, str(exc))
    else:
        messages.success(request, "Note signed. Later changes are amendments.")
    return redirect("treatments:procedure-detail", patient_id=patient.pk, procedure_id=procedure.pk)


@roles_required(PRESCRIBER_ROLES)
@require_http_methods(["GET", "POST"])
def procedure_amend(request, patient_id, procedure_id):
    """Amend a signed note: the original and every amendment stay on record."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    return note_pages.amend_signed_page(
        request,
        procedure,
        form_class=ProcedureAmendForm,
        fields=services.AMENDABLE_TEXT_FIELDS,
        amend=lambda **changes: services.procedure_amend(
            procedure=procedure, amended_by=request.user, request=request, **changes
        ),
        note_url=_procedure_url(patient, procedure),
        template="treatments/procedure_amend.html",
        context={"patient": patient, "procedure": procedure},
    )


def _procedure_url(patient, procedure) -> str:
    return reverse(
        "treatments:procedure-detail",
        kwargs={"patient_id": patient.pk, "procedure_id": procedure.pk},
    )


@roles_required(CLINICAL_ROLES)
def procedure_pdf(request, patient_id, procedure_id):
    """The procedure note as a PDF (WeasyPrint), with the head map."""
    import weasyprint
    from django.template.loader import render_to_string

    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    context = _procedure_context(procedure)
    context["generated_at"] = timezone.now()
    html = render_to_string("treatments/procedure_pdf.html", context, request=request)
    pdf = weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        patient=patient,
        obj=procedure,
        request=request,
        summary="Procedure note PDF",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="procedure-{procedure.pk}.pdf"'
    return response


@roles_required(CLINICAL_ROLES)
def procedure_aftercare(request, patient_id, procedure_id):
    """Printable aftercare sheet of a procedure, to hand to the patient."""
    patient = patient_for_user(request.user, patient_id, clinical=True)
    procedure = selectors.procedure_for_patient(patient, procedure_id)
    audit_view(request, patient=patient, obj=procedure, summary="Viewed aftercare sheet")
    return render(
        request,
        "treatments/aftercare.html",
        {
            "patient": patient,
            "procedure": procedure,
            "aftercare_lines": aftercare_lines_to_show(procedure.aftercare_given),
            "course": expected_course(),
        },
    )


@roles_required(Role.PATIENT)
def my_aftercare(request):
    """The patient's aftercare after their latest session."""
    patient = patient_for_user(request.user, request.user.patient_id, clinical=True)
    procedure = selectors.latest_signed_procedure(patient)
    audit_view(request, patient=patient, obj=procedure, summary="Viewed own aftercare")
    return render(
        request,
        "treatments/aftercare.html",
        {
            "patient": patient,
            "procedure": procedure,
            "own": True,
            "aftercare_lines": (
                aftercare_lines_to_show(procedure.aftercare_given) if procedure else []
            ),
            "course": expected_course(),
        },
    )


# --- vials and recall ------------------------------------------------------------------------------------
@roles_required(CLINICAL_ROLES)
@require_http_methods(["GET", "POST"])
def vial_list(request):
    """Vial stock by lot (earliest expiry first) and the form to receive vials."""
    form = VialReceiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lot = services.vial_receive(
                received_by=request.user, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_validation_errors(form, exc)
        else:
            messages.success(
                request,
                f"Received into stock: lot {lot.lot_number}, {lot.quantity_remaining} vials remaining.",
            )
            return redirect("treatments:vial-list")
    lots = Paginator(selectors.vial_stock(), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "treatments/vial_list.html",
        {"form": form, "lots": lots, "today": timezone.localdate()},
        status=422 if request.method == "POST" else 200,
    )


@roles_required(RECALL_ROLES)
def lot_recall(request):
    """Find every patient that received a lot (whatever its letter case): each patient
    once with all their dates, signed notes apart from drafts; a lot the clinic never
    received says so."""
    lot = canonical_lot(request.GET.get("lot"))[:40]
    groups = None
    received = None
    procedure_count = 0
    if lot:
        received = selectors.lot_received(lot)
        if received:
            rows = selectors.lot_recall(lot)
            procedure_count = len(rows)
            groups = selectors.lot_recall_patients(rows)
            audit_view(
                request,
                object_type="treatments.viallot",
                object_id=lot,
                summary=f"Lot recall lookup: {len(rows)} procedures",
                details={"lot": lot},
            )
    return render(
        request,
        "treatments/lot_recall.html",
        {
            "lot": lot,
            "received": received,
            "groups": groups,
            "procedure_count": procedure_count,
        },
    )


@roles_required(RECALL_ROLES)
def lot_recall_csv(request):
    """CSV of the patients who received a lot, for the clinic to contact them (audited)."""
    lot = canonical_lot(request.GET.get("lot"))[:40]
    if not lot:
        raise Http404("Name a lot.")
    if not selectors.lot_received(lot):
        raise Http404("The clinic never received this lot.")
    rows = selectors.lot_recall(lot)
    audit_record(
        actor=request.user,
        action=AuditAction.EXPORT,
        object_type="treatments.viallot",
        object_id=lot,
        request=request,
        summary=f"Lot recall CSV: {len(rows)} procedures",
        details={"lot": lot},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="recall-{"".join(c for c in lot if c.isalnum() or c in "-_")}.csv"'
    )
    writer = csv.writer(response)
    writer.writerow(
        [
            "lot",
            "performed_on",
            "procedure_id",
            "patient_id",
            "patient_name",
            "email",
            "phone",
            "vials",
        ]
    )
    for r in rows:
        # Every cell through the one neutraliser (issue 21, finding 8): the lot number too.
        writer.writerow(
            csv_row(
                [
                    lot,
                    r["performed_on"].isoformat(),
                    r["procedure_id"],
                    r["patient_id"],
                    r["patient_name"],
                    r["email"],
                    r["phone"],
                    r["vials"],
                ]
            )
        )
    return response
