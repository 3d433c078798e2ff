"""The clinical gate on the procedure note (clinic-reference.md section 7): the override
reason and the "outside protocol" mark with the rules it lifted; a draft note can be
voided with a reason (kept, counted nowhere)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("treatments", "0005_lots_in_canonical_form"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="procedure",
            name="status",
            field=models.CharField(
                choices=[("draft", "Draft"), ("signed", "Signed"), ("voided", "Voided")],
                default="draft",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="override_reason",
            field=models.TextField(
                blank=True,
                help_text="Why the session went ahead outside protocol (the override).",
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="outside_protocol",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="procedure",
            name="outside_protocol_rules",
            field=models.JSONField(
                blank=True, default=list, help_text="The gate's rules the override lifted."
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="voided_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="procedure",
            name="voided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="procedure",
            name="void_reason",
            field=models.TextField(blank=True),
        ),
    ]
