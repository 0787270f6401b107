"""Demo users for `make run`: one per role, with a password everybody knows."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from purchasing.models import ExchangeRate, StaffProfile
from purchasing.roles import ADMIN, APPROVER, FINANCE, PURCHASER

DEMO_PASSWORD = "caigou-demo"
# username -> (role, order limit in fen or None for the site threshold)
DEMO_USERS: dict[str, tuple[str, int | None]] = {
    PURCHASER: (PURCHASER, 200_000),
    APPROVER: (APPROVER, None),
    FINANCE: (FINANCE, None),
    ADMIN: (ADMIN, None),
}


DEMO_RATES = {"USD": Decimal("7.12"), "EUR": Decimal("7.75"), "GBP": Decimal("9.05")}


def demo_rates_create() -> list[str]:
    """Exchange rates for the display currencies, only for currencies that have none yet."""
    created = []
    for currency, rate in DEMO_RATES.items():
        if not ExchangeRate.objects.filter(currency=currency).exists():
            ExchangeRate.objects.create(currency=currency, cny_per_unit=rate, note="demo rate")
            created.append(currency)
    return created


@transaction.atomic
def demo_users_create() -> list[str]:
    """Create the missing demo users; existing ones are left exactly as they are.

    Returns the usernames that were created.
    """
    user_model = get_user_model()
    created = []
    for username, (role, limit) in DEMO_USERS.items():
        if user_model.objects.filter(username=username).exists():
            continue
        user = user_model.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@demo.caigou.invalid",
            first_name=username.capitalize(),
            is_staff=True,
            is_superuser=role == ADMIN,
        )
        user.groups.add(Group.objects.get(name=role))
        StaffProfile.objects.create(user=user, order_limit_fen=limit)
        created.append(username)
    return created
