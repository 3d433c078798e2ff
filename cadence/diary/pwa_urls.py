"""The web app manifest at the site's root (api-contract.md, version 1.1)."""

from django.urls import path

from cadence.diary import pwa

urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="diary-manifest"),
]
