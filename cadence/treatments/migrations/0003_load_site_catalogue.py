"""The injection-site catalogue and trigger areas, frozen from cadence.rules.sites
(clinic-reference.md section 2) when this migration was written, so that the migration
never changes with later code. Columns: code, muscle, side, number, default_units,
follow_the_pain, label, view, x, y."""

from decimal import Decimal

from django.db import migrations

SITES = [
    ('corrugator_left_1', 'corrugator', 'left', 1, '5', False, 'Corrugator, left', 'front', 57.0, 36.0),
    ('corrugator_right_1', 'corrugator', 'right', 1, '5', False, 'Corrugator, right', 'front', 43.0, 36.0),
    ('procerus_midline_1', 'procerus', 'midline', 1, '5', False, 'Procerus, midline', 'front', 50.0, 40.0),
    ('frontalis_left_1', 'frontalis', 'left', 1, '5', False, 'Frontalis, left, site 1', 'front', 60.0, 24.0),
    ('frontalis_left_2', 'frontalis', 'left', 2, '5', False, 'Frontalis, left, site 2', 'front', 72.0, 21.0),
    ('frontalis_right_1', 'frontalis', 'right', 1, '5', False, 'Frontalis, right, site 1', 'front', 40.0, 24.0),
    ('frontalis_right_2', 'frontalis', 'right', 2, '5', False, 'Frontalis, right, site 2', 'front', 28.0, 21.0),
    ('temporalis_left_1', 'temporalis', 'left', 1, '5', False, 'Temporalis, left, site 1', 'left', 38.0, 30.0),
    ('temporalis_left_2', 'temporalis', 'left', 2, '5', False, 'Temporalis, left, site 2', 'left', 50.0, 26.0),
    ('temporalis_left_3', 'temporalis', 'left', 3, '5', False, 'Temporalis, left, site 3', 'left', 44.0, 40.0),
    ('temporalis_left_4', 'temporalis', 'left', 4, '5', False, 'Temporalis, left, site 4', 'left', 56.0, 36.0),
    ('temporalis_right_1', 'temporalis', 'right', 1, '5', False, 'Temporalis, right, site 1', 'right', 62.0, 30.0),
    ('temporalis_right_2', 'temporalis', 'right', 2, '5', False, 'Temporalis, right, site 2', 'right', 50.0, 26.0),
    ('temporalis_right_3', 'temporalis', 'right', 3, '5', False, 'Temporalis, right, site 3', 'right', 56.0, 40.0),
    ('temporalis_right_4', 'temporalis', 'right', 4, '5', False, 'Temporalis, right, site 4', 'right', 44.0, 36.0),
    ('occipitalis_left_1', 'occipitalis', 'left', 1, '5', False, 'Occipitalis, left, site 1', 'back', 38.0, 30.0),
    ('occipitalis_left_2', 'occipitalis', 'left', 2, '5', False, 'Occipitalis, left, site 2', 'back', 30.0, 38.0),
    ('occipitalis_left_3', 'occipitalis', 'left', 3, '5', False, 'Occipitalis, left, site 3', 'back', 42.0, 42.0),
    ('occipitalis_right_1', 'occipitalis', 'right', 1, '5', False, 'Occipitalis, right, site 1', 'back', 62.0, 30.0),
    ('occipitalis_right_2', 'occipitalis', 'right', 2, '5', False, 'Occipitalis, right, site 2', 'back', 70.0, 38.0),
    ('occipitalis_right_3', 'occipitalis', 'right', 3, '5', False, 'Occipitalis, right, site 3', 'back', 58.0, 42.0),
    ('cervical_paraspinal_left_1', 'cervical_paraspinal', 'left', 1, '5', False, 'Cervical paraspinal, left, site 1', 'back', 45.0, 58.0),
    ('cervical_paraspinal_left_2', 'cervical_paraspinal', 'left', 2, '5', False, 'Cervical paraspinal, left, site 2', 'back', 44.0, 66.0),
    ('cervical_paraspinal_right_1', 'cervical_paraspinal', 'right', 1, '5', False, 'Cervical paraspinal, right, site 1', 'back', 55.0, 58.0),
    ('cervical_paraspinal_right_2', 'cervical_paraspinal', 'right', 2, '5', False, 'Cervical paraspinal, right, site 2', 'back', 56.0, 66.0),
    ('trapezius_left_1', 'trapezius', 'left', 1, '5', False, 'Trapezius, left, site 1', 'back', 32.0, 76.0),
    ('trapezius_left_2', 'trapezius', 'left', 2, '5', False, 'Trapezius, left, site 2', 'back', 22.0, 80.0),
    ('trapezius_left_3', 'trapezius', 'left', 3, '5', False, 'Trapezius, left, site 3', 'back', 12.0, 84.0),
    ('trapezius_right_1', 'trapezius', 'right', 1, '5', False, 'Trapezius, right, site 1', 'back', 68.0, 76.0),
    ('trapezius_right_2', 'trapezius', 'right', 2, '5', False, 'Trapezius, right, site 2', 'back', 78.0, 80.0),
    ('trapezius_right_3', 'trapezius', 'right', 3, '5', False, 'Trapezius, right, site 3', 'back', 88.0, 84.0),
    ('temporalis_left_ftp_1', 'temporalis', 'left', 1, '5', True, 'Temporalis, left, follow-the-pain 1', 'left', 50.0, 46.0),
    ('temporalis_right_ftp_1', 'temporalis', 'right', 1, '5', True, 'Temporalis, right, follow-the-pain 1', 'right', 50.0, 46.0),
    ('occipitalis_left_ftp_1', 'occipitalis', 'left', 1, '5', True, 'Occipitalis, left, follow-the-pain 1', 'back', 26.0, 30.0),
    ('occipitalis_right_ftp_1', 'occipitalis', 'right', 1, '5', True, 'Occipitalis, right, follow-the-pain 1', 'back', 74.0, 30.0),
    ('trapezius_left_ftp_1', 'trapezius', 'left', 1, '5', True, 'Trapezius, left, follow-the-pain 1', 'back', 27.0, 70.0),
    ('trapezius_left_ftp_2', 'trapezius', 'left', 2, '5', True, 'Trapezius, left, follow-the-pain 2', 'back', 17.0, 74.0),
    ('trapezius_right_ftp_1', 'trapezius', 'right', 1, '5', True, 'Trapezius, right, follow-the-pain 1', 'back', 73.0, 70.0),
    ('trapezius_right_ftp_2', 'trapezius', 'right', 2, '5', True, 'Trapezius, right, follow-the-pain 2', 'back', 83.0, 74.0),
]

