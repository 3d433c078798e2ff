"""API tokens get a scope and an expiry (issue 21). Tokens issued before keep full access
(they had it) and expire CADENCE_API_TOKEN_DAYS after this migration."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone

import cadence.accounts.models


def expire_existing_tokens(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + timedelta(days=settings.CADENCE_API_TOKEN_DAYS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_rate_limit_cache_table"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="scope",
            field=models.CharField(
                choices=[
                    ("full", "Full access (everything the user's role may do)"),
                    ("read", "Read only (no changes)"),
                    ("diary", "Diary app (diary days, questionnaires, side effects)"),
                    ("export", "Export (FHIR reads and Bulk Data export)"),
                ],
                default="full",
                help_text="What the token may do: full, read only, the diary app, or exports.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(
                default=cadence.accounts.models.default_token_expiry,
                help_text="The token stops working at this time (CADENCE_API_TOKEN_DAYS after issue).",
            ),
        ),
    ]
