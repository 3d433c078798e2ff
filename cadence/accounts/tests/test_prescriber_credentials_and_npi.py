"""The prescriber's credentials and NPI, printed in the signature block of letters,
packets and procedure notes (issue 19): set by the administrator on the users page and by
the clinician on their account page; an NPI with a wrong check digit is refused with a
whole sentence; each change audited."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cadence.accounts import services
from cadence.accounts.validation import refusal_items
from cadence.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

VALID_NPI = "1234567893"


def test_the_service_saves_credentials_and_npi_and_audits_the_change(admin_user, clinician):
    services.user_prescriber_details_set(
        actor=admin_user, user=clinician, credentials="  MD,   FAAN ", npi="12345 67893"
    )
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("MD, FAAN", VALID_NPI)
    assert clinician.signature_name == "Cleo Clinician, MD, FAAN"
    event = AuditEvent.objects.get(summary="Changed t_clinician's credentials and NPI")
    assert event.details["npi"] == {"before": "", "after": VALID_NPI}


@pytest.mark.parametrize(
    ("npi", "words"),
    [
        ("1234567890", "does not match the check digit"),
        ("12345", "An NPI is 10 digits; this one has 5."),
        ("1234-567893", "no letters, spaces or dashes"),
    ],
)
def test_a_bad_npi_is_refused_with_a_whole_sentence_and_nothing_is_saved(clinician, npi, words):
    with pytest.raises(ValidationError) as refused:
        services.user_prescriber_details_set(
            actor=clinician, user=clinician, credentials="MD", npi=npi
        )
    [(field, message, code)] = list(refusal_items(refused.value))
    assert (field, code) == ("npi", "invalid")
    assert words in message and message.endswith(".")
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("", "")
    assert not AuditEvent.objects.filter(summary__contains="credentials and NPI").exists()


def test_a_patient_account_has_no_npi(admin_user, patient_user):
    with pytest.raises(ValidationError, match="Only members of staff"):
        services.user_prescriber_details_set(
            actor=admin_user, user=patient_user, credentials="MD", npi=VALID_NPI
        )


def test_an_empty_npi_clears_it(clinician):
    services.user_prescriber_details_set(
        actor=clinician, user=clinician, credentials="MD", npi=VALID_NPI
    )
    services.user_prescriber_details_set(actor=clinician, user=clinician, credentials="", npi="")
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("", "")


# ------------------------------------------------------------------ the pages
def test_the_clinician_sets_their_own_on_the_account_page(client, clinician):
    client.force_login(clinician)
    page = client.get("/account/")
    assert b"Save credentials and NPI" in page.content
    response = client.post("/account/prescriber/", {"credentials": "DO", "npi": VALID_NPI})
    assert response.status_code == 302
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("DO", VALID_NPI)
    assert b"Cleo Clinician, DO \xc2\xb7 NPI 1234567893" in client.get("/account/").content


def test_the_account_page_shows_the_refusal_on_the_form(client, clinician):
    client.force_login(clinician)
    response = client.post("/account/prescriber/", {"credentials": "DO", "npi": "1234567890"})
    assert response.status_code == 422
    assert b"does not match the check digit" in response.content
    clinician.refresh_from_db()
    assert clinician.npi == ""


@pytest.mark.parametrize("role_fixture", ["nurse", "frontdesk", "patient_user"])
def test_only_clinicians_are_offered_the_form_on_their_account_page(client, request, role_fixture):
    user = request.getfixturevalue(role_fixture)
    client.force_login(user)
    assert b"Save credentials and NPI" not in client.get("/account/").content
    assert client.post("/account/prescriber/", {"npi": VALID_NPI}).status_code == 403


def test_the_administrator_sets_them_from_the_users_page(client, admin_user, clinician):
    client.force_login(admin_user)
    listing = client.get("/staff/users/")
    assert f"/staff/users/{clinician.pk}/prescriber/".encode() in listing.content
    form = client.get(f"/staff/users/{clinician.pk}/prescriber/")
    assert form.status_code == 200 and b"NPI" in form.content
    refused = client.post(
        f"/staff/users/{clinician.pk}/prescriber/", {"credentials": "MD", "npi": "1234567894"}
    )
    assert refused.status_code == 422 and b"check digit" in refused.content
    saved = client.post(
        f"/staff/users/{clinician.pk}/prescriber/", {"credentials": "MD, FAAN", "npi": VALID_NPI}
    )
    assert saved.status_code == 302
    clinician.refresh_from_db()
    assert (clinician.credentials, clinician.npi) == ("MD, FAAN", VALID_NPI)
    assert b"NPI 1234567893" in client.get("/staff/users/").content


def test_a_patient_account_has_no_prescriber_page(client, admin_user, patient_user):
    client.force_login(admin_user)
    assert client.get(f"/staff/users/{patient_user.pk}/prescriber/").status_code == 404
