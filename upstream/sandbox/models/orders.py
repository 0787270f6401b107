"""Sandbox carts, orders, order lines and payments, for both platforms and both providers."""

from __future__ import annotations

from django.db import models

from upstream.sandbox.models.catalogue import Platform, Product, Shop, Sku

__all__ = ["FOREIGN_PREFIX", "CartItem", "Order", "OrderLine", "Payment"]

FOREIGN_PREFIX = "foreign:"  # created_by of an order someone else placed on the account


class CartItem(models.Model):
    """A line in an account's upstream cart (carts are per user-id)."""

    user_id = models.CharField(max_length=64)
    platform = models.CharField(max_length=8, choices=Platform.choices)
    cart_id = models.CharField(max_length=32, unique=True)
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    sku = models.ForeignKey(Sku, on_delete=models.CASCADE)
    quantity = models.PositiveIntegerField()
    added_price_fen = models.PositiveIntegerField()  # the price when it was added
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "platform"])]

    def __str__(self) -> str:
        return f"cart {self.cart_id} of {self.user_id}"


class Order(models.Model):
    """An upstream order. `status` holds the platform's own value (WAIT_BUYER_P, waitsellersend).

    The sandbox never deduplicates: a second create with the same outer reference makes a second
    order, so `outer_ref` is indexed, not unique.
    """

    provider = models.CharField(max_length=16)  # pandapon or dajisaas
    platform = models.CharField(max_length=8, choices=Platform.choices)
    user_id = models.CharField(max_length=64)
    order_id = models.CharField(max_length=32, unique=True)
    order_no = models.CharField(max_length=32, blank=True)
    # The reference the caller sent, kept as the sandbox's own books (ledger, control API,
    # tests) whatever the profile; `ref_ignored` says the upstream ignored it, so no answer
    # echoes it and no list filters by it (profile.py).
    outer_ref = models.CharField(max_length=100, blank=True, db_index=True)
    outer_ref_field = models.CharField(max_length=40, blank=True)
    ref_ignored = models.BooleanField(default=False)
    created_by = models.CharField(max_length=60)  # the operation that created it
    status = models.CharField(max_length=40)
    flow = models.CharField(max_length=30, blank=True)
    trade_type = models.CharField(max_length=30, blank=True)
    shop = models.ForeignKey(Shop, on_delete=models.PROTECT, null=True, blank=True)
    address = models.JSONField(default=dict)
    message = models.CharField(max_length=500, blank=True)
    goods_fen = models.PositiveIntegerField(default=0)
    freight_fen = models.PositiveIntegerField(default=0)
    discount_fen = models.PositiveIntegerField(default=0)
    total_fen = models.PositiveIntegerField(default=0)  # what must be paid
    price_modified = models.BooleanField(default=False)
    close_reason = models.CharField(max_length=100, blank=True)
    warehouse_name = models.CharField(max_length=100, blank=True)
    warehouse_address = models.CharField(max_length=300, blank=True)
    # Payment vouchers uploaded: [{"name", "contentType", "size", "url", "uploadedAt"}]
    vouchers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)  # reached the agent's warehouse
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user_id", "platform", "status"])]

    def __str__(self) -> str:
        return f"{self.platform} order {self.order_id} ({self.status})"

    @property
    def echoed_ref(self) -> str:
        """The reference an answer may carry: none when the upstream ignored it."""
        return "" if self.ref_ignored else self.outer_ref

    @property
    def foreign(self) -> bool:
        """Placed by someone else on the same account (orders/foreign.py)."""
        return self.created_by.startswith(FOREIGN_PREFIX)


class OrderLine(models.Model):
    """A sub-order (Taobao) or an order entry (1688)."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    sub_order_id = models.CharField(max_length=32, unique=True)
    order_line_no = models.CharField(max_length=64, blank=True)  # the client's line number
    product = models.ForeignKey(Product, on_delete=models.PROTECT)
    sku = models.ForeignKey(Sku, on_delete=models.PROTECT, null=True, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price_fen = models.PositiveIntegerField()
    amount_fen = models.PositiveIntegerField()
    status = models.CharField(max_length=40)
    logistics_company = models.CharField(max_length=60, blank=True)
    tracking_no = models.CharField(max_length=40, blank=True)
    refund_status = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"line {self.sub_order_id} of {self.order_id}"


class Payment(models.Model):
    """Every pay call that moved money. Paying twice is possible here, as upstream."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payments")
    pay_id = models.CharField(max_length=32, unique=True)
    amount_fen = models.PositiveIntegerField()
    operation = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"payment {self.pay_id} of {self.order_id}"
