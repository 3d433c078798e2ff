"""The diary as an installable web app: the web app manifest and the service worker.

The manifest is served at `/manifest.webmanifest` (api-contract.md, version 1.1) and the
service worker at `/diary/sw.js`, so that it controls the patient's pages under `/diary/`
(the path the pages register). Neither holds patient data: both are public.
"""

from __future__ import annotations

import json

from django.http import HttpResponse
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from cadence.accounts.access import public_page

#: Bump when the service worker's cached files change (old caches are dropped).
SERVICE_WORKER_VERSION = "diary-v2"


@public_page
@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request):
    home = reverse("diary:home")
    body = {
        "name": "Cadence headache diary",
        "short_name": "Diary",
        "description": "Your headache diary: record each day, even without a connection.",
        "start_url": home,
        "scope": home,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5c99",
        "icons": [
            {
                "src": static("diary/icon.svg"),
                "sizes": "any",
                "type": "image/svg+xml",
                "purpose": "any",
            },
            {
                "src": static("diary/icon-192.png"),
                "sizes": "192x192",
                "type": "image/png",
            },
            {
                "src": static("diary/icon-512.png"),
                "sizes": "512x512",
                "type": "image/png",
            },
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/manifest+json")


_SERVICE_WORKER = """// Cadence diary service worker: keeps the diary page and its files for use offline.
// Days and attacks recorded offline are queued by the page (diary.js) and sent when
// the connection returns; this worker never stores patient answers itself.
const CACHE = %(cache)s;
const FILES = %(files)s;
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // The page from the network (and kept for offline), or the last copy kept.
    event.respondWith(
      fetch(request).then((response) => {
        if (response.ok && url.pathname === %(home)s) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(%(home)s, copy));
        }
        return response;
      }).catch(() => caches.match(%(home)s))
    );
    return;
  }
  if (FILES.includes(url.pathname)) {
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  }
});
"""


@public_page
@require_GET
def service_worker(request):
    files = [
        static("diary/diary.js"),
        static("diary/diary.css"),
        static("css/cadence.css"),
        static("js/cadence.js"),
        static("diary/icon.svg"),
    ]
    home = reverse("diary:home")
    script = _SERVICE_WORKER % {
        "cache": json.dumps(SERVICE_WORKER_VERSION),
        "files": json.dumps(files),
        "home": json.dumps(home),
    }
    response = HttpResponse(script, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = home
    return response
