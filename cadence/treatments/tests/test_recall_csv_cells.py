"""Issue 21, finding 8: the lot-recall CSV writes every cell through the one neutraliser
(cadence.security.csvcells): a name or lot that looks like a formula is written as text."""

import csv
import io

import pytest

from cadence.treatments.models import ProcedureVial, VialLot
from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://x.invalid","open")'


def test_the_recall_csv_neutralises_formulas(client, clinician, patient, signed_procedure):
    patient.first_name = FORMULA
    patient.save(update_fields=["first_name"])
    login(client, clinician)
    response = client.get("/treatments/recall/export.csv?lot=PAGE-LOT")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][4].startswith("'=HYPERLINK")
    assert not any(cell.startswith("=") for row in rows for cell in row)


def test_a_formula_lot_number_already_stored_is_written_as_text(
    client, clinician, signed_procedure
):
    """A lot stored before lot numbers were checked at receipt."""
    VialLot.objects.filter(lot_number="PAGE-LOT").update(lot_number="-1+1")
    ProcedureVial.objects.filter(lot_number="PAGE-LOT").update(lot_number="-1+1")
    login(client, clinician)
    response = client.get("/treatments/recall/export.csv", {"lot": "-1+1"})
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(rows) == 2, rows
    assert rows[1][0] == "'-1+1"
