"""Baskets: add goods, change or remove a line, share, and order from one's own basket.

Every function takes the acting person and touches only that person's basket: a line of
anyone else's basket is `NotYours` (the page answers 404, so it does not even say the line
exists). A shared basket is read by the team (`carts.basket_selectors`) but changed and ordered
only by its owner.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from carts.models import MAX_LINE_QUANTITY, Basket, BasketLine
from carts.services import PLATFORMS, CartRefused, check_orderable
from purchasing.models import PurchaseOrder
from purchasing.services.orders.approval import order_note_approver
from purchasing.services.orders.preview import order_create_from_items
from purchasing.variants import variant_words

NOTE_MAX = 300


class NotYours(LookupError):
    """No such line or basket among the ones this person may change."""


def _check_quantity(quantity: int | None) -> int:
    if quantity is None or quantity < 1:
        raise CartRefused(_("Enter a quantity of at least 1."))
    if quantity > MAX_LINE_QUANTITY:
        raise CartRefused(
            _("Enter a quantity of at most %(most)s.") % {"most": f"{MAX_LINE_QUANTITY:,}"}
        )
    return quantity


def _own_basket(actor: Any) -> Basket:
    """The actor's basket, made on first use and locked for the rest of the transaction."""
    basket, _created = Basket.objects.get_or_create(owner=actor)
    return Basket.objects.select_for_update().get(pk=basket.pk)


def _own_line(actor: Any, line_id: int) -> BasketLine:
    line = (
        BasketLine.objects.select_for_update()
        .filter(pk=line_id, basket__owner=actor)
        .select_related("basket")
        .first()
    )
    if line is None:
        raise NotYours(line_id)
    return line


@transaction.atomic
def basket_add(
    *,
    actor: Any,
    platform: str,
    item_id: str,
    sku_id: str,
    quantity: int | None,
    note: str = "",
) -> BasketLine:
    """Put a SKU in the actor's basket, or add to its line when it is there already.

    The SKU is checked against the goods cache for the quantity the line will hold (stock, the
    1688 minimum), not for what only the upstream cart needs: a basket is ordered by item.
    Raises CartRefused with a sentence."""
    quantity = _check_quantity(quantity)
    if platform not in PLATFORMS:
        raise CartRefused(_("Choose Taobao or 1688."))
    basket = _own_basket(actor)
    line = (
        basket.lines.select_for_update()
        .filter(platform=platform, item_id=item_id, sku_id=sku_id)
        .first()
    )
    total = _check_quantity(quantity + (line.quantity if line else 0))
    sku = check_orderable(platform=platform, item_id=item_id, sku_id=sku_id, quantity=total)
    product = sku.product
    snapshot = {
        "spec_id": sku.spec_id,
        "title": product.title[:300],
        "title_en": product.title_en[:300],
        "variant": variant_words(sku.properties)[:300],
        "picture": str((product.pictures or [""])[0])[:500],
        "seller_name": product.shop_name[:200],
        "unit_price_fen": sku.price_fen,
    }
    note = note.strip()[:NOTE_MAX]
    if line is None:
        return BasketLine.objects.create(
            basket=basket,
            platform=platform,
            item_id=item_id,
            sku_id=sku_id,
            quantity=total,
            note=note,
            **snapshot,
        )
    for field, value in snapshot.items():
        setattr(line, field, value)
    line.quantity = total
    if note:
        line.note = note
    line.save()
    return line


@transaction.atomic
def basket_line_change(
    *, actor: Any, line_id: int, quantity: int | None, note: str | None = None
) -> BasketLine:
    """Set the quantity (and the note, when given) of a line of the actor's own basket."""
    line = _own_line(actor, line_id)
    quantity = _check_quantity(quantity)
    if quantity > line.quantity:
        # More than before must still be orderable; fewer never needs the cache.
        check_orderable(
            platform=line.platform, item_id=line.item_id, sku_id=line.sku_id, quantity=quantity
        )
    line.quantity = quantity
    if note is not None:
        line.note = note.strip()[:NOTE_MAX]
    line.save()
    return line


@transaction.atomic
def basket_line_remove(*, actor: Any, line_id: int) -> None:
    """Take a line out of the actor's own basket."""
    _own_line(actor, line_id).delete()


@transaction.atomic
def basket_share(*, actor: Any, shared: bool) -> Basket:
    """Let the team read the actor's basket, or make it private again."""
    basket = _own_basket(actor)
    basket.shared = shared
    basket.save(update_fields=["shared", "updated_at"])
    return basket


@transaction.atomic
def basket_order(
    *,
    actor: Any,
    platform: str,
    line_ids: Sequence[int],
    address: Mapping[str, Any],
) -> PurchaseOrder:
    """A draft order of the named lines of the actor's basket (all of one platform), made by
    the staff create from items, with the lines' notes as its note to the approver; the ordered
    lines leave the basket in the same transaction, so a failed create keeps them and a made
    order never leaves them behind.

    Raises NotYours for a line that is not in the actor's basket (or not of the platform),
    CartRefused when no line is named, and what the create raises (OrderError, UpstreamError)."""
    if platform not in PLATFORMS:
        raise CartRefused(_("Choose Taobao or 1688."))
    wanted = set(line_ids)
    if not wanted:
        raise CartRefused(_("Tick at least one line of your basket to order."))
    basket = _own_basket(actor)
    found = list(basket.lines.select_for_update().filter(platform=platform, pk__in=wanted))
    if len(found) != len(wanted):
        raise NotYours(sorted(wanted - {line.pk for line in found}))
    items = [
        {"item_id": line.item_id, "sku_id": line.sku_id, "quantity": line.quantity}
        for line in found
    ]
    order = order_create_from_items(platform=platform, items=items, address=address, actor=actor)
    notes = [f"{line.title[:40]}: {line.note}" for line in found if line.note]
    if notes:
        # What the purchaser wrote on the lines travels with the order, to its approver.
        order = order_note_approver(order=order, actor=actor, note="; ".join(notes))
    BasketLine.objects.filter(pk__in=[line.pk for line in found]).delete()
    return order
