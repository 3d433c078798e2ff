"""The default payer profile: clinic-reference.md's numbers (2 oral preventive classes,
84 days between sessions, the 50% responder rule, review at 24 weeks). Numbers are written
out here on purpose: a migration never imports app code."""

from django.db import migrations

DEFAULT_NAME = "Default (clinic-reference.md)"


def create_default(apps, schema_editor):
    PayerProfile = apps.get_model("patients", "PayerProfile")
    if PayerProfile.objects.filter(is_default=True).exists():
        return  # already there (perhaps renamed by 0007): also reloaded after a test flush
    PayerProfile.objects.get_or_create(
        name=DEFAULT_NAME,
        defaults={
            "min_preventive_classes": 2,
            "min_interval_days": 84,
            "responder_rule": "percent_50",
            "shortened_interval_days": None,
            "review_weeks": 24,
            "is_default": True,
        },
    )


def remove_default(apps, schema_editor):
    PayerProfile = apps.get_model("patients", "PayerProfile")
    PayerProfile.objects.filter(name=DEFAULT_NAME, patients__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("patients", "0002_record_history_trials_candidacy")]

    operations = [migrations.RunPython(create_default, remove_default)]
