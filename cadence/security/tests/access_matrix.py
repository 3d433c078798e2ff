"""The machinery of the access-matrix test: enumerate every route (URL patterns and
OpenAPI operations), fill its URL parameters with values owned by a given patient, send
requests as each role, and judge the answers.

Data-driven: a new route is picked up automatically; it fails the matrix when it declares
no roles (`cadence_roles`), or has a URL parameter this module does not know how to fill
(add it to KWARG_MODELS / KWARG_VALUES below).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.apps import apps
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

ROLES = ("admin", "clinician", "nurse", "frontdesk", "patient")
UNSAFE_METHODS = ("post", "put", "patch", "delete")
MISSING_PK = 987654321

# URL parameter name -> the model whose primary key fills it ("app_label.ModelName").
KWARG_MODELS = {
    "appointment_id": "scheduling.Appointment",
    "plan_id": "treatments.TreatmentPlan",
    "procedure_id": "treatments.Procedure",
    "amendment_id": "treatments.ProcedureAmendment",
    "report_id": "diary.SideEffectReport",
    "questionnaire_id": "diary.QuestionnaireResponse",
    "response_id": "diary.QuestionnaireResponse",
    "consultation_request_id": "intake.ConsultationRequest",
    "request_id": "intake.ConsultationRequest",
    "note_id": "intake.RequestNote",
    "trial_id": "patients.PreventiveTrial",
    "diagnosis_id": "patients.Diagnosis",
    "decision_id": "patients.CandidacyDecision",
    "reminder_id": "scheduling.Reminder",
    "vial_id": "treatments.VialLot",
    "lot_id": "treatments.VialLot",
    "site_id": "treatments.InjectionSite",
    "user_id": "accounts.User",
    "token_id": "accounts.ApiToken",
    "job_id": "interop.BulkExportJob",
}

# URL parameter names filled by a value that no patient owns.
KWARG_VALUES = {
    "date": lambda world, owner: world.day.isoformat(),
    "day": lambda world, owner: world.day.isoformat(),
    "token": lambda world, owner: "cal_not-a-real-token",
    "uidb64": lambda world, owner: "MQ",  # the set-password link's user id (base64 of "1")
    "code_system_id": lambda world, owner: "not-a-code-system",
    "structure_definition_id": lambda world, owner: "vial",
    "lot": lambda world, owner: world.any_value("treatments.VialLot", "lot_number") or "LOT-NONE",
    "code": lambda world, owner: world.any_value("treatments.InjectionSite", "code") or "X",
    "site": lambda world, owner: world.any_value("treatments.InjectionSite", "code") or "X",
    "resource_type": lambda world, owner: "Patient",
    "group_id": lambda world, owner: "all-patients",
    "file_name": lambda world, owner: "Patient.ndjson",
}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass
class Route:
    kind: str  # "page" or "api"
    method: str  # "get" for pages' main request; the operation's method for the API
    template: str  # "/diary/patients/<int:patient_id>/" or "/api/v1/patients/{patient_id}"
    params: list[str]
    roles: object  # frozenset of roles, PUBLIC, or None (undeclared)
    where: str  # module.function
    defaults: dict = field(default_factory=dict)
    query: list[tuple[str, dict]] = field(default_factory=list)  # required query params
    body_schema: dict | None = None

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.template} ({self.where})"


# ------------------------------------------------------------------ enumeration
def _view_location(callback) -> str:
    target = getattr(callback, "view_class", None) or callback
    return f"{getattr(target, '__module__', '?')}.{getattr(target, '__qualname__', repr(target))}"


def page_routes() -> list[Route]:
    routes: list[Route] = []

    def walk(resolver, prefix: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "api" or getattr(pattern, "app_name", "") == "ninja":
                    continue  # the JSON API: enumerated from its OpenAPI document
                walk(pattern, prefix + _pattern_text(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                text = prefix + _pattern_text(pattern.pattern)
                params = re.findall(r"<(?:\w+:)?(\w+)>", text)
                params += re.findall(r"\(\?P<(\w+)>", text)
                routes.append(
                    Route(
                        kind="page",
                        method="get",
                        template="/" + text,
                        params=params,
                        roles=getattr(pattern.callback, "cadence_roles", None),
                        where=_view_location(pattern.callback),
                        defaults=dict(pattern.default_args or {}),
                    )
                )

    walk(get_resolver(), "")
    return routes


def _pattern_text(pattern) -> str:
    text = str(pattern)
    if text.startswith("^"):
        text = text[1:]
    if text.endswith("$") or text.endswith("\\Z"):
        text = text.rstrip("$").removesuffix("\\Z")
    return text


def api_operation_views() -> dict[str, object]:
    """operationId -> the view function ninja calls (carrying cadence_roles)."""
    from config.api import api

    views: dict[str, object] = {}
    for bound in api._get_bound_routers():
        for path_view in bound.path_operations.values():
            for operation in path_view.operations:
                op_id = operation.operation_id or api.get_openapi_operation_id(operation)
                views[op_id] = operation.view_func
    return views


def api_routes(openapi: dict) -> list[Route]:
    views = api_operation_views()
    routes: list[Route] = []
    for path, item in openapi.get("paths", {}).items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            view = views.get(operation.get("operationId"))
            parameters = operation.get("parameters", [])
            body = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema")
            )
            routes.append(
                Route(
                    kind="api",
                    method=method,
                    template=path,
                    params=[p["name"] for p in parameters if p.get("in") == "path"],
                    roles=getattr(view, "cadence_roles", None) if view is not None else None,
                    where=_view_location(view)
                    if view is not None
                    else operation.get("operationId", "?"),
                    query=[
                        (p["name"], p.get("schema", {}))
                        for p in parameters
                        if p.get("in") == "query" and p.get("required")
                    ],
                    body_schema=body,
                )
            )
    return routes


# ------------------------------------------------------------------ the world
@dataclass
class World:
    day: date
    users: dict
    own_patient: object
    other_patient: object
    fhir_ids: dict = field(default_factory=dict)  # (owner, resource_type) -> id
    gaps: set = field(default_factory=set)

    def patient(self, owner: str):
        return self.own_patient if owner == "own" else self.other_patient

    def any_value(self, model_label: str, attribute: str):
        try:
            model = apps.get_model(model_label)
        except LookupError:
            return None
        instance = model.objects.order_by("pk").first()
        return getattr(instance, attribute) if instance is not None else None


def patient_path(model) -> str | None:
    """The lookup from `model` to its Patient ("patient", "procedure__patient"), if any."""
    from cadence.patients.models import Patient

    fields = [f for f in model._meta.get_fields() if f.many_to_one and f.concrete]
    for f in fields:
        if f.related_model is Patient:
            return f.name
    for f in fields:
        for g in f.related_model._meta.get_fields():
            if g.many_to_one and g.concrete and g.related_model is Patient:
                return f"{f.name}__{g.name}"
    return None


def model_for_kwarg(name: str):
    label = KWARG_MODELS.get(name)
    if label:
        try:
            return apps.get_model(label)
        except LookupError:
            return None
    if not name.endswith("_id"):
        return None
    wanted = name[: -len("_id")].replace("_", "")
    for model in apps.get_models():
        if model._meta.app_label in {"contenttypes", "auth", "sessions"}:
            continue
        if model._meta.model_name == wanted:
            return model
    return None


def knows_kwarg(name: str, defaults: dict) -> bool:
    return (
        name in defaults
        or name == "patient_id"
        or name in KWARG_VALUES
        or name in ("resource_id",)
        or model_for_kwarg(name) is not None
    )


def is_patient_owned(name: str) -> bool:
    if name == "patient_id":
        return True
    if name == "resource_id":
        return True
    model = model_for_kwarg(name)
    return model is not None and patient_path(model) is not None


def fill_value(world: World, name: str, owner: str, defaults: dict) -> str:
    if name in defaults:
        return str(defaults[name])
    if name == "patient_id":
        return str(world.patient(owner).pk)
    if name == "resource_id":
        resource_type = defaults.get("resource_type", "Patient")
        if resource_type == "Patient":
            return str(world.patient(owner).pk)
        value = world.fhir_ids.get((owner, resource_type))
        if value is None:
            world.gaps.add(f"FHIR {resource_type} of the {owner} patient")
            return f"{resource_type.lower()}-{MISSING_PK}"
        return value
    if name in KWARG_VALUES:
        return str(KWARG_VALUES[name](world, owner))
    model = model_for_kwarg(name)
    path = patient_path(model)
    objects = model.objects.order_by("pk")
    if path is not None:
        objects = objects.filter(**{path: world.patient(owner)})
    instance = objects.first()
    if instance is None:
        world.gaps.add(f"{model._meta.label} of the {owner} patient (for {name})")
        return str(MISSING_PK)
    return str(instance.pk)


def fill(route: Route, world: World, owners: dict[str, str]) -> str:
    """The concrete URL, each parameter filled for owners[param] ('own' or 'other')."""
    values = {
        name: fill_value(world, name, owners.get(name, "own"), route.defaults)
        for name in route.params
    }
    if route.kind == "page":
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route.template)
    else:
        url = re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], route.template)
    if route.query:
        from urllib.parse import urlencode

        url += "?" + urlencode(
            {name: example_value(schema, name, world) for name, schema in route.query}
        )
    return url


# ------------------------------------------------------------------ request bodies
def example_value(
    schema: dict, name: str = "", world: World | None = None, spec: dict | None = None, depth=0
):
    """A plausible value for a JSON schema, so that a role check (which runs after ninja
    validates the body) is reached."""
    if depth > 6:
        return None
    if "$ref" in schema and spec is not None:
        ref = schema["$ref"].split("/")[-1]
        return example_value(spec["components"]["schemas"][ref], name, world, spec, depth + 1)
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            if options:
                return example_value(options[0], name, world, spec, depth + 1)
            return None
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and schema["default"] is not None:
        return schema["default"]
    kind = schema.get("type")
    fmt = schema.get("format", "")
    if kind == "string":
        if fmt == "date" or name.endswith("_on") or name in ("date", "start", "end"):
            return ((world.day if world else timezone.localdate()) - timedelta(days=1)).isoformat()
        if fmt == "date-time":
            return "2026-01-05T10:00:00Z"
        if fmt == "email" or "email" in name:
            return "someone@example.invalid"
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [
            example_value(schema.get("items", {}), name, world, spec, depth + 1)
            for _ in range(count)
        ]
    if kind == "object" or "properties" in schema:
        return {
            prop: example_value(sub, prop, world, spec, depth + 1)
            for prop, sub in schema.get("properties", {}).items()
            if prop in schema.get("required", [])
        }
    return None


# ------------------------------------------------------------------ side effects
EXCLUDED_FROM_FINGERPRINT = {
    "audit.AuditEvent",
    "audit.AuditChainHead",
    "sessions.Session",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
    "intake.RateLimitHit",
}


def fingerprint() -> dict[str, int]:
    counts = {}
    for model in apps.get_models():
        if model._meta.label in EXCLUDED_FROM_FINGERPRINT or not model._meta.managed:
            continue
        counts[model._meta.label] = model.objects.count()
    return counts


@dataclass
class Answer:
    status: int
    body: str
    location: str
    changed: list[str]
    error: str = ""
    cache_control: str = ""


def send(
    client, method: str, url: str, *, headers=None, body=None, check_side_effects=False
) -> Answer:
    """One request inside a transaction that is rolled back, so requests never affect
    each other; optionally report the tables whose row counts it changed."""
    import json

    kwargs = {"headers": headers or {}}
    if body is not None:
        kwargs["data"] = json.dumps(body)
        kwargs["content_type"] = "application/json"
    try:
        with transaction.atomic():
            before = fingerprint() if check_side_effects else None
            response = getattr(client, method)(url, **kwargs)
            if getattr(response, "streaming", False):
                content = b"".join(response.streaming_content)
            else:
                content = response.content
            changed = []
            if check_side_effects:
                after = fingerprint()
                changed = [label for label in after if after[label] != before.get(label)]
            transaction.set_rollback(True)
    except Exception as exc:  # noqa: BLE001 - a crash is a finding (5xx)
        if connection.needs_rollback:
            connection.needs_rollback = False
        return Answer(500, "", "", [], error=f"{type(exc).__name__}: {exc}"[:300])
    return Answer(
        response.status_code,
        content.decode("utf-8", "replace"),
        response.get("Location", ""),
        changed,
        cache_control=response.get("Cache-Control", ""),
    )
