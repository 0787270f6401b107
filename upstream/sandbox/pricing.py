"""Sandbox previews: what an order would cost, per seller, before anything is created.

Rules (deterministic, so tests can compute the same numbers):
- Unit price: the SKU's price (the product's when it has no SKUs). A 1688 offer with quantity
  tiers scales it by the tier for the offer's total quantity in the order
  (`tier price / first tier price`), rounded half up.
- Freight per seller, by the weight of its available lines: 1688 `FREIGHT_FIRST_KG_FEN` for the
  first kilogram and `FREIGHT_EXTRA_KG_FEN` for each further started kilogram; Taobao charges the
  largest `domestic_post_fee_fen` of the seller's items for the first kilogram (0 = free
  shipping) and `FREIGHT_EXTRA_KG_FEN` per further kilogram when it charges at all.
- Promotion: a full reduction `满200减10` when a seller's available goods reach 200 yuan.
- Unavailable offers or SKUs, stock shortages and (1688) quantities under the minimum order
  quantity are reported on the line with a reason and code; they are left out of the totals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from upstream.sandbox.models.catalogue import Platform, Product, Shop, Sku

FREIGHT_FIRST_KG_FEN = 600
FREIGHT_EXTRA_KG_FEN = 200
PROMOTION_THRESHOLD_FEN = 20000
PROMOTION_DISCOUNT_FEN = 1000
PROMOTION = {
    "promotionId": "FULL_REDUCTION_200_10",
    "text": "满200减10",
    "desc": "Spend 200 yuan, save 10 yuan",
    "freePostage": False,
    "discountFee": PROMOTION_DISCOUNT_FEN,
    "selected": True,
}

# Reasons a line cannot be ordered, with the business code a create refuses with.
UNAVAILABLE = "offer unavailable"
OUT_OF_STOCK = "out of stock"
BELOW_MINIMUM = "below minimum order quantity"
REASON_CODES = {UNAVAILABLE: 1003, OUT_OF_STOCK: 1001, BELOW_MINIMUM: 400}

Item = tuple[Product, Sku | None, int, str]  # product, sku, quantity, line number


@dataclass
class PreviewLine:
    product: Product
    sku: Sku | None
    quantity: int
    unit_price_fen: int
    amount_fen: int
    available: bool
    reason: str = ""
    line_no: str = ""

    @property
    def code(self) -> int:
        """The business code a create would refuse this line with (0 when available)."""
        return 0 if self.available else REASON_CODES.get(self.reason, 1003)


@dataclass
class SellerPreview:
    shop: Shop
    lines: list[PreviewLine]
    goods_fen: int
    freight_fen: int
    discount_fen: int
    total_fen: int
    promotions: list[dict] = field(default_factory=list)

    @property
    def available(self) -> bool:
        return all(line.available for line in self.lines)

    @property
    def unavailable_lines(self) -> list[PreviewLine]:
        return [line for line in self.lines if not line.available]


def unit_price_fen(product: Product, sku: Sku | None, offer_quantity: int) -> int:
    """The price of one unit when `offer_quantity` units of the offer are ordered together."""
    base = sku.price_fen if sku is not None else product.price_fen
    tiers = sorted(product.price_tiers or [], key=lambda tier: int(tier["startQuantity"]))
    if product.platform != Platform.ALIBABA or not tiers:
        return base
    first = int(tiers[0]["priceFen"])
    applicable = first
    for tier in tiers:
        if offer_quantity >= int(tier["startQuantity"]):
            applicable = int(tier["priceFen"])
    if first <= 0 or applicable == first:
        return base
    scaled = Decimal(base) * Decimal(applicable) / Decimal(first)
    return max(1, int(scaled.to_integral_value(ROUND_HALF_UP)))


def freight_fen(platform: str, lines: list[PreviewLine]) -> int:
    """Domestic freight of one seller's available lines, by weight."""
    available = [line for line in lines if line.available]
    if not available:
        return 0
    grams = sum(line.product.weight_g * line.quantity for line in available)
    extra_kg = max(0, -(-grams // 1000) - 1)  # started kilograms after the first
    if platform == Platform.ALIBABA:
        return FREIGHT_FIRST_KG_FEN + FREIGHT_EXTRA_KG_FEN * extra_kg
    first = max(line.product.domestic_post_fee_fen for line in available)
    return first + FREIGHT_EXTRA_KG_FEN * extra_kg if first else 0


def _line(product: Product, sku: Sku | None, quantity: int, line_no: str, offer_qty: int):
    unit = unit_price_fen(product, sku, offer_qty)
    reason = ""
    if not product.available or (sku is not None and not sku.available):
        reason = UNAVAILABLE
    elif product.platform == Platform.ALIBABA and offer_qty < product.min_order_quantity:
        reason = BELOW_MINIMUM
    elif sku is not None and sku.stock < quantity:
        reason = OUT_OF_STOCK
    return PreviewLine(
        product=product,
        sku=sku,
        quantity=quantity,
        unit_price_fen=unit,
        amount_fen=unit * quantity,
        available=not reason,
        reason=reason,
        line_no=line_no,
    )


def preview(*, platform: str, items: list[Item]) -> list[SellerPreview]:
    """Price `items` grouped by seller, in the order sellers first appear; never raises for
    unavailable lines (they carry `available=False` and a reason)."""
    offer_quantity: dict[int, int] = defaultdict(int)
    for product, _sku, quantity, _line_no in items:
        offer_quantity[product.pk] += quantity
    by_shop: dict[int, list[PreviewLine]] = {}
    shops: dict[int, Shop] = {}
    for product, sku, quantity, line_no in items:
        shops.setdefault(product.shop_id, product.shop)
        line = _line(product, sku, quantity, line_no, offer_quantity[product.pk])
        by_shop.setdefault(product.shop_id, []).append(line)
    previews = []
    for shop_pk, lines in by_shop.items():
        goods = sum(line.amount_fen for line in lines if line.available)
        freight = freight_fen(platform, lines)
        promotions = [dict(PROMOTION)] if goods >= PROMOTION_THRESHOLD_FEN else []
        discount = sum(promotion["discountFee"] for promotion in promotions)
        previews.append(
            SellerPreview(
                shop=shops[shop_pk],
                lines=lines,
                goods_fen=goods,
                freight_fen=freight,
                discount_fen=discount,
                total_fen=goods + freight - discount,
                promotions=promotions,
            )
        )
    return previews
