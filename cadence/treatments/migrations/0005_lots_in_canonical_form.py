"""Lot numbers in one canonical form: trimmed and upper-case (issue 19), so that `c7002a`
and `C7002A` are one lot at receipt, procedure and recall.

`VialLot.lot_number` is unique. Lots that differ only by letter case are merged into one
when they are the same stock (same vial size and expiry): the quantities add up and the
procedures' vials point at the merged lot. Two such lots of different size or expiry are
not the same stock; the migration stops and names them, for a person to decide (it never
guesses which lot a vial came from). Reversing keeps the canonical form (nothing to undo).
The canonical form is written out here (not imported) so the migration never changes."""

from collections import defaultdict

from django.db import migrations


def canonical(text):
    return (text or "").strip().upper()


def to_canonical(apps, schema_editor):
    VialLot = apps.get_model("treatments", "VialLot")
    ProcedureVial = apps.get_model("treatments", "ProcedureVial")
    by_form = defaultdict(list)
    for lot in VialLot.objects.order_by("received_at", "pk"):
        by_form[canonical(lot.lot_number)].append(lot)
    for form, lots in by_form.items():
        kept, *others = lots
        for other in others:
            if (other.size_units, other.expires_on) != (kept.size_units, kept.expires_on):
                raise RuntimeError(
                    f"Lots {kept.lot_number!r} and {other.lot_number!r} differ only by letter "
                    "case but hold different vials (size or expiry); rename one before "
                    "migrating."
                )
        for other in others:
            ProcedureVial.objects.filter(lot_id=other.pk).update(lot_id=kept.pk)
            kept.quantity_received += other.quantity_received
            kept.quantity_remaining += other.quantity_remaining
            other.delete()
        if others or kept.lot_number != form:
            kept.lot_number = form
            kept.save(update_fields=["lot_number", "quantity_received", "quantity_remaining"])
    for vial in ProcedureVial.objects.select_related("lot"):
        if vial.lot_number != vial.lot.lot_number:
            ProcedureVial.objects.filter(pk=vial.pk).update(lot_number=vial.lot.lot_number)


class Migration(migrations.Migration):
    dependencies = [("treatments", "0004_units_within_bounds")]

    operations = [migrations.RunPython(to_canonical, migrations.RunPython.noop)]
