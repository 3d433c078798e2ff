"""Two more follow-the-pain sites per side in trapezius, so that all four trapezius
extras may follow the pain to the same side (clinic-reference.md section 7: the caps are
per muscle, not per side; trapezius takes up to 4 extra sites, 20 U). Frozen from
cadence.rules.sites when this migration was written. Columns: code, muscle, side, number,
default_units, follow_the_pain, label, view, x, y (head-map coordinates near their
neighbours)."""

from decimal import Decimal

from django.db import migrations

SITES = [
    ('trapezius_left_ftp_3', 'trapezius', 'left', 3, '5', True, 'Trapezius, left, follow-the-pain 3', 'back', 7.0, 78.0),
    ('trapezius_left_ftp_4', 'trapezius', 'left', 4, '5', True, 'Trapezius, left, follow-the-pain 4', 'back', 26.0, 86.0),
    ('trapezius_right_ftp_3', 'trapezius', 'right', 3, '5', True, 'Trapezius, right, follow-the-pain 3', 'back', 93.0, 78.0),
    ('trapezius_right_ftp_4', 'trapezius', 'right', 4, '5', True, 'Trapezius, right, follow-the-pain 4', 'back', 74.0, 86.0),
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
        ("treatments", "0007_follow_the_pain_second_sites"),
    ]

    operations = [migrations.RunPython(add_sites, remove_sites)]