TRIGGER_AREAS = [
    ('forehead', 'Forehead', ('frontalis_left_1', 'frontalis_left_2', 'frontalis_right_1', 'frontalis_right_2')),
    ('brow', 'Brow', ('corrugator_left_1', 'corrugator_right_1', 'procerus_midline_1')),
    ('temples', 'Temples', ('temporalis_left_1', 'temporalis_left_2', 'temporalis_left_3', 'temporalis_left_4', 'temporalis_right_1', 'temporalis_right_2', 'temporalis_right_3', 'temporalis_right_4')),
    ('back_of_scalp', 'Back of the scalp', ('occipitalis_left_1', 'occipitalis_left_2', 'occipitalis_left_3', 'occipitalis_right_1', 'occipitalis_right_2', 'occipitalis_right_3')),
    ('neck', 'Neck', ('cervical_paraspinal_left_1', 'cervical_paraspinal_left_2', 'cervical_paraspinal_right_1', 'cervical_paraspinal_right_2', 'trapezius_left_1', 'trapezius_left_2', 'trapezius_left_3', 'trapezius_right_1', 'trapezius_right_2', 'trapezius_right_3')),
]


def load_catalogue(apps, schema_editor):
    InjectionSite = apps.get_model("treatments", "InjectionSite")
    TriggerArea = apps.get_model("treatments", "TriggerArea")
    for code, muscle, side, number, units, ftp, label, view, x, y in SITES:
        InjectionSite.objects.update_or_create(
            code=code,
            defaults=dict(
                muscle=muscle, side=side, number=number, default_units=Decimal(units),
                follow_the_pain=ftp, label=label, view=view, x=x, y=y,
            ),
        )
    by_code = {s.code: s for s in InjectionSite.objects.all()}
    for code, label, site_codes in TRIGGER_AREAS:
        area, _ = TriggerArea.objects.update_or_create(code=code, defaults={"label": label})
        area.sites.set([by_code[c] for c in site_codes])


def unload_catalogue(apps, schema_editor):
    apps.get_model("treatments", "TriggerArea").objects.all().delete()
    apps.get_model("treatments", "InjectionSite").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("treatments", "0002_catalogue_plans_vials_notes")]

    operations = [migrations.RunPython(load_catalogue, unload_catalogue)]
