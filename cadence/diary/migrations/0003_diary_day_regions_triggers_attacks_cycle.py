import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diary", "0002_questionnaireresponse_sideeffectreport"),
        ("patients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="diaryday",
            name="aura_without_headache",
            field=models.BooleanField(
                default=False,
                help_text="An aura with no headache at all (a day with no headache).",
            ),
        ),
        migrations.AddField(
            model_name="diaryday",
            name="pain_regions",
            field=models.JSONField(
                blank=True, help_text="Pain-region codes (cadence.rules.pain_regions).", null=True
            ),
        ),
        migrations.AddField(
            model_name="diaryday",
            name="triggers",
            field=models.JSONField(
                blank=True, help_text="Trigger codes (cadence.rules.triggers).", null=True
            ),
        ),
        migrations.AddField(
            model_name="diaryday",
            name="other_triggers",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name="diaryday",
            name="attacks",
            field=models.JSONField(
                blank=True,
                help_text='[{"started_at", "ended_at", "peak_severity"}] in local date-times; an '
                "attack across midnight is kept on each day it touched.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="diaryday",
            name="menstruating",
            field=models.BooleanField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="DiaryPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "tracks_cycle",
                    models.BooleanField(
                        default=False,
                        help_text="Record period days (to see the link with the cycle).",
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="diary_preference",
                        to="patients.patient",
                    ),
                ),
            ],
        ),
    ]
