"""What a person may see of baskets: their own, and the ones teammates share. Every query here
is filtered by owner or by the shared flag; another person's private basket is never read."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from carts.models import Basket, BasketLine
from carts.services import PLATFORM_NAMES, PLATFORMS


@dataclass
class PlatformLines:
    """A basket's lines of one platform (an order takes the lines of one platform)."""

    platform: str
    lines: list[BasketLine] = field(default_factory=list)

    @property
    def platform_name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

    @property
    def total_fen(self) -> int:
        return sum(line.amount_fen for line in self.lines)

    @property
    def quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


@dataclass
class BasketView:
    """A basket as its page shows it; `mine` when the viewer owns it (and so may change it)."""

    basket: Basket | None
    owner_name: str
    mine: bool
    sections: list[PlatformLines]

    @property
    def empty(self) -> bool:
        return not any(section.lines for section in self.sections)

    @property
    def shared(self) -> bool:
        return bool(self.basket and self.basket.shared)


def visible_baskets(user: Any) -> QuerySet[Basket]:
    """The baskets this person may read: their own and every shared one."""
    return Basket.objects.filter(Q(owner=user) | Q(shared=True))


def shared_by_others(user: Any) -> QuerySet[Basket]:
    """Teammates' shared baskets with at least one line, with their line counts."""
    return (
        Basket.objects.filter(shared=True)
        .exclude(owner=user)
        .select_related("owner")
        .annotate(line_count=Count("lines"))
        .filter(line_count__gt=0)
        .order_by("owner__username")
    )


def _owner_name(owner: Any) -> str:
    return owner.get_full_name() or owner.get_username()


def _view(basket: Basket | None, owner: Any, viewer: Any) -> BasketView:
    lines = list(basket.lines.all()) if basket is not None else []
    sections = [
        PlatformLines(platform, [line for line in lines if line.platform == platform])
        for platform in PLATFORMS
    ]
    return BasketView(basket, _owner_name(owner), owner.pk == viewer.pk, sections)


def my_basket(user: Any) -> BasketView:
    """The person's own basket (empty when they never added anything)."""
    basket = Basket.objects.filter(owner=user).first()
    return _view(basket, user, user)


def basket_for(user: Any, basket_id: int) -> BasketView | None:
    """A basket this person may read, or None: someone else's private basket is not there."""
    basket = visible_baskets(user).select_related("owner").filter(pk=basket_id).first()
    if basket is None:
        return None
    return _view(basket, basket.owner, user)
