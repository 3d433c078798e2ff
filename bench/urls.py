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


urlpatterns = [path("bench/floor", floor, name="bench-floor"), *cadence_urlpatterns]
