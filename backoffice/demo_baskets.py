"""Demo baskets for `make run`: each purchaser's own basket with a line or two."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from backoffice.demo import _orderable, sandbox_server
from backoffice.roles import PURCHASER

# Each purchaser's own basket with a line or two (purchaser2's shared with the team), added
# through the basket service after the goods are read into the cache as the item page does.
DEMO_BASKETS: dict[str, tuple[tuple[str, int], ...]] = {
    PURCHASER: (("taobao", 0), ("1688", 0)),
    f"{PURCHASER}2": (("taobao", 1),),
}


def demo_baskets_create() -> list[str]:
    """Fill the demo purchasers' empty baskets from the sandbox catalogue; the usernames whose
    basket was filled (none when the sandbox is off or the baskets already hold lines)."""
    from carts.basket_services import basket_add, basket_share
    from carts.models import BasketLine
    from purchasing.services.goods import product_get

    if not settings.UPSTREAM_SANDBOX:
        return []
    users = get_user_model().objects.filter(username__in=DEMO_BASKETS)
    wanted = [u for u in users if not BasketLine.objects.filter(basket__owner=u).exists()]
    if not wanted:
        return []
    catalogue = {"taobao": _orderable("taobao", 4), "1688": _orderable("1688", 4)}
    if not catalogue["taobao"] or not catalogue["1688"]:
        return []  # no sandbox catalogue yet (`manage.py sandbox_seed`)
    filled = []
    with sandbox_server():
        for user in wanted:
            for platform, index in DEMO_BASKETS[user.username]:
                sku = catalogue[platform][min(index, len(catalogue[platform]) - 1)]
                product_get(platform=platform, item_id=sku["item_id"])
                basket_add(
                    actor=user,
                    platform=platform,
                    item_id=sku["item_id"],
                    sku_id=sku["sku_id"],
                    quantity=sku["minimum"],
                    note="demo",
                )
            basket_share(actor=user, shared=user.username != PURCHASER)
            filled.append(user.username)
    return filled
