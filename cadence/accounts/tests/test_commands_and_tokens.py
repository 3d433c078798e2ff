import pytest
from django.core.management import CommandError, call_command

from cadence.accounts.models import ApiToken, hash_token

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_issue_token_prints_the_token_last_and_stores_only_its_hash(clinician):
    raw = run("issue_token", clinician.username).strip().splitlines()[-1]
    assert raw.startswith("cad_")
    token = ApiToken.objects.get(user=clinician)
    assert token.token_hash == hash_token(raw)
    assert raw not in (token.token_hash, token.token_prefix)


def test_issue_token_revokes(clinician, client):
    raw = run("issue_token", clinician.username).strip().splitlines()[-1]
    run("issue_token", clinician.username, "--revoke", raw[:12])
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_bearer_token_authenticates(clinician, client):
    raw = run("issue_token", clinician.username).strip().splitlines()[-1]
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200
    assert response.json() == {
        "username": clinician.username,
        "role": "clinician",
        "patient_id": None,
    }


@pytest.mark.parametrize("header", ["Bearer cad_wrong", "Bearer ", "Basic abc", None])
def test_wrong_or_missing_token_is_401(client, clinician, header):
    headers = {"Authorization": header} if header else {}
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_token_of_a_deactivated_user_is_401(client, clinician):
    raw = ApiToken.issue(clinician)[1]
    clinician.is_active = False
    clinician.save()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_issue_token_for_unknown_user_fails():
    with pytest.raises(CommandError, match="No user named"):
        run("issue_token", "nobody")
