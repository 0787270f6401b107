import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StaffProfile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "order_limit_fen",
                    models.BigIntegerField(
                        blank=True,
                        help_text=(
                            "Orders above this total (fen) wait for an approver. "
                            "Empty: the site threshold."
                        ),
                        null=True,
                    ),
                ),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="staff_profile",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "permissions": [
                    ("search_goods", "Search goods and open items"),
                    ("use_carts", "Fill and edit the upstream carts"),
                    ("create_order", "Create and preview purchase orders"),
                    ("submit_order", "Submit purchase orders within one's own limit"),
                    ("approve_order", "Approve or reject orders above the threshold"),
                    ("pay_order", "Pay purchase orders"),
                    ("view_orders", "See purchase orders"),
                    ("manage_aftersales", "Open and follow refunds and returns"),
                    ("manage_logistics", "Manage addresses, freight estimates and parcels"),
                    ("view_reports", "See the manager dashboard and reports"),
                    ("export_reports", "Export reports"),
                ],
            },
        ),
    ]
