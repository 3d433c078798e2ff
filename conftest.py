"""Shared test fixtures: the clinic's personas, API clients and the browser.

Personas (like healthchecks' Alice/Bob/Charlie): one user of each role, a patient with a
login (`patient_user` / `patient`) and an *other* patient whose data the first must never
see (`other_patient`).
"""

from __future__ import annotations

import os
import shutil
from datetime import date

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

CHROMIUM = os.environ.get("CADENCE_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "test-pass-9!xq"


def pytest_configure(config):
    """Tests run with the test settings (config.settings_test, named in pyproject.toml)."""
    if not config.pluginmanager.hasplugin("django"):
        return
    from django.conf import settings

    if not getattr(settings, "TESTING", False):
        raise pytest.UsageError(
            "The tests need the test settings: unset DJANGO_SETTINGS_MODULE (pyproject.toml "
            "names config.settings_test) or set CADENCE_TESTING=1."
        )


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    """Tests hash passwords quickly; one test checks Argon2 explicitly. Pure-rules runs
    without the Django plugin (`-p no:django`) skip this."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Reference data that data migrations load (the site catalogue, the default payer
# profile). Transactional tests (threads, the live server) flush every table when they
# end, so the next such test puts it back first. Both loaders are idempotent.
REFERENCE_DATA_LOADERS = [
    ("cadence.treatments.migrations.0003_load_site_catalogue", "load_catalogue"),
    ("cadence.treatments.migrations.0007_follow_the_pain_second_sites", "add_sites"),
    ("cadence.treatments.migrations.0008_trapezius_extras_on_one_side", "add_sites"),
    ("cadence.patients.migrations.0003_default_payer_profile", "create_default"),
    ("cadence.patients.migrations.0007_payer_profile_name_in_clinic_words", "rename"),
]


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return (
        "live_server" in request.fixturenames
        or "transactional_db" in request.fixturenames
        or bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    )


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    if not request.config.pluginmanager.hasplugin("django") or not _is_transactional(request):
        return
    from importlib import import_module

    from django.apps import apps

    request.getfixturevalue("transactional_db")
    for module_name, function_name in REFERENCE_DATA_LOADERS:
        getattr(import_module(module_name), function_name)(apps, None)


@pytest.fixture
def make_patient(db):
    from cadence.patients.models import Patient

    counter = {"n": 0}

    def make(**fields) -> Patient:
        counter["n"] += 1
        defaults = {
            "first_name": f"Test{counter['n']}",
            "last_name": "Patient",
            "date_of_birth": date(1985, 4, 12),
            "sex": "female",
            "email": f"test{counter['n']}@example.invalid",
        }
        defaults.update(fields)
        return Patient.objects.create(**defaults)

    return make


@pytest.fixture
def make_user(db):
    from cadence.accounts.models import User

    def make(username: str, role: str, patient=None, **fields) -> User:
        user = User(username=username, role=role, patient=patient, **fields)
        user.set_password(PASSWORD)
        user.save()
        return user

    return make


@pytest.fixture
def admin_user(make_user):
    return make_user("t_admin", "admin", first_name="Ada", last_name="Admin")


@pytest.fixture
def clinician(make_user):
    return make_user("t_clinician", "clinician", first_name="Cleo", last_name="Clinician")


@pytest.fixture
def nurse(make_user):
    return make_user("t_nurse", "nurse", first_name="Nico", last_name="Nurse")


@pytest.fixture
def frontdesk(make_user):
    return make_user("t_frontdesk", "frontdesk", first_name="Fran", last_name="Desk")


@pytest.fixture
def patient(make_patient):
    return make_patient(first_name="Pat", last_name="Owner")


@pytest.fixture
def work_up(db, make_user):
    """Give a patient what the clinical gate asks before a procedure (issue 15): a clean
    checklist (every answer "no") and a current decision for Botox by a clinician. Written
    straight to the tables (no audit entries), like the other fixtures."""
    from cadence.patients.models import CandidacyDecision, MedicalHistory

    def do(patient, *, clinician=None, **answers):
        from cadence.accounts.models import User

        decided_by = clinician or User.objects.filter(role="clinician").first()
        if decided_by is None:
            decided_by = make_user("t_workup_clinician", "clinician")
        checklist = {
            "infection_at_site": "no",
            "hypersensitivity": "no",
            "neuromuscular_disease": "no",
            "aminoglycosides": "no",
            "swallowing_or_breathing_difficulty": "no",
            "pregnant_or_breastfeeding": "no",
            **answers,
        }
        MedicalHistory.objects.update_or_create(patient=patient, defaults=checklist)
        CandidacyDecision.objects.create(
            patient=patient, decision="botox", decided_by=decided_by, eligible_when_decided=True
        )
        return patient

    return do


@pytest.fixture
def patient_user(make_user, patient):
    return make_user("t_patient", "patient", patient=patient)


@pytest.fixture
def other_patient(make_patient):
    return make_patient(first_name="Olive", last_name="Outsider")


@pytest.fixture
def other_patient_user(make_user, other_patient):
    return make_user("t_other_patient", "patient", patient=other_patient)


@pytest.fixture
def users_by_role(admin_user, clinician, nurse, frontdesk, patient_user):
    return {
        "admin": admin_user,
        "clinician": clinician,
        "nurse": nurse,
        "frontdesk": frontdesk,
        "patient": patient_user,
    }


class ApiClient:
    """A Django test client that sends a bearer token and JSON bodies."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, data=None, **extra):
        kwargs = {"headers": {**self.headers, **extra.pop("headers", {})}}
        if data is not None:
            kwargs["data"] = data
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(
            f"/api/v1{path}" if not path.startswith("/fhir") else path, **kwargs, **extra
        )

    def get(self, path, data=None, **extra):
        return self.client.get(
            f"/api/v1{path}" if not path.startswith("/fhir") else path,
            data=data,
            headers={**self.headers, **extra.pop("headers", {})},
            **extra,
        )

    def post(self, path, data=None, **extra):
        return self._call("post", path, data, **extra)

    def put(self, path, data=None, **extra):
        return self._call("put", path, data, **extra)

    def patch(self, path, data=None, **extra):
        return self._call("patch", path, data, **extra)

    def delete(self, path, **extra):
        return self._call("delete", path, None, **extra)


@pytest.fixture
def api_for(db):
    """`api_for(user)` -> an API client authenticated with a fresh bearer token."""
    from django.test import Client

    from cadence.accounts.models import ApiToken

    def make(user=None) -> ApiClient:
        token = ApiToken.issue(user)[1] if user is not None else None
        return ApiClient(Client(), token)

    return make


# ---------------------------------------------------------------- browser tests
def chromium_available() -> bool:
    return os.path.exists(CHROMIUM) and shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def _playwright_browser():
    if not chromium_available():
        message = (
            f"Browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get install chromium` (or set CADENCE_CHROMIUM)."
        )
        if os.environ.get("CADENCE_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " CADENCE_REQUIRE_BROWSER=1 forbids skipping them.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_playwright_browser, live_server):
    """A fresh desktop-sized page; `page.base_url` is the live server."""
    context = _playwright_browser.new_context(
        viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone_page(_playwright_browser, live_server):
    """A fresh phone-sized page (390x844, touch)."""
    context = _playwright_browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        base_url=live_server.url,
    )
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def browser_login(page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


@pytest.fixture
def login():
    """`login(page, user)` signs the user in through the real login page."""

    def do(page, user, password: str = PASSWORD):
        browser_login(page, user.username, password)

    return do
