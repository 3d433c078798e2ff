"""The bearer token's user is read with a plain cursor (issue 20: the diary write's CPU):
the user built from the row is the user the ORM would give, with the token's id, scope
and last use, and every request checks the token afresh (revoked, expired, inactive)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from cadence.accounts.api_auth import token_user
from cadence.accounts.models import ApiToken, TokenScope, User
from cadence.accounts.roles import Role

pytestmark = pytest.mark.django_db


def bearer(raw: str) -> dict:
    return {"Authorization": f"Bearer {raw}"}


def fresh_request():
    return RequestFactory().get("/api/v1/patients/")


def test_the_token_user_is_the_user_the_orm_reads(patient_user, patient):
    token, raw = ApiToken.issue(patient_user, scope=TokenScope.DIARY)
    user = token_user(fresh_request(), raw)
    stored = User.objects.get(pk=patient_user.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(stored, field.attname), field.name
    assert user.role == Role.PATIENT
    assert user.patient_id == patient.pk
    assert user.is_active is True  # a bool, not SQLite's 1
    assert user.is_staff is False and user.is_superuser is False
    assert timezone.is_aware(user.date_joined)  # converted, not SQLite's text
    assert user.is_authenticated
    assert (user.token_id, user.token_scope, user.token_last_used_at) == (
        token.pk,
        TokenScope.DIARY,
        None,
    )
    assert user._state.adding is False and user._state.db == connection.alias
    assert user.patient == patient  # the relation still works


def test_the_last_use_is_read_as_an_aware_date_time(clinician):
    token, raw = ApiToken.issue(clinician)
    used = timezone.now() - timedelta(minutes=1)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=used)
    user = token_user(fresh_request(), raw)
    assert user.token_last_used_at == used
    assert timezone.is_aware(user.token_last_used_at)


def test_the_user_is_looked_up_once_per_request(clinician, django_assert_num_queries):
    _token, raw = ApiToken.issue(clinician)
    request = fresh_request()
    with django_assert_num_queries(1):
        first = token_user(request, raw)
        assert token_user(request, raw) is first


@pytest.mark.parametrize("case", ["unknown", "revoked", "expired", "inactive user"])
def test_a_token_that_is_not_valid_gives_no_user(clinician, case):
    token, raw = ApiToken.issue(clinician)
    if case == "unknown":
        raw += "x"
    elif case == "revoked":
        token.revoke()
    elif case == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    else:
        User.objects.filter(pk=clinician.pk).update(is_active=False)
    assert token_user(fresh_request(), raw) is None


def test_a_token_revoked_between_two_requests_fails_the_second(patient_user, patient):
    token, raw = ApiToken.issue(patient_user)
    client = Client()
    path = f"/api/v1/patients/{patient.pk}/diary/{timezone.localdate().isoformat()}"
    first = client.put(
        path, {"headache_hours": 2}, content_type="application/json", headers=bearer(raw)
    )
    assert first.status_code == 201
    token.revoke()
    second = client.put(
        path, {"headache_hours": 3}, content_type="application/json", headers=bearer(raw)
    )
    assert second.status_code == 401


def test_a_user_deactivated_between_two_requests_fails_the_second(clinician, patient):
    _token, raw = ApiToken.issue(clinician)
    client = Client()
    path = f"/api/v1/patients/{patient.pk}/diary"
    assert client.get(path, headers=bearer(raw)).status_code == 200
    User.objects.filter(pk=clinician.pk).update(is_active=False)
    assert client.get(path, headers=bearer(raw)).status_code == 401


@pytest.mark.parametrize(("role", "status"), [("nurse", 200), ("frontdesk", 403)])
def test_an_operation_decides_by_the_token_users_role(request, patient, role, status):
    """The role read from the row decides: nurses read the diary, front desk may not."""
    _token, raw = ApiToken.issue(request.getfixturevalue(role))
    response = Client().get(f"/api/v1/patients/{patient.pk}/diary", headers=bearer(raw))
    assert response.status_code == status
