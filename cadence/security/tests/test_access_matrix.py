"""The access matrix: every URL pattern and every API operation, requested as anonymous,
as each role, and as a patient reaching for another patient's data.

- a route without declared roles (`@roles_required`/`@public_page`, `@api_roles`/
  `@api_public`) or with a URL parameter the matrix cannot fill fails;
- anonymous: pages redirect to the login page (or 401), API operations answer 401,
  unless public;
- a role not declared: 403 (or 404, which hides the object);
- a declared role: never 401/403/5xx;
- every answer below 400 to a signed-in role carries `Cache-Control: no-store` (pages, API
  answers, exports, PDFs, feeds: cadence.security.middleware.NoStore);
- a patient asking for another patient's data (their id, or their object's id under
  the patient's own id): 403/404, and the other patient's name and e-mail never appear;
- unsafe methods (POST/PUT/PATCH/DELETE) by roles that may not use them are refused
  without side effects (row counts unchanged).

The machinery is in access_matrix.py; failures are collected and reported together, one
line per route and problem.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from cadence.accounts.access import PUBLIC
from cadence.security.tests.access_matrix import (
    ROLES,
    UNSAFE_METHODS,
    World,
    api_routes,
    example_value,
    fill,
    is_patient_owned,
    knows_kwarg,
    page_routes,
    send,
)

pytestmark = pytest.mark.django_db


def openapi_document() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200, (
        "the OpenAPI document must be served (it lists the API's operations)"
    )
    return response.json()


def all_routes() -> list:
    return page_routes() + api_routes(openapi_document())


def report(failures: list[str], what: str) -> None:
    if failures:
        listing = "\n".join(sorted(set(failures)))
        pytest.fail(f"{len(set(failures))} {what}:\n{listing}", pytrace=False)


@pytest.fixture
def world(db) -> World:
    from cadence.accounts.models import ApiToken
    from cadence.demo.clinic import build_demo_clinic

    today = timezone.localdate()
    # 18: the first 8 demo patients are in work-up (no sessions); later ones have procedures.
    ctx = build_demo_clinic(seed=11, today=today, patient_count=18)
    users = {role: ctx.staff[role] for role in ROLES}
    own = ctx.staff["patient"].patient
    other = ctx.staff["patient2"].patient
    assert own.full_name != other.full_name
    world = World(
        day=today - timezone.timedelta(days=2), users=users, own_patient=own, other_patient=other
    )
    world.tokens = {role: ApiToken.issue(user)[1] for role, user in users.items()}
    world.fhir_ids = _fhir_ids(world)
    return world


def _fhir_ids(world: World) -> dict:
    ids: dict = {}
    client = Client()
    client.force_login(world.users["clinician"])
    for owner in ("own", "other"):
        response = client.get(f"/fhir/r4/Patient/{world.patient(owner).pk}/$everything")
        if response.status_code != 200:
            continue
        import json

        raw = b"".join(response.streaming_content) if response.streaming else response.content
        for entry in json.loads(raw).get("entry", []):
            resource = entry.get("resource", {})
            ids.setdefault((owner, resource.get("resourceType")), resource.get("id"))
    return ids


def page_client(world: World, role: str | None) -> Client:
    """One client per role (creating a client builds the middleware chain, which is slow)."""
    clients = world.__dict__.setdefault("clients", {})
    if role not in clients:
        client = Client()
        if role is not None:
            client.force_login(world.users[role])
        clients[role] = client
    return clients[role]


def api_headers(world: World, role: str | None) -> dict:
    return {"Authorization": f"Bearer {world.tokens[role]}"} if role else {}


def request(world: World, route, role: str | None, url: str, method: str | None = None, **kw):
    method = method or route.method
    body = None
    if route.kind == "api" and method in UNSAFE_METHODS and route.body_schema is not None:
        body = example_value(route.body_schema, world=world, spec=world.spec)
    if route.kind == "api":
        return send(
            page_client(world, None), method, url, headers=api_headers(world, role), body=body, **kw
        )
    return send(page_client(world, role), method, url, **kw)


def secrets_of(patient) -> list[str]:
    return [patient.full_name, f"{patient.last_name}, {patient.first_name}", patient.email]


# ------------------------------------------------------------------ declarations
def test_every_route_declares_who_may_use_it():
    failures = [
        f"{route.label}: declares no roles (use @roles_required/@public_page or @api_roles/@api_public)"
        for route in all_routes()
        if route.roles is None
    ]
    report(failures, "routes without an access declaration")


def test_every_url_parameter_is_one_the_matrix_can_fill():
    failures = [
        f"{route.label}: URL parameter {name!r} is unknown to the access matrix "
        "(add it to KWARG_MODELS or KWARG_VALUES in cadence/security/tests/access_matrix.py)"
        for route in all_routes()
        for name in route.params
        if not knows_kwarg(name, route.defaults)
    ]
    report(failures, "unknown URL parameters")


def test_the_matrix_sees_the_apps_routes():
    """Guard against an enumeration that silently finds nothing."""
    routes = all_routes()
    assert any(r.template == "/staff/users/" for r in routes)
    assert any(r.kind == "api" and r.template == "/api/v1/me" for r in routes)


# ------------------------------------------------------------------ the matrix
def judge(route, role: str | None, answer) -> str | None:
    status = answer.status
    if status >= 500:
        return f"{status} server error {answer.error}".strip()
    if route.roles is None:
        return None  # reported by test_every_route_declares_who_may_use_it
    if route.roles == PUBLIC:
        return None
    if role is None:
        if route.kind == "api":
            return None if status == 401 else f"anonymous got {status}, expected 401"
        if (
            status == 401
            or status == 405
            or (status in (301, 302) and "/login/" in answer.location)
        ):
            return None
        return f"anonymous got {status} (Location {answer.location!r}), expected a redirect to the login page"
    if role in route.roles:
        if status in (401, 403):
            return f"{role} is declared but got {status}"
        sent_to_mfa = "/mfa/" in answer.location and not route.template.startswith("/mfa/")
        if status in (301, 302) and ("/login/" in answer.location or sent_to_mfa):
            return f"{role} is declared but was sent to {answer.location}"
        return None
    if status in (403, 404, 405):
        return None
    return f"{role} is not declared ({sorted(route.roles)}) but got {status}"


def test_every_route_answers_each_role_as_declared(world):
    world.spec = openapi_document()
    routes = page_routes() + api_routes(world.spec)
    failures: list[str] = []
    checked = 0
    for route in routes:
        if route.roles is None or any(not knows_kwarg(n, route.defaults) for n in route.params):
            continue
        url = fill(route, world, {})
        for role in (None, *ROLES):
            answer = request(world, route, role, url)
            checked += 1
            problem = judge(route, role, answer)
            if problem:
                failures.append(f"{route.label} as {role or 'anonymous'}: {problem}")
            if role is not None and answer.status < 400 and "no-store" not in answer.cache_control:
                failures.append(
                    f"{route.label} as {role}: Cache-Control {answer.cache_control!r}, "
                    "expected no-store"
                )
            if role == "patient" and answer.status < 400:
                for secret in secrets_of(world.other_patient):
                    if secret and secret in answer.body:
                        failures.append(
                            f"{route.label} as patient: shows another patient's data ({secret!r})"
                        )
    assert checked > 0
    report(failures, "access-matrix failures")


def test_a_patient_never_reaches_another_patients_data(world):
    world.spec = openapi_document()
    routes = page_routes() + api_routes(world.spec)
    failures: list[str] = []
    for route in routes:
        if route.roles is None or any(not knows_kwarg(n, route.defaults) for n in route.params):
            continue
        owned = [n for n in route.params if is_patient_owned(n)]
        if not owned:
            continue
        variants = [{name: "other" for name in owned}]
        if "patient_id" in owned and len(owned) > 1:  # own patient id, the other patient's object
            variants.append({name: ("own" if name == "patient_id" else "other") for name in owned})
        for owners in variants:
            url = fill(route, world, owners)
            if url == fill(route, world, {}):
                continue  # the world has no object of the other patient to ask for
            methods = [route.method] if route.kind == "api" else ["get", "post"]
            for method in methods:
                answer = request(
                    world, route, "patient", url, method=method, check_side_effects=method != "get"
                )
                where = f"{route.label} [{method.upper()} {url}] as patient"
                if answer.status >= 500:
                    failures.append(f"{where}: {answer.status} {answer.error}")
                elif answer.status not in (401, 403, 404, 405):
                    failures.append(f"{where}: reached another patient's data ({answer.status})")
                for secret in secrets_of(world.other_patient):
                    if secret and secret in answer.body:
                        failures.append(f"{where}: body shows another patient's data ({secret!r})")
                if answer.changed:
                    failures.append(f"{where}: changed {answer.changed}")
    if world.gaps:
        print("Objects the demo world lacks (their cross-patient checks use a missing id):")
        print("\n".join(sorted(world.gaps)))
    report(failures, "cross-patient leaks")


def test_unsafe_methods_are_refused_without_side_effects(world):
    world.spec = openapi_document()
    failures: list[str] = []
    page_targets = [(route, "post") for route in page_routes()]
    api_targets = [
        (route, route.method) for route in api_routes(world.spec) if route.method in UNSAFE_METHODS
    ]
    for route, method in page_targets + api_targets:
        if route.roles is None or route.roles == PUBLIC:
            continue
        if any(not knows_kwarg(n, route.defaults) for n in route.params):
            continue
        url = fill(route, world, {})
        refused_roles = [None, *[r for r in ROLES if r not in route.roles]]
        for role in refused_roles:
            answer = request(world, route, role, url, method=method, check_side_effects=True)
            who = role or "anonymous"
            if answer.status >= 500:
                failures.append(
                    f"{route.label} {method.upper()} as {who}: {answer.status} {answer.error}"
                )
            elif role is None and route.kind == "page":
                if not (answer.status in (401, 403, 405) or "/login/" in answer.location):
                    failures.append(
                        f"{route.label} {method.upper()} as anonymous: not refused ({answer.status})"
                    )
            elif answer.status not in (401, 403, 404, 405):
                failures.append(
                    f"{route.label} {method.upper()} as {who}: not refused ({answer.status})"
                )
            if answer.changed:
                failures.append(
                    f"{route.label} {method.upper()} as {who}: side effects in {answer.changed}"
                )
    report(failures, "unsafe requests not refused cleanly")
