"""What a page says where a route cannot do something: one sentence per `Capability`, and what
does exist instead (the seller's chat link when the data has one, PandaPon for a step that is
not bound to an order, when PandaPon is configured).

Every page that meets a missing capability asks `missing(route, capability)` (or the
`route_missing` template tag), so the words are the same everywhere and never an upstream error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from purchasing.models import Platform
from purchasing.models.orders import Provider
from purchasing.routes import ROUTES
from purchasing.routes.base import Capability, Route

if TYPE_CHECKING:
    from purchasing.models import PurchaseOrder

# What each capability is, as the sentence names it ("Dajisaas has no operation for …").
WHAT = {
    Capability.CART: gettext_lazy("an upstream cart"),
    Capability.SEVERAL_SELLERS: gettext_lazy("ordering from several sellers at once"),
    Capability.SPLIT: gettext_lazy("several upstream orders under one reference"),
    Capability.BATCH_PAY: gettext_lazy("paying several orders in one call"),
    Capability.RECEIPT: gettext_lazy("confirming receipt"),
    Capability.TRACE: gettext_lazy("the seller's logistics trace"),
    Capability.WAREHOUSE: gettext_lazy("changing the warehouse"),
    Capability.IM: gettext_lazy("a seller chat link"),
    Capability.VOUCHER: gettext_lazy("payment vouchers"),
    Capability.AFTERSALES: gettext_lazy("refunds and returns"),
    Capability.CATEGORIES: gettext_lazy("categories"),
    Capability.MARKETING: gettext_lazy("marketing lists"),
    Capability.RELATED: gettext_lazy("related goods"),
}
# Steps that do not belong to an order created on one provider: another provider can serve
# them. Refunds or a trace of an order can only come from the provider that holds the order.
NOT_ORDER_BOUND = frozenset(
    {Capability.CART, Capability.CATEGORIES, Capability.MARKETING, Capability.RELATED}
)


@dataclass(frozen=True)
class Missing:
    """A capability a route lacks, as a page shows it."""

    sentence: str
    chat_url: str = ""  # the seller's chat link, when the order's goods carry one
    fallback: Route | None = None  # the PandaPon route that serves the step, when configured

    @property
    def fallback_sentence(self) -> str:
        if self.fallback is None:
            return ""
        return _("PandaPon can do this step instead.")


def sentence(route: Route, capability: Capability) -> str:
    """ "<Provider> has no operation for <what> on <platform>." ("" when the route can)."""
    if route.can(capability):
        return ""
    return _("%(provider)s has no operation for %(what)s on %(platform)s.") % {
        "provider": Provider(route.provider).label,
        "what": WHAT[capability],
        "platform": Platform(route.platform).label,
    }


def missing(
    route: Route, capability: Capability, *, order: PurchaseOrder | None = None
) -> Missing | None:
    """The sentence and the alternatives for `capability` on `route`; None when it can."""
    if route.can(capability):
        return None
    return Missing(
        sentence=sentence(route, capability),
        chat_url=seller_chat_url(order) if order is not None else "",
        fallback=_fallback(route, capability),
    )


def seller_chat_url(order: PurchaseOrder) -> str:
    """The seller's chat link stored with the order's goods (a 1688 detail's `wangwangUrl`), or
    "" when none of its goods carries one."""
    for line in order.lines.select_related("cached_product").order_by("line_no"):
        raw = line.cached_product.raw if line.cached_product else {}
        url = str((raw or {}).get("wangwangUrl") or "")
        if url.startswith("https://"):
            return url
    return ""


def _fallback(route: Route, capability: Capability) -> Route | None:
    if capability not in NOT_ORDER_BOUND or route.provider == Provider.PANDAPON:
        return None
    if not (settings.PANDAPON_BASE_URL and settings.PANDAPON_ACCESS_KEY):
        return None
    other = ROUTES.get((route.platform, Provider.PANDAPON))
    return other if other is not None and other.can(capability) else None


# The README's table of what each route can do (its order section): a column per step, with
# the capability whose absence says "no" (None: every route has the operation). A test compares
# the README with `capability_table()`, so the table cannot drift from `Route.cannot`.
COLUMNS: tuple[tuple[str, Capability | None], ...] = (
    ("search", None),
    ("image search", None),
    ("categories", Capability.CATEGORIES),
    ("carts", Capability.CART),
    ("create", Capability.SEVERAL_SELLERS),
    ("batch pay", Capability.BATCH_PAY),
    ("cashier link", None),
    ("cancel", None),
    ("confirm receipt", Capability.RECEIPT),
    ("after-sales", Capability.AFTERSALES),
    ("logistics trace", Capability.TRACE),
)
# A "no" that is only partly one.
PARTLY = {Capability.SEVERAL_SELLERS: "one seller each"}


def capability_table() -> str:
    """The Markdown table of what each route can do, one row per route."""
    rows = [
        "| route | " + " | ".join(heading for heading, _capability in COLUMNS) + " |",
        "|---" * (len(COLUMNS) + 1) + "|",
    ]
    for route in ROUTES.values():
        cells = [
            "yes" if capability is None or route.can(capability) else PARTLY.get(capability, "no")
            for _heading, capability in COLUMNS
        ]
        name = f"{Platform(route.platform).label} via {Provider(route.provider).label}"
        rows.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(rows)
