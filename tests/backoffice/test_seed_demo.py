import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import override_settings

from backoffice.demo import DEMO_PASSWORD


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    """The kept demo API key goes to a directory of the test's own."""
    settings.VAR_DIR = tmp_path


@pytest.mark.django_db
def test_seed_demo_refuses_without_debug():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert get_user_model().objects.count() == 0


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_creates_one_user_per_role_who_can_sign_in(capsys):
    call_command("seed_demo")

    for username in ("purchaser", "approver", "finance", "admin"):
        user = get_user_model().objects.get(username=username)
        assert user.is_active and user.check_password(DEMO_PASSWORD), username
        assert list(user.groups.values_list("name", flat=True)) == [username]
    assert get_user_model().objects.get(username="admin").is_superuser
    # A second purchaser, with the same published password, so baskets are one per person.
    second = get_user_model().objects.get(username="purchaser2")
    assert second.check_password(DEMO_PASSWORD)
    assert list(second.groups.values_list("name", flat=True)) == ["purchaser"]
    out = capsys.readouterr().out
    assert "caigou-demo" in out
    # What docs/storefront_example.py needs, ready to paste, for a storefront that sends to it.
    from storefront.demo import DEMO_WEBHOOK_URL
    from storefront.models import ApiKey, Storefront, hash_key

    storefront = Storefront.objects.get(name="Demo shop")
    key = out.split("export CAIGOU_API_KEY=")[1].split()[0]
    assert ApiKey.objects.get(hashed=hash_key(key)).storefront == storefront
    assert f"export CAIGOU_WEBHOOK_SECRET={storefront.webhook_secret}\n" in out
    assert storefront.webhook_url == DEMO_WEBHOOK_URL


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    user = get_user_model().objects.get(username="purchaser")
    user.set_password("changed-by-the-user")
    user.save()
    before = list(get_user_model().objects.order_by("pk").values())

    call_command("seed_demo")

    assert list(get_user_model().objects.order_by("pk").values()) == before


@pytest.mark.django_db(transaction=True)
@override_settings(DEBUG=True)
def test_seed_demo_history_makes_dated_orders_in_many_states_once(capsys):
    from datetime import timedelta

    from django.utils import timezone

    from purchasing.models import OrderEvent, PurchaseOrder
    from upstream.sandbox.catalogue import seed_catalogue

    seed_catalogue(products=60)
    started = timezone.now()
    call_command("seed_demo", history=14)

    orders = list(PurchaseOrder.objects.all())
    assert len(orders) == 14
    assert "14/14 orders" in capsys.readouterr().out
    statuses = {order.status for order in orders}
    assert {"paid", "shipped", "at_warehouse"} & statuses and len(statuses) >= 5, statuses
    now = timezone.now()
    for order in orders:
        assert now - timedelta(days=91) < order.created_at < now
        if order.paid_at:
            assert order.created_at < order.paid_at < now
        # In the order they were written, each entry strictly after the one before.
        events = OrderEvent.objects.filter(order=order).order_by("pk")
        times = list(events.values_list("created_at", flat=True))
        assert all(a < b for a, b in itertools.pairwise(times)), order.reference
        assert times[0] >= order.created_at and times[-1] < now and order.updated_at < now
        # The dated-back history ends when the order was last changed; the work queue and the
        # deadlines raised after it write today, as they would on a real team's first morning.
        dated = [t for t in times if t < started]
        assert dated and dated[-1] <= order.updated_at, order.reference
        for case in order.refund_cases.all():
            assert order.created_at < case.created_at < now
    assert max(o.created_at for o in orders) - min(o.created_at for o in orders) > timedelta(
        days=20
    )

    # Links the sandbox returned name the real server, not the command's temporary one.
    from django.conf import settings

    from purchasing.models import PurchaseOrderLine

    pictures = PurchaseOrderLine.objects.exclude(picture="").values_list("picture", flat=True)
    assert pictures and all(p.startswith(settings.SANDBOX_BASE_URL) for p in pictures)

    # Each demo purchaser has their own basket; purchaser2's is shared with the team.
    from carts.models import Basket

    baskets = {b.owner.username: b for b in Basket.objects.select_related("owner")}
    assert set(baskets) == {"purchaser", "purchaser2"}
    assert baskets["purchaser"].lines.count() == 2 and not baskets["purchaser"].shared
    assert baskets["purchaser2"].lines.count() == 1 and baskets["purchaser2"].shared

    call_command("seed_demo", history=14)
    assert PurchaseOrder.objects.count() == 14
    assert sum(b.lines.count() for b in Basket.objects.all()) == 3
    assert "already there" in capsys.readouterr().out
