# The callback row written lean: database defaults for what a callback does not bring, and only
# the indexes a query needs (every index is written by every callback).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("purchasing", "0018_order_parts"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="upstreammessage",
            options={"ordering": ["-pk"]},
        ),
        migrations.RemoveIndex(
            model_name="upstreammessage",
            name="upstream_msg_type",
        ),
        migrations.AlterField(
            model_name="upstreammessage",
            name="attempts",
            field=models.PositiveSmallIntegerField(db_default=0, default=0),
        ),
        migrations.AlterField(
            model_name="upstreammessage",
            name="error",
            field=models.TextField(blank=True, db_default="", default=""),
        ),
        migrations.AlterField(
            model_name="upstreammessage",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not applied yet"),
                    ("applied", "Applied"),
                    ("stale", "Older than what we know"),
                    ("no_order", "No matching order"),
                    ("unknown_type", "Unknown message type"),
                    ("unknown_status", "Unknown upstream status"),
                    ("aftersales", "Handed to after-sales"),
                    ("error", "Failed to apply"),
                    ("refused", "Refused: content not acceptable"),
                    ("hint", "Unverified: the order was read from the upstream"),
                    ("parked", "Parked after repeated failures"),
                ],
                db_default="",
                default="",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="upstreammessage",
            name="received_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AlterField(
            model_name="upstreammessage",
            name="signature_hash",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddIndex(
            model_name="upstreammessage",
            index=models.Index(
                condition=models.Q(("applied_at__isnull", True)),
                fields=["received_at"],
                name="upstream_msg_unapplied",
            ),
        ),
    ]
