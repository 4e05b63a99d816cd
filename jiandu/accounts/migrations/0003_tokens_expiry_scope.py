import datetime as dt

from django.conf import settings
from django.db import migrations, models


def set_expiry(apps, schema_editor):
    """Tokens created before expiry existed get the configured lifetime from their creation
    (those older than that are expired at once)."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = dt.timedelta(days=settings.API_TOKEN_DAYS)
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + lifetime)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_totp_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="read_only",
            field=models.BooleanField(default=False, verbose_name="read-only"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="revoked_because",
            field=models.CharField(
                blank=True,
                choices=[
                    ("owner", "revoked by its owner"),
                    ("administrator", "revoked by an administrator"),
                    ("password_changed", "password changed"),
                    ("password_reset", "password reset by an administrator"),
                    ("disabled", "account disabled"),
                    ("sessions_ended", "all sessions ended"),
                    ("authenticator_reset", "authenticator reset"),
                ],
                max_length=32,
            ),
        ),
    ]
