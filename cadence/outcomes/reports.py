"""What the outcome pages and PDF documents show, and the PDF rendering (WeasyPrint, from
the same partial templates as the web page)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string

from cadence.outcomes import charts, selectors
from cadence.outcomes.selectors import PatientOutcomes
from cadence.patients.selectors import payer_member_id_for

REPORTS = {
    "progress": ("outcomes/pdf/progress_report.html", "Patient progress report"),
    "referrer": ("outcomes/pdf/referrer_letter.html", "Letter to the referring clinician"),
    "continuation": ("outcomes/pdf/continuation_packet.html", "Payer continuation packet"),
}

STATUS_WORDS = {
    "responder": "Responder",
    "partial": "Partial response",
    "non_responder": "Non-responder",
    "insufficient_data": "Not enough data yet",
}


def _one_decimal(value: float) -> str:
    """As Django's ``floatformat:"-1"`` shows the rules' 0.1-rounded numbers: "12", "12.5"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _day(value) -> str:
    """A date as the ``date:"j M Y"`` filter shows it in English: "3 Mar 2025"."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

_PERIOD_COLUMNS = (
    "headache_days",
    "migraine_days",
    "moderate_severe_days",
    "headache_hours",
    "acute_medication_days",
    "triptan_days",
)


def period_rows(outcome: PatientOutcomes) -> list[dict]:
    """The period table's rows with their numbers and dates already formatted (the page
    renders one row per 28-day period; formatting here keeps the template a plain loop)."""
    periods = ([(outcome.baseline, "Baseline")] if outcome.baseline else []) + [
        (p, "") for p in outcome.periods
    ]
    rows = []
    for period, label in periods:
        enough = period.headache_days is not None
        rows.append(
            {
                "label": label,
                "dates": f"{_day(period.start)} – {_day(period.end)}",
                "running": not period.complete,
                "days_recorded": period.days_recorded,
                # A recorded historical baseline has headache (and perhaps migraine)
                # days only: the other columns say so.
                "values": [
                    "not recorded" if value is None else _one_decimal(value)
                    for value in (getattr(period, name) for name in _PERIOD_COLUMNS)
                ]
                if enough
                else None,
            }
        )
    return rows


def curve_rows(outcome: PatientOutcomes) -> list[dict]:
    """The effect-curve table's rows, formatted here like the period table."""
    return [
        {
            "session": _day(curve.session_date),
            "weeks": [
                "–" if week.headache_days is None else _one_decimal(week.headache_days)
                for week in curve.weeks
            ],
            "onset": f"week {curve.onset_week}" if curve.onset_week else "–",
            "best": f"week {curve.best_week}" if curve.best_week else "–",
        }
        for curve in outcome.curves
    ]


def outcome_context(outcome: PatientOutcomes) -> dict:
    """Template context shared by the clinician page and the PDF documents."""
    scores = outcome.questionnaires
    return {
        "outcome": outcome,
        "patient": outcome.patient,
        "status_words": STATUS_WORDS[outcome.response.status],
        "week_24_words": STATUS_WORDS[outcome.week_24_response.status],
        # migraine, moderate/severe and acute-medication days beside headache days
        "response_measures": [m for m in outcome.response.measures if m.name != "headache_days"],
        "period_rows": period_rows(outcome),
        "curve_rows": curve_rows(outcome),
        "headache_chart": charts.headache_days_chart(
            outcome.baseline, outcome.periods, outcome.session_dates, outcome.fifty_percent_line
        ),
        "curves_chart": charts.effect_curves_chart(outcome.curves),
        "midas_chart": charts.score_chart(
            "MIDAS",
            [(s.completed_on, s.score) for s in scores if s.instrument == "MIDAS"],
            "midas-chart",
        ),
        "hit6_chart": charts.score_chart(
            "HIT-6",
            [(s.completed_on, s.score) for s in scores if s.instrument == "HIT-6"],
            "hit6-chart",
        ),
        "clinic_name": settings.CLINIC_NAME,
        # The letterhead of letters and packets (issue 19).
        "clinic_address_lines": [
            line.strip()
            for line in getattr(settings, "CADENCE_CLINIC_ADDRESS", "").split("|")
            if line.strip()
        ],
        "clinic_phone": getattr(settings, "CADENCE_CLINIC_PHONE", ""),
    }


RECOMMENDATION_WORDS = {
    "continue": "Continue treatment",
    "stop": "Stop treatment",
    "review": "Review with the clinician",
}
STOPPING_RULES_WORDS = {
    "us_responder": "US payer: responder rule",
    "nice_ta260": "NHS England: NICE TA260",
}


def course_review_context(outcome: PatientOutcomes) -> dict:
    """The course review (payer rule's recommendation and evidence) and the latest
    decision recorded for the course: the patient page, the review page, the packet."""
    review = selectors.course_review_for(outcome)
    return {
        "course_review": review,
        "course_review_words": RECOMMENDATION_WORDS.get(
            review.recommendation.value if review.recommendation else "", ""
        ),
        "stopping_rules_words": STOPPING_RULES_WORDS[str(review.rules)],
        # Only a review with a recommendation has a decision to show (and the patient
        # page keeps its query budget the rest of the time).
        "course_review_decision": selectors.latest_course_review_decision(
            outcome.patient, review.course_first_session
        )
        if review.recommendation is not None
        else None,
        "baseline_source": outcome.baseline_source,
    }


def report_context(outcome: PatientOutcomes, user) -> dict:
    context = outcome_context(outcome)
    context.update(course_review_context(outcome))
    patient = outcome.patient
    context.update(
        {
            "sessions": selectors.procedures_for_report(patient),
            "diagnosis": selectors.diagnosis_for(patient),
            "preventive_trials": selectors.preventive_trials_for(patient),
            "signed_by": getattr(user, "display_name", "") or user.get_username(),
            # The signature block (name, credentials, NPI) and the packet's member ID
            # (issue 19).
            "signer": user,
            "payer_member": payer_member_id_for(patient),
        }
    )
    return context


def render_pdf(template: str, context: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: slow to import

    html = render_to_string(template, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
