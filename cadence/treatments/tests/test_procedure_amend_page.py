"""Amending a signed procedure."""

import pytest

from cadence.treatments.tests.conftest import login

pytestmark = pytest.mark.django_db


def test_amending_from_the_page_keeps_the_original(client, clinician, patient, signed_procedure):
    login(client, clinician)
    url = f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/amend/"
    response = client.post(
        url,
        {
            "immediate_reactions": "Mild redness",
            "aftercare_given": signed_procedure.aftercare_given,
            "notes": "",
            "reason": "Forgot the reaction",
        },
    )
    assert response.status_code == 302
    signed_procedure.refresh_from_db()
    assert signed_procedure.immediate_reactions == "Mild redness"
    assert signed_procedure.signed_note["immediate_reactions"] == ""
    detail = client.get(f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/")
    assert b"Forgot the reaction" in detail.content


def test_amendment_rows_use_labels_not_column_names(client, clinician, patient, signed_procedure):
    from cadence.treatments.models import InjectionSite, ProcedureAmendment

    site = InjectionSite.objects.order_by("pk").first()
    ProcedureAmendment.objects.create(
        procedure=signed_procedure,
        amended_by=clinician,
        reason="Synthetic correction",
        changes={
            "immediate_reactions": {"before": "", "after": "Mild redness"},
            "wasted_units": {"before": "5", "after": "10"},
            "injections": {"before": {site.code: "5"}, "after": {site.code: "10"}},
        },
    )
    login(client, clinician)
    html = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/"
    ).content.decode()
    assert '<th scope="row">Immediate reactions</th>' in html
    assert '<th scope="row">Units wasted</th>' in html
    assert f"<td>{site.label}: 10 U</td>" in html
    for column in ("immediate_reactions", "wasted_units", '<th scope="row">injections'):
        assert column not in html


def test_the_note_groups_its_sites_by_muscle(client, clinician, patient, signed_procedure):
    import re

    from cadence.treatments.models import Muscle

    login(client, clinician)
    html = client.get(
        f"/treatments/patients/{patient.pk}/procedures/{signed_procedure.pk}/"
    ).content.decode()
    table = html[html.index('class="sites-table"') :]
    table = table[: table.index("</table>")]
    muscles = re.findall(r'<tbody data-muscle="([a-z_]+)">', table)
    assert muscles == [m for m in Muscle.values if m in muscles]  # protocol order
    assert len(muscles) == len(set(muscles)) == 7  # PREEMPT: each muscle once
    frontalis = re.search(r'data-muscle="frontalis">(.*?)</tbody>', table, flags=re.S).group(1)
    assert '<th scope="rowgroup">Frontalis</th>' in frontalis
    site_units = sum(float(u) for u in re.findall(r'<td class="num">([\d.]+) U</td>', frontalis))
    group_units = float(re.search(r"<strong>([\d.]+) U</strong>", frontalis).group(1))
    assert site_units == group_units > 0
