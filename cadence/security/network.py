"""Where a request came from, for the audit trail, the lockout and the rate limits: the
one function every caller uses (`client_ip`).

X-Forwarded-For is believed only from the proxies `CADENCE_TRUSTED_PROXIES` names
(addresses or networks; default none). A request whose REMOTE_ADDR is not one of them is
from REMOTE_ADDR, whatever it sends in X-Forwarded-For. From a trusted proxy, the client
is the right-most address of X-Forwarded-For that is not itself a trusted proxy: anything
further left was written by the client and is not trusted.
"""

from __future__ import annotations

import ipaddress
from functools import cache

from django.conf import settings


def _valid_ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value.strip()).compressed
    except ValueError:
        return None


@cache
def _networks(proxies: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(p.strip(), strict=False) for p in proxies if p.strip())


def is_trusted_proxy(address: str | None) -> bool:
    if not address:
        return False
    networks = _networks(tuple(getattr(settings, "CADENCE_TRUSTED_PROXIES", ()) or ()))
    ip = ipaddress.ip_address(address)
    return any(ip.version == net.version and ip in net for net in networks)


def client_ip(request) -> str | None:
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    remote = _valid_ip(meta.get("REMOTE_ADDR"))
    if not is_trusted_proxy(remote):
        return remote
    hops = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        address = _valid_ip(hop)
        if address is None:
            # A malformed entry: nothing to its left can be believed either.
            return remote
        if not is_trusted_proxy(address):
            return address
    return remote
