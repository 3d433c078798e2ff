"""API tokens (issue 21, OWASP ASVS L2): an expiry, a scope, a page to list and revoke
them, MFA to issue one for an enrolled user, and no fallback to the session cookie."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cadence.accounts.models import ApiToken, TokenScope
from cadence.accounts.tokens import scope_allows
from cadence.audit.models import AuditEvent
from conftest import PASSWORD, ApiClient

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def api_with(user, scope=TokenScope.FULL, days=None) -> ApiClient:
    return ApiClient(Client(), ApiToken.issue(user, scope=scope, days=days)[1])


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def command(*args) -> str:
    out = StringIO()
    call_command("issue_token", *args, stdout=out)
    return out.getvalue()


# ------------------------------------------------------------------ expiry
def test_a_token_expires_after_the_configured_days(settings, clinician):
    settings.CADENCE_API_TOKEN_DAYS = 30
    token, _raw = ApiToken.issue(clinician)
    assert abs((token.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)


def test_an_expired_token_is_401(client, clinician):
    token, raw = ApiToken.issue(clinician)
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get("/api/v1/me", headers=bearer(raw))
    assert response.status_code == 401
    assert "revoked or expired" in response.json()["detail"]


# ------------------------------------------------------------------ no fallback
@pytest.mark.parametrize("state", ["unknown", "revoked", "expired"])
def test_a_bad_token_never_falls_back_to_the_session_cookie(client, clinician, state):
    client.force_login(clinician)
    assert client.get("/api/v1/me").status_code == 200  # the session alone works
    token, raw = ApiToken.issue(clinician)
    if state == "unknown":
        raw = "cad_not-a-token"
    elif state == "revoked":
        token.revoke()
    else:
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert client.get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert client.get("/api/v1/patients", headers=bearer(raw)).status_code == 401
    assert client.get("/fhir/r4/Patient", headers=bearer(raw)).status_code == 401


def test_a_non_bearer_authorization_header_does_not_fall_back_either(client, clinician):
    client.force_login(clinician)
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401


# ------------------------------------------------------------------ scopes
@pytest.mark.parametrize(
    ("scope", "method", "path", "allowed"),
    [
        ("full", "POST", "/api/v1/patients/1/procedures", True),
        ("read", "GET", "/api/v1/patients/1/procedures", True),
        ("read", "POST", "/api/v1/patients/1/procedures", False),
        ("read", "GET", "/fhir/r4/Patient", True),
        ("diary", "PUT", "/api/v1/patients/1/diary/2025-01-06", True),
        ("diary", "GET", "/api/v1/patients/1/diary", True),
        ("diary", "POST", "/api/v1/patients/1/questionnaires", True),
        ("diary", "POST", "/api/v1/patients/1/side-effects", True),
        ("diary", "POST", "/api/v1/patients/1/side-effects/3/acknowledge", False),
        ("diary", "GET", "/api/v1/patients/1", False),
        ("diary", "GET", "/api/v1/patients/1/outcomes", False),
        ("diary", "GET", "/fhir/r4/Patient/1", False),
        ("diary", "GET", "/api/v1/me", True),
        ("export", "GET", "/fhir/r4/$export", True),
        ("export", "GET", "/fhir/r4/Observation", True),
        ("export", "DELETE", "/fhir/r4/bulk/abc", True),
        ("export", "POST", "/fhir/r4", False),
        ("export", "GET", "/api/v1/patients", False),
        ("nonsense", "GET", "/api/v1/me", False),
    ],
)
def test_what_each_scope_reaches(scope, method, path, allowed):
    assert scope_allows(scope, method, path) is allowed


def test_a_read_token_reads_but_cannot_write(clinician, patient):
    api = api_with(clinician, TokenScope.READ)
    assert api.get(f"/patients/{patient.pk}").status_code == 200
    response = api.put(
        f"/patients/{patient.pk}/diary/{timezone.localdate() - timedelta(days=1)}",
        {"headache_hours": 0, "peak_severity": "none"},
    )
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_a_diary_token_records_diary_days_and_reaches_nothing_else(patient_user, patient):
    api = api_with(patient_user, TokenScope.DIARY)
    day = timezone.localdate() - timedelta(days=1)
    response = api.put(
        f"/patients/{patient.pk}/diary/{day}", {"headache_hours": 0, "peak_severity": "none"}
    )
    assert response.status_code in (200, 201), response.content
    assert api.get(f"/patients/{patient.pk}/diary").status_code == 200
    assert api.get(f"/patients/{patient.pk}").status_code == 403
    assert api.get(f"/patients/{patient.pk}/outcomes").status_code == 403
    fhir = api.get(f"/fhir/r4/Patient/{patient.pk}")
    assert fhir.status_code == 403
    assert fhir.json()["resourceType"] == "OperationOutcome"


def test_an_export_token_reads_fhir_and_nothing_of_the_json_api(clinician, patient):
    api = api_with(clinician, TokenScope.EXPORT)
    assert api.get(f"/fhir/r4/Patient/{patient.pk}").status_code == 200
    assert api.get(f"/patients/{patient.pk}").status_code == 403


@pytest.fixture
def bulk_dir(settings, tmp_path):
    settings.CADENCE_BULK_EXPORT_DIR = tmp_path / "bulk"


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        ("clinician", "export", 202),
        ("clinician", "full", 202),
        ("clinician", "read", 403),
        ("admin", "export", 403),
        ("admin", "full", 403),
    ],
)
def test_bulk_export_takes_an_export_or_full_token_of_a_clinician_never_the_admin(
    bulk_dir, users_by_role, patient, role, scope, status
):
    api = api_with(users_by_role[role], scope)
    response = api.get("/fhir/r4/$export", headers={"Prefer": "respond-async"})
    assert response.status_code == status, response.content


# ------------------------------------------------------------------ issuing
def test_issue_token_command_takes_a_scope_and_days(clinician):
    raw = command(clinician.username, "--scope", "read", "--days", "7").splitlines()[-1]
    token = ApiToken.objects.get(user=clinician)
    assert token.scope == "read"
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert raw.startswith("cad_")
    listing = command(clinician.username, "--list")
    assert "read" in listing and "active" in listing


def test_issuing_for_an_mfa_enrolled_user_needs_a_current_code(clinician):
    device = TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=True)
    with pytest.raises(CommandError, match="two-factor"):
        command(clinician.username)
    with pytest.raises(CommandError, match="two-factor"):
        command(clinician.username, "--otp", "000000" if code_of(device) != "000000" else "111111")
    assert not ApiToken.objects.filter(user=clinician).exists()
    raw = command(clinician.username, "--otp", code_of(device)).splitlines()[-1]
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 200


def test_a_patient_token_is_for_the_diary_or_read_only(patient_user):
    with pytest.raises(CommandError, match="diary app or read only"):
        command(patient_user.username, "--scope", "full")


# ------------------------------------------------------------------ the page
def test_the_page_lists_ones_own_tokens_and_revokes_them(client, clinician, nurse):
    mine, raw = ApiToken.issue(clinician, name="laptop script")
    ApiToken.issue(nurse, name="nurse's tool")
    client.force_login(clinician)
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    assert b"laptop script" in page.content
    assert b"nurse&#x27;s tool" not in page.content
    response = client.post(f"/account/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.revoked_at is not None
    assert Client().get("/api/v1/me", headers=bearer(raw)).status_code == 401
    assert AuditEvent.objects.filter(summary__startswith="Revoked API token").exists()


def test_no_one_revokes_another_users_token_except_the_administrator(
    client, clinician, nurse, admin_user
):
    theirs, _ = ApiToken.issue(nurse, name="nurse's tool")
    client.force_login(clinician)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    client.force_login(admin_user)
    page = client.get("/account/tokens/")
    assert b"nurse&#x27;s tool" in page.content and nurse.username.encode() in page.content
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None


def test_a_patient_issues_a_diary_token_for_their_phone_with_their_password(
    client, patient_user, patient
):
    client.force_login(patient_user)
    wrong = client.post(
        "/account/tokens/",
        {"name": "phone", "scope": "diary", "days": 30, "password": "not-it"},
    )
    assert wrong.status_code == 422
    assert b"That is not your password." in wrong.content
    response = client.post(
        "/account/tokens/",
        {"name": "phone", "scope": "diary", "days": 30, "password": PASSWORD},
    )
    assert response.status_code == 201
    token = ApiToken.objects.get(user=patient_user)
    assert token.scope == "diary"
    assert b'data-testid="new-token"' in response.content
    assert b"cad_" in response.content
    refused = client.post(
        "/account/tokens/", {"name": "x", "scope": "full", "days": 30, "password": PASSWORD}
    )
    assert refused.status_code == 422


def test_the_page_asks_an_enrolled_user_for_a_code(client, clinician):
    device = TOTPDevice.objects.create(user=clinician, name="authenticator", confirmed=True)
    client.force_login(clinician)
    form = {"name": "s", "scope": "read", "days": 7, "password": PASSWORD}
    response = client.post("/account/tokens/", form)
    assert response.status_code == 422
    assert b"two-factor sign-in" in response.content
    assert (
        client.post("/account/tokens/", {**form, "otp_token": code_of(device)}).status_code == 201
    )
