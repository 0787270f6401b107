"""Storefronts (Caigou's machine users), their API keys, the customer orders they push in, and
the webhooks we send them.

A customer order becomes one or more purchase orders (split by platform and seller); each of its
lines points at the purchase-order line bought for it. Money is integer fen (CNY); the customer
order's `currency` is the storefront's own, used only for what the customer paid.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from purchasing.models import Platform, PurchaseOrder, PurchaseOrderLine


class Scope(models.TextChoices):
    ORDERS_READ = "orders:read", _("Read orders")
    ORDERS_WRITE = "orders:write", _("Push and change orders")
    GOODS_READ = "goods:read", _("Look up goods")
    FREIGHT_READ = "freight:read", _("Estimate freight")


ALL_SCOPES = [scope.value for scope in Scope]


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: "whsec_" + base64 of 32 random bytes."""
    import base64

    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Storefront(models.Model):
    """A shop that sells these goods abroad and talks to Caigou over the REST API."""

    class Policy(models.TextChoices):
        AUTO = "auto", _("Submit and pay without a person when within budget and tolerance")
        REVIEW = "review", _("Always wait for a person")

    name = models.CharField(verbose_name=_("name"), max_length=100, unique=True)
    is_active = models.BooleanField(verbose_name=_("active"), default=True)
    # A subset of ALL_SCOPES.
    scopes = models.JSONField(verbose_name=_("scopes"), default=list, blank=True)
    webhook_url = models.URLField(verbose_name=_("webhook URL"), max_length=500, blank=True)
    webhook_secret = models.CharField(
        verbose_name=_("webhook secret"), max_length=80, default=new_webhook_secret
    )
    policy = models.CharField(
        verbose_name=_("buying policy"), max_length=10, choices=Policy.choices, default=Policy.AUTO
    )
    # How far (fen) a preview may exceed what the customer paid before a person, or the
    # customer, must decide.
    tolerance_fen = models.BigIntegerField(verbose_name=_("tolerance (fen)"), default=500)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("storefront")
        verbose_name_plural = _("storefronts")

    def __str__(self) -> str:
        return self.name

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


