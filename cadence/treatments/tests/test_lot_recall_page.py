"""The lot recall page and its CSV export."""

import pytest

from cadence.audit.models import AuditEvent
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_recall_page_and_csv_export_are_audited(client, admin_user, patient, signed_procedure):
    login(client, admin_user)
    page = client.get("/treatments/recall/?lot=PAGE-LOT")
    assert patient.full_name.encode() in page.content
    csv_response = client.get("/treatments/recall/export.csv?lot=PAGE-LOT")
    rows = csv_response.content.decode().splitlines()
    assert rows[0].startswith("lot,performed_on") and patient.full_name in rows[1]
    assert AuditEvent.objects.filter(action="export", object_id="PAGE-LOT").exists()


def test_nurses_cannot_use_the_recall_page(client, nurse):
    assert login(client, nurse).get("/treatments/recall/").status_code == 403
