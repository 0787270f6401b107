"""What pushes orders through submit and pay while faults fly.

A driver has two verbs: `push(index)` starts one customer's order and returns the ids of the
purchase orders it made; `advance()` does what a customer or a person would do next (pay what
is ready) and returns how many orders it moved. `PurchaseOrderDriver` goes through the
purchasing services as staff do (create from items, preview, confirm, pay); a storefront
driver (intake with the auto policy, which previews, submits and pays by itself) fits the same
two verbs.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import F
from django.test import override_settings

from purchasing.models import PaymentAttempt, PurchaseOrder
from purchasing.models.orders import Source
from purchasing.selectors.orders import pay_hold
from purchasing.services.orders.approval import order_confirm
from purchasing.services.orders.common import OrderError
from purchasing.services.orders.pay import order_pay
from purchasing.services.orders.preview import order_create_from_items, order_preview
from purchasing.services.orders.split import order_split
from purchasing.statuses import OrderStatus
from tests.orders.factories import ADDRESS
from tests.purchasing.factories import StaffUserFactory
from tests.upstream.factories import pick
from upstream.errors import UpstreamError
from upstream.sandbox.models import Sku

logger = logging.getLogger(__name__)
PLATFORMS = ("taobao", "1688")
ATTEMPTS = 8  # a customer pressing the button again while the upstream misbehaves
PAY_BATCH = 3  # orders paid in one go (1688 orders in one batch call)
SPLIT_EVERY = 5  # every fifth 1688 staff order is a draft of two SKUs split into two parts


class Driver(Protocol):
    def push(self, index: int) -> list[int]: ...

    def advance(self) -> int: ...


def stock_up() -> dict[str, dict[str, Any]]:
    """One always-orderable SKU per platform, with stock for any run; as order items."""
    items = {}
    for platform in PLATFORMS:
        chosen = pick(platform)
        Sku.objects.filter(pk=chosen.sku.pk).update(stock=F("stock") + 1_000_000)
        items[platform] = {
            "item_id": chosen.product.item_id,
            "sku_id": chosen.sku.sku_id,
            "spec_id": chosen.sku.spec_id,
            "quantity": chosen.quantity,
        }
        if platform == "1688":
            more = chosen.product.skus.exclude(pk=chosen.sku.pk).order_by("pk").first()
            Sku.objects.filter(pk=more.pk).update(available=True, stock=F("stock") + 1_000_000)
            items["1688-more"] = {**items[platform], "sku_id": more.sku_id, "spec_id": more.spec_id}
    return items


@dataclass
class PurchaseOrderDriver:
    """Staff orders: a purchaser-approver builds, previews and confirms; finance pays."""

    items: dict[str, dict[str, Any]]
    buyer: Any = field(default_factory=lambda: StaffUserFactory(role="approver"))
    payer: Any = field(default_factory=lambda: StaffUserFactory(role="finance"))
    enqueues_lost: int = 0  # the broker was away when a task was to be enqueued
    refused: int = 0  # gave up pushing (the upstream kept failing the preview)
    pay_batch: int = PAY_BATCH  # orders finance selects and pays in one go

    def push(self, index: int) -> list[int]:
        platform = PLATFORMS[index % len(PLATFORMS)]
        if platform == "1688" and (index // len(PLATFORMS)) % SPLIT_EVERY == SPLIT_EVERY - 1:
            return self._push_split()
        order = self._retry(
            lambda: order_create_from_items(
                platform=platform, items=[self.items[platform]], address=ADDRESS, actor=self.buyer
            )
        )
        if order is None:
            self.refused += 1
            return []
        if self._retry(lambda: order_preview(order=order, actor=self.buyer)) is None:
            self.refused += 1
            return [order.pk]
        try:
            self._enqueue(lambda: order_confirm(order=order, actor=self.buyer))
        except (OrderError, UpstreamError) as exc:
            logger.info("%s not confirmed: %s", order.reference, exc)
            self.refused += 1
        return [order.pk]

    def _push_split(self) -> list[int]:
        """A draft of two SKUs of one seller, with one SKU per upstream order allowed: split
        into two parts (nothing upstream), each previewed and confirmed as any order."""
        items = [self.items["1688"], self.items["1688-more"]]
        order = self._retry(
            lambda: order_create_from_items(
                platform="1688", items=items, address=ADDRESS, actor=self.buyer
            )
        )
        if order is None:
            self.refused += 1
            return []
        with override_settings(CAIGOU_1688_SKUS_PER_ORDER=1):
            parts = order_split(order=order, actor=self.buyer)
        for part in parts:
            if self._retry(lambda part=part: order_preview(order=part, actor=self.buyer)) is None:
                self.refused += 1
                continue
            try:
                self._enqueue(lambda part=part: order_confirm(order=part, actor=self.buyer))
            except (OrderError, UpstreamError) as exc:
                logger.info("%s not confirmed: %s", part.reference, exc)
                self.refused += 1
        return [order.pk, *(part.pk for part in parts)]

    def advance(self) -> int:
        ready = list(
            PurchaseOrder.objects.filter(
                source=Source.STAFF, status=OrderStatus.AWAITING_PAYMENT, needs_attention=False
            )
            .exclude(
                payments__status__in=[
                    PaymentAttempt.Status.PENDING,
                    PaymentAttempt.Status.UNKNOWN,
                    PaymentAttempt.Status.SUCCEEDED,
                ]
            )
            .order_by("pk")
        )
        # A part held back while another part of its draft is stopped waits for a person.
        ready = [order for order in ready if not pay_hold(order)]
        paid = 0
        for start in range(0, len(ready), self.pay_batch):
            batch = ready[start : start + self.pay_batch]
            try:
                self._enqueue(lambda batch=batch: order_pay(orders=batch, actor=self.payer))
            except OrderError as exc:  # moved on since it was listed (a callback, a sweep)
                logger.info("not paid now: %s", exc)
                continue
            paid += len(batch)
        return paid

    def _enqueue(self, action) -> Any:
        """Run a service whose task is enqueued after commit; the commit stands when the
        enqueue fails (the broker is away), and the sweeper finds the work later."""
        try:
            return action()
        except (OrderError, UpstreamError):
            raise
        except Exception as exc:  # noqa: BLE001 (kombu's and redis's connection errors)
            logger.warning("enqueue lost after commit: %s", exc)
            self.enqueues_lost += 1
            return None

    @staticmethod
    def _retry(action) -> Any:
        for attempt in range(ATTEMPTS):
            try:
                return action()
            except UpstreamError as exc:
                logger.info("upstream failed (%s); trying again", exc)
                time.sleep(0.2 * (attempt + 1))
        return None


@dataclass
class StorefrontDriver:
    """Storefront orders: pushed in as the API does, then the intake task (on the workers)
    previews, submits and pays them under the auto policy; nothing to advance by hand."""

    items: dict[str, dict[str, Any]]
    storefront: Any = None
    pushed: list[int] = field(default_factory=list)  # customer order ids

    def __post_init__(self) -> None:
        from storefront.models import ALL_SCOPES, Storefront

        self.storefront = Storefront.objects.create(name="Fault shop", scopes=ALL_SCOPES)

    def push(self, index: int) -> list[int]:
        from storefront.services.intake import customer_order_create

        item = self.items[PLATFORMS[index % len(PLATFORMS)]]
        data = {
            "external_id": f"F-{index}",
            "currency": "USD",
            "customer": {"name": "Fault customer", "email": "", "phone": ""},
            "shipping_address": {"name": "Fault customer", "country": "US"},
            "lines": [
                {
                    "platform": PLATFORMS[index % len(PLATFORMS)],
                    "item_id": item["item_id"],
                    "sku_id": item["sku_id"] or item["spec_id"],
                    "quantity": item["quantity"],
                    "unit_price_fen": None,
                    "note": "",
                }
            ],
            "budget_fen": None,
        }
        try:
            order, _ = customer_order_create(storefront=self.storefront, data=data)
        except Exception as exc:  # noqa: BLE001 (the broker is away: the order is stored)
            logger.warning("storefront push %s: %s", index, exc)
            return []
        self.pushed.append(order.pk)
        return []  # its purchase orders are made by the intake task, on the workers

    def advance(self) -> int:
        return 0

    def purchase_orders(self) -> list[int]:
        return list(
            PurchaseOrder.objects.filter(customer_orders__in=self.pushed).values_list(
                "pk", flat=True
            )
        )

    def lost(self) -> list[str]:
        """Customer orders that never got their purchase orders."""
        from storefront.models import CustomerOrder

        empty = CustomerOrder.objects.filter(pk__in=self.pushed, purchase_orders__isnull=True)
        return [f"customer order {o.external_id}: {o.status} {o.status_reason}" for o in empty]


@dataclass
class MixedDriver:
    """Every other order from a storefront, the rest from staff."""

    staff: PurchaseOrderDriver
    storefront: StorefrontDriver
    pushes: int = 0

    @property
    def enqueues_lost(self) -> int:
        return self.staff.enqueues_lost

    def push(self) -> list[int]:
        """Push the next order; the ids of the purchase orders made now (staff orders)."""
        index, self.pushes = self.pushes, self.pushes + 1
        driver = self.storefront if index % 2 else self.staff
        return driver.push(index // 2)

    def advance(self) -> int:
        return self.staff.advance()