def hash_key(raw: str) -> str:
    """API keys are 160 random bits, so one round of SHA-256 is enough to store them."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKey(models.Model):
    """A storefront's bearer key: "cg_" + an 8-character prefix (kept, to find the key) + "_" +
    a secret; only the hash of the whole key is stored."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="keys", verbose_name=_("storefront")
    )
    name = models.CharField(verbose_name=_("name"), max_length=100, blank=True)
    prefix = models.CharField(verbose_name=_("prefix"), max_length=16, unique=True)
    hashed = models.CharField(verbose_name=_("key hash"), max_length=64)
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(verbose_name=_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(verbose_name=_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API key")
        verbose_name_plural = _("API keys")

    def __str__(self) -> str:
        return f"{self.storefront} cg_{self.prefix}…"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def issue(cls, storefront: Storefront, name: str = "") -> tuple[ApiKey, str]:
        """A new key for `storefront`; returns it with the raw key, shown once and never again."""
        prefix = secrets.token_hex(4)
        raw = f"cg_{prefix}_{secrets.token_urlsafe(24)}"
        key = cls.objects.create(
            storefront=storefront, name=name, prefix=prefix, hashed=hash_key(raw)
        )
        return key, raw

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class CustomerOrderStatus(models.TextChoices):
    RECEIVED = (
        "received",
        pgettext_lazy("customer order status", "Received"),
    )  # stored; purchase orders are being drafted and previewed
    ON_HOLD = "on_hold", _("On hold")  # waits for a person (exceptions queue)
    NEEDS_DECISION = "needs_decision", _("Needs the customer's decision")
    PURCHASING = "purchasing", _("Purchasing")  # submitted or being paid upstream
    PURCHASED = "purchased", _("Purchased")  # every live line is paid for
    SHIPPED = "shipped", _("Shipped by sellers")  # every live line left its seller
    AT_WAREHOUSE = "at_warehouse", _("At warehouse")
    DISPATCHED = "dispatched", _("Dispatched")
    DELIVERED = "delivered", _("Delivered")
    CANCELLED = "cancelled", _("Cancelled")
    FAILED = "failed", _("Failed")


class CustomerOrder(models.Model):
    """A storefront's customer order, as pushed to POST /api/v1/orders/."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.PROTECT, related_name="orders", verbose_name=_("storefront")
    )
    external_id = models.CharField(verbose_name=_("storefront order id"), max_length=64)
    currency = models.CharField(verbose_name=_("currency"), max_length=3)
    customer_name = models.CharField(verbose_name=_("customer name"), max_length=100)
    customer_email = models.EmailField(verbose_name=_("customer email"), max_length=254, blank=True)
    customer_phone = models.CharField(verbose_name=_("customer phone"), max_length=32, blank=True)
    shipping_address = models.JSONField(verbose_name=_("shipping address"), default=dict)
    # The address-book row equal to `shipping_address`, set when the order is drafted, so a
    # parcel to the customer needs no retyping (services/addresses.py).
    address = models.ForeignKey(
        "logistics.Address",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("address"),
    )
    budget_fen = models.BigIntegerField(verbose_name=_("budget (fen)"), null=True, blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=CustomerOrderStatus.choices,
        default=CustomerOrderStatus.RECEIVED,
        db_index=True,
    )
    status_reason = models.TextField(verbose_name=_("status reason"), blank=True)
    purchase_orders = models.ManyToManyField(
        PurchaseOrder, related_name="customer_orders", blank=True, verbose_name=_("purchase orders")
    )
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(verbose_name=_("updated at"), auto_now=True, db_index=True)
    # When its status was last derived from its purchase orders; the sweeper derives it again
    # when one of them (or a parcel) changed later and that sync task was lost.
    synced_at = models.DateTimeField(verbose_name=_("synced at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("customer order")
        verbose_name_plural = _("customer orders")
        constraints = [
            models.UniqueConstraint(
                fields=["storefront", "external_id"], name="one_order_per_external_id"
            )
        ]
        # A storefront's orders, newest first (the API's list and its cursor).
        indexes = [
            models.Index(fields=["storefront", "-created_at", "-id"], name="co_storefront_newest")
        ]

    def __str__(self) -> str:
        return f"{self.storefront} #{self.external_id}"


class CustomerLineStatus(models.TextChoices):
    PENDING = "pending", _("Pending")  # not bought yet
    NEEDS_DECISION = "needs_decision", _("Needs the customer's decision")
    PURCHASED = "purchased", _("Purchased")
    SHIPPED = "shipped", _("Shipped by seller")
    AT_WAREHOUSE = "at_warehouse", _("At warehouse")
    DISPATCHED = "dispatched", _("Dispatched")
    DELIVERED = "delivered", _("Delivered")
    REFUNDED = "refunded", _("Refunded")
    DROPPED = "dropped", _("Dropped")  # the customer (or a person) took it off the order
    CANCELLED = "cancelled", _("Cancelled")


class CustomerOrderLine(models.Model):
    order = models.ForeignKey(
        CustomerOrder,
        on_delete=models.CASCADE,
        related_name="lines",
        verbose_name=_("customer order"),
    )
    line_no = models.PositiveIntegerField(verbose_name=_("line number"))
    platform = models.CharField(verbose_name=_("platform"), max_length=8, choices=Platform.choices)
    item_id = models.CharField(verbose_name=_("item id"), max_length=32)
    sku_id = models.CharField(verbose_name=_("SKU id"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(verbose_name=_("quantity"))
    # What the customer paid.
    unit_price_fen = models.BigIntegerField(
        verbose_name=_("unit price (fen)"), null=True, blank=True
    )
    note = models.CharField(verbose_name=_("note"), max_length=500, blank=True)
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=CustomerLineStatus.choices,
        default=CustomerLineStatus.PENDING,
    )
    # The purchase-order line bought for this line, once the purchase order is drafted.
    purchase_line = models.OneToOneField(
        PurchaseOrderLine,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="customer_line",
        verbose_name=_("purchase order line"),
    )
    # A customer decision: why it is asked ("price_rose" | "unavailable"), the price (fen) the
    # upstream asks now, and the answer ("accept_price" | "drop") once given.
    decision_reason = models.CharField(verbose_name=_("decision reason"), max_length=20, blank=True)
    decision_price_fen = models.BigIntegerField(
        verbose_name=_("current upstream price (fen)"), null=True, blank=True
    )
    decision = models.CharField(verbose_name=_("customer decision"), max_length=20, blank=True)
    decided_at = models.DateTimeField(verbose_name=_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["order", "line_no"]
        verbose_name = _("customer order line")
        verbose_name_plural = _("customer order lines")
        constraints = [
            models.UniqueConstraint(fields=["order", "line_no"], name="one_line_no_per_order")
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.line_no}"


class IdempotencyKey(models.Model):
    """An `Idempotency-Key` a storefront sent: the first request's fingerprint and, once it has
    finished, its response, replayed for a repeat."""

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="+", verbose_name=_("storefront")
    )
    key = models.CharField(verbose_name=_("key"), max_length=255)
    method = models.CharField(verbose_name=_("HTTP method"), max_length=8)
    path = models.CharField(verbose_name=_("path"), max_length=255)
    # SHA-256 of the request body.
    fingerprint = models.CharField(verbose_name=_("request fingerprint"), max_length=64)
    # None: running.
    response_status = models.PositiveSmallIntegerField(
        verbose_name=_("response status"), null=True, blank=True
    )
    response_body = models.JSONField(verbose_name=_("response body"), null=True, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created at"), auto_now_add=True, db_index=True
    )

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["storefront", "key"], name="one_idempotency_key")
        ]

    def __str__(self) -> str:
        return f"{self.storefront_id}:{self.key}"


class WebhookDelivery(models.Model):
    """One webhook message to a storefront (Standard Webhooks): sent by Celery, retried with
    exponential backoff for 24 hours, replayable from the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")  # retries ran out

    storefront = models.ForeignKey(
        Storefront, on_delete=models.CASCADE, related_name="webhooks", verbose_name=_("storefront")
    )
    customer_order = models.ForeignKey(
        CustomerOrder,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("customer order"),
    )
    # webhook-id: "msg_" + random.
    message_id = models.CharField(verbose_name=_("message id"), max_length=40, unique=True)
    event_type = models.CharField(verbose_name=_("event type"), max_length=60)
    payload = models.JSONField(verbose_name=_("payload"))
    status = models.CharField(
        verbose_name=_("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    attempts = models.PositiveIntegerField(verbose_name=_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(
        verbose_name=_("next attempt at"), null=True, blank=True, db_index=True
    )
    last_status_code = models.PositiveSmallIntegerField(
        verbose_name=_("last status code"), null=True, blank=True
    )
    last_error = models.TextField(verbose_name=_("last error"), blank=True)
    delivered_at = models.DateTimeField(verbose_name=_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(
        verbose_name=_("created at"), auto_now_add=True, db_index=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.message_id} {self.event_type} ({self.get_status_display()})"


class WebhookAttempt(models.Model):
    delivery = models.ForeignKey(
        WebhookDelivery,
        on_delete=models.CASCADE,
        related_name="tries",
        verbose_name=_("webhook delivery"),
    )
    at = models.DateTimeField(verbose_name=_("attempted at"), default=timezone.now)
    status_code = models.PositiveSmallIntegerField(
        verbose_name=_("status code"), null=True, blank=True
    )
    error = models.TextField(verbose_name=_("error"), blank=True)
    response_excerpt = models.CharField(
        verbose_name=_("response excerpt"), max_length=500, blank=True
    )
    duration_ms = models.PositiveIntegerField(verbose_name=_("duration (ms)"), default=0)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")

    def __str__(self) -> str:
        return f"{self.delivery_id} @ {self.at:%Y-%m-%d %H:%M:%S}: {self.status_code}"
