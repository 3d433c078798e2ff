"""X-Forwarded-For is believed only from the proxies CADENCE_TRUSTED_PROXIES names
(issue 21): one function, `client_ip`, for the audit trail, lockout and rate limits."""

import pytest
from django.test import RequestFactory

from cadence.audit.models import AuditAction, AuditEvent
from cadence.audit.services import audit_record
from cadence.security.network import client_ip

rf = RequestFactory()


def ip(remote: str, forwarded: str | None = None) -> str | None:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(rf.get("/", REMOTE_ADDR=remote, **extra))


def test_by_default_no_proxy_is_trusted_and_a_forged_header_is_ignored(settings):
    settings.CADENCE_TRUSTED_PROXIES = []
    assert ip("198.51.100.20", "203.0.113.5") == "198.51.100.20"


def test_a_request_not_from_a_trusted_proxy_keeps_its_own_address(settings):
    settings.CADENCE_TRUSTED_PROXIES = ["10.0.0.1"]
    assert ip("198.51.100.20", "203.0.113.5") == "198.51.100.20"


def test_from_a_trusted_proxy_the_right_most_untrusted_hop_is_the_client(settings):
    settings.CADENCE_TRUSTED_PROXIES = ["10.0.0.0/24"]
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    assert ip("10.0.0.1", "1.2.3.4, 203.0.113.5") == "203.0.113.5"
    # Two trusted proxies in a row are skipped.
    assert ip("10.0.0.1", "1.2.3.4, 203.0.113.5, 10.0.0.7") == "203.0.113.5"


def test_a_malformed_hop_or_no_header_falls_back_to_the_proxy(settings):
    settings.CADENCE_TRUSTED_PROXIES = ["10.0.0.1", "2001:db8::/32"]
    assert ip("10.0.0.1", "not-an-address") == "10.0.0.1"
    assert ip("10.0.0.1") == "10.0.0.1"
    assert ip("2001:db8::1", "203.0.113.9") == "203.0.113.9"


@pytest.mark.django_db
def test_the_login_rate_limit_counts_the_real_address_not_a_forged_one(client, settings, clinician):
    """Forging X-Forwarded-For does not give an attacker fresh addresses to try from."""
    settings.CADENCE_TRUSTED_PROXIES = []
    settings.CADENCE_LOGIN_RATE_PER_MINUTE = 3
    statuses = [
        client.post(
            "/login/",
            {"username": f"nobody{n}", "password": "x"},
            REMOTE_ADDR="198.51.100.77",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


@pytest.mark.django_db
def test_the_audit_trail_records_the_address_through_the_same_function(settings, clinician):
    settings.CADENCE_TRUSTED_PROXIES = []
    request = rf.get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_FORWARDED_FOR="203.0.113.5")
    event = audit_record(actor=clinician, action=AuditAction.VIEW, summary="x", request=request)
    assert AuditEvent.objects.get(pk=event.pk).ip_address == "198.51.100.20"
