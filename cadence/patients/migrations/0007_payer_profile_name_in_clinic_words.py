"""The default payer profile's stored name in the clinic's words ("Clinic default"), not
a file name. Self-contained: a migration never imports app code."""

from django.db import migrations

OLD_NAME = "Default (clinic-reference.md)"
NEW_NAME = "Clinic default"


def rename(apps, schema_editor):
    PayerProfile = apps.get_model("patients", "PayerProfile")
    if not PayerProfile.objects.filter(name=NEW_NAME).exists():
        PayerProfile.objects.filter(name=OLD_NAME).update(name=NEW_NAME)


def rename_back(apps, schema_editor):
    PayerProfile = apps.get_model("patients", "PayerProfile")
    if not PayerProfile.objects.filter(name=OLD_NAME).exists():
        PayerProfile.objects.filter(name=NEW_NAME).update(name=OLD_NAME)


class Migration(migrations.Migration):
    dependencies = [("patients", "0006_history_medication_overuse_question")]

    operations = [migrations.RunPython(rename, rename_back)]
