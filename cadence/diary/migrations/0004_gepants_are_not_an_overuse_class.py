"""Recompute the stored medication-overuse flag of days with a gepant.

Gepants are not an ICHD-3 overuse class (clinic-reference.md section 7): a day with a
simple analgesic and a gepant is no longer a "mixed classes" overuse-class day. Only
days flagged without a triptan, ergot, opioid or combination analgesic change.
"""

from django.db import migrations

#: ``cadence.rules.overuse.OVERUSE_SPECIFIC_CLASSES`` when this migration was written.
SPECIFIC_CLASSES = {"triptan", "ergot", "opioid", "combination_analgesic"}


def recompute(apps, schema_editor):
    DiaryDay = apps.get_model("diary", "DiaryDay")
    changed = []
    for day in DiaryDay.objects.filter(is_overuse_class_day=True).only(
        "pk", "acute_medications", "is_overuse_class_day"
    ):
        classes = {
            str(item.get("drug_class"))
            for item in (day.acute_medications or ())
            if isinstance(item, dict)
        }
        if not classes & SPECIFIC_CLASSES:
            day.is_overuse_class_day = False
            changed.append(day)
    DiaryDay.objects.bulk_update(changed, ["is_overuse_class_day"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0003_diary_day_regions_triggers_attacks_cycle"),
    ]

    operations = [migrations.RunPython(recompute, migrations.RunPython.noop)]
