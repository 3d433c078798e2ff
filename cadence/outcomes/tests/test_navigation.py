"""The outcomes pages in the navigation, by role."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_navigation_offers_the_pages_by_role(client, clinician, patient_user):
    client.force_login(clinician)
    page = client.get(reverse("outcomes:patient-list")).content.decode()
    assert 'data-nav="outcomes:dashboard"' in page and 'data-nav="outcomes:patient-list"' in page
    client.force_login(patient_user)
    page = client.get(reverse("outcomes:my-progress")).content.decode()
    assert 'data-nav="outcomes:my-progress"' in page and 'data-nav="outcomes:dashboard"' not in page
