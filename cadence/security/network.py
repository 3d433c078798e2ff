"""Where a request came from, for the audit trail, the lockout and the rate limits.

Behind a TLS-terminating proxy REMOTE_ADDR is the proxy; `CADENCE_PROXY_COUNT` says how
many trusted proxies append to X-Forwarded-For, and the client is the address that many
hops from the right. Anything further left is client-supplied and not trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip()).compressed
    except ValueError:
        return None


def client_ip(request) -> str | None:
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    proxies = getattr(settings, "CADENCE_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = _valid_ip(forwarded[-proxies])
            if address:
                return address
    return _valid_ip(meta.get("REMOTE_ADDR"))
