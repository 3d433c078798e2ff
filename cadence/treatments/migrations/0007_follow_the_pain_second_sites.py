"""A second follow-the-pain site per side in temporalis and occipitalis, so that both
extras of a muscle may follow the pain to the same side (clinic-reference.md section 7:
the caps are per muscle, not per side). Frozen from cadence.rules.sites when this
migration was written. Columns: code, muscle, side, number, default_units,
follow_the_pain, label, view, x, y (head-map coordinates near their neighbours)."""

from decimal import Decimal

from django.db import migrations

SITES = [
    ('temporalis_left_ftp_2', 'temporalis', 'left', 2, '5', True, 'Temporalis, left, follow-the-pain 2', 'left', 62.0, 44.0),
    ('temporalis_right_ftp_2', 'temporalis', 'right', 2, '5', True, 'Temporalis, right, follow-the-pain 2', 'right', 38.0, 44.0),
    ('occipitalis_left_ftp_2', 'occipitalis', 'left', 2, '5', True, 'Occipitalis, left, follow-the-pain 2', 'back', 34.0, 22.0),
    ('occipitalis_right_ftp_2', 'occipitalis', 'right', 2, '5', True, 'Occipitalis, right, follow-the-pain 2', 'back', 66.0, 22.0),
]  # fmt: skip


def add_sites(apps, schema_editor):
    InjectionSite = apps.get_model("treatments", "InjectionSite")
    for code, muscle, side, number, units, ftp, label, view, x, y in SITES:
        InjectionSite.objects.update_or_create(
            code=code,
            defaults={
                "muscle": muscle,
                "side": side,
                "number": number,
                "default_units": Decimal(units),
                "follow_the_pain": ftp,
                "label": label,
                "view": view,
                "x": x,
                "y": y,
            },
        )


def remove_sites(apps, schema_editor):
    InjectionSite = apps.get_model("treatments", "InjectionSite")
    InjectionSite.objects.filter(code__in=[row[0] for row in SITES]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0006_procedure_gate_override_and_void"),
    ]

    operations = [migrations.RunPython(add_sites, remove_sites)]
