"""The chain head gets a MAC over its hash and count (HMAC-SHA256 under
settings.CADENCE_AUDIT_KEY, as cadence.audit.models.head_mac), and the existing head is
sealed with the key in use now. Self-contained: the formula is repeated here."""

import hashlib
import hmac

from django.conf import settings
from django.db import migrations, models


def seal_head(apps, schema_editor):
    head_model = apps.get_model("audit", "AuditChainHead")
    key = str(settings.CADENCE_AUDIT_KEY).encode()
    for head in head_model.objects.using(schema_editor.connection.alias).all():
        message = f"cadence-audit-head|v1|{int(head.entry_count)}|{head.last_hash}"
        head.mac = hmac.new(key, message.encode(), hashlib.sha256).hexdigest()
        head.save(update_fields=["mac"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_append_only_triggers")]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="mac",
            field=models.CharField(blank=True, default="", max_length=64),
        ),
        migrations.RunPython(seal_head, migrations.RunPython.noop),
    ]
