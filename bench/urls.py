"""Cadence's URLs plus `/bench/floor`: a bare view returning a constant JSON, served by the
same server and middleware as Cadence, so that its throughput is the framework's floor."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from config.urls import handler403, handler404, handler500  # noqa: F401
from config.urls import urlpatterns as cadence_urlpatterns

FLOOR_ANSWER = {"status": "ok"}


@csrf_exempt
def floor(request):
    """The framework's floor: no database, no template, a constant JSON answer."""
    return JsonResponse(FLOOR_ANSWER)


def floor_query(request):
    """The floor of a page at a given clinic size: one trivial indexed query (the newest
    patient by primary key), a constant-shaped JSON answer, no template."""
    from cadence.patients.models import Patient

    newest = Patient.objects.order_by("-pk").values_list("pk", flat=True).first()
    return JsonResponse({"status": "ok", "newest_patient": newest})


urlpatterns = [
    path("bench/floor", floor, name="bench-floor"),
    path("bench/floor-query", floor_query, name="bench-floor-query"),
    *cadence_urlpatterns,
]
