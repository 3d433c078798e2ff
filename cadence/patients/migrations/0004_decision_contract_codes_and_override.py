"""The candidacy decision in the API contract's words (version 1.1) and the gate's
override (clinic-reference.md section 7): the codes `both` and `other` become
`botox_and_surgery_evaluation` and `alternative` (and `not_now` is added); the age
override reason becomes the decision's override reason (under 18, or candidacy not met),
and a decision taken on it is marked outside protocol."""

from django.db import migrations, models

RENAMED = {"both": "botox_and_surgery_evaluation", "other": "alternative"}


def forwards(apps, schema_editor):
    CandidacyDecision = apps.get_model("patients", "CandidacyDecision")
    for old, new in RENAMED.items():
        CandidacyDecision.objects.filter(decision=old).update(decision=new)
    CandidacyDecision.objects.exclude(override_reason="").update(outside_protocol=True)


def backwards(apps, schema_editor):
    CandidacyDecision = apps.get_model("patients", "CandidacyDecision")
    for old, new in RENAMED.items():
        CandidacyDecision.objects.filter(decision=new).update(decision=old)
    CandidacyDecision.objects.filter(decision="not_now").update(decision="other")


class Migration(migrations.Migration):
    dependencies = [
        ("patients", "0003_default_payer_profile"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidacydecision",
            name="decision",
            field=models.CharField(
                choices=[
                    ("botox", "OnabotulinumtoxinA (Botox)"),
                    ("surgery_evaluation", "Migraine-surgery evaluation"),
                    (
                        "botox_and_surgery_evaluation",
                        "OnabotulinumtoxinA and migraine-surgery evaluation",
                    ),
                    ("alternative", "An alternative treatment"),
                    ("not_now", "Not now"),
                ],
                max_length=32,
            ),
        ),
        migrations.RenameField(
            model_name="candidacydecision",
            old_name="age_override_reason",
            new_name="override_reason",
        ),
        migrations.AlterField(
            model_name="candidacydecision",
            name="override_reason",
            field=models.TextField(
                blank=True,
                help_text="Needed to decide for onabotulinumtoxinA while candidacy is not met "
                "or for a patient under 18 (off-label): the decision is then outside protocol.",
            ),
        ),
        migrations.AddField(
            model_name="candidacydecision",
            name="outside_protocol",
            field=models.BooleanField(
                default=False,
                help_text="Decided on an override of the gate (clinic-reference.md 7).",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
