"""Typed products: Taobao items and 1688 offers with their SKUs, properties and price tiers."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from upstream.types.base import Record, fen, id_str, yuan_to_fen

TAOBAO = "taobao"
ALIBABA = "1688"


def _int_or_none(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _fen_or_none(value: Any) -> int | None:
    return None if value is None or value == "" else fen(value)


def _yuan_to_fen_or_none(value: Any) -> int | None:
    return None if value is None or value == "" else yuan_to_fen(value)


def _kg_to_g(value: Any) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int((Decimal(str(value)) * 1000).to_integral_value())
    except (InvalidOperation, ValueError):
        return None


@dataclass(kw_only=True)
class SkuProperty(Record):
    """One property of a SKU, e.g. colour = black (with English names when given)."""

    prop_id: str = ""
    prop_name: str
    value_id: str = ""
    value_name: str
    prop_name_en: str = ""
    value_name_en: str = ""

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> SkuProperty:
        return cls(
            raw=data,
            prop_id=id_str(data.get("propId")),
            prop_name=data.get("propName") or "",
            value_id=id_str(data.get("valueId")),
            value_name=data.get("valueName") or "",
            prop_name_en=data.get("propNameEn") or "",
            value_name_en=data.get("valueNameEn") or "",
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> SkuProperty:
        return cls(
            raw=data,
            prop_id=id_str(data.get("attributeId")),
            prop_name=data.get("attributeName") or "",
            value_name=data.get("value") or "",
            prop_name_en=data.get("attributeNameTrans") or "",
            value_name_en=data.get("valueTrans") or "",
        )


@dataclass(kw_only=True)
class Sku(Record):
    """One orderable combination. Taobao needs `mp_sku_id` to order, 1688 needs `spec_id`."""

    sku_id: str
    spec_id: str = ""
    mp_sku_id: str = ""
    properties: list[SkuProperty] = field(default_factory=list)
    price_fen: int = 0
    stock: int = 0
    available: bool = True  # False: the seller does not offer this combination (any more)

    @property
    def orderable(self) -> bool:
        return self.available and self.stock > 0

    @property
    def label(self) -> str:
        """`黑色 / M`: the property values, as a shop shows them."""
        return " / ".join(p.value_name for p in self.properties)

    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> Sku:
        return cls(
            raw=data,
            sku_id=id_str(data.get("skuId")),
            mp_sku_id=id_str(data.get("mpSkuId")),
            properties=[SkuProperty.from_taobao(p) for p in data.get("properties") or []],
            price_fen=fen(data.get("promotionPrice") or data.get("price")),
            stock=int(data.get("quantity") or 0),
            available=(data.get("status") or "normal") != "invalid",
        )

    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> Sku:
        return cls(
            raw=data,
            sku_id=id_str(data.get("skuId")),
            spec_id=id_str(data.get("specId")),
            properties=[SkuProperty.from_alibaba(p) for p in data.get("skuAttributes") or []],
            price_fen=yuan_to_fen(data.get("price") or data.get("consignPrice")),
            stock=int(data.get("amountOnSale") or 0),
        )


@dataclass(kw_only=True)
class PriceTier(Record):
    """1688 quantity pricing: from `start_quantity` pieces on, each costs `price_fen`."""

    start_quantity: int
    price_fen: int


@dataclass(kw_only=True)
class Product(Record):
    """A Taobao item or a 1688 offer, from a detail payload or (fewer fields) a search item."""

    platform: str  # "taobao" or "1688"
    item_id: str  # Taobao itemId or 1688 offerId
    mp_id: str = ""  # Taobao: needed with mp_sku_id to add to cart and order
    title: str = ""
    title_en: str = ""
    shop_id: str = ""  # Taobao shopId
    shop_name: str = ""  # Taobao shop or 1688 company name
    seller_open_id: str = ""  # 1688 seller
    category_id: str = ""
    category_name: str = ""
    pictures: list[str] = field(default_factory=list)
    price_fen: int = 0  # the lowest unit price at the minimum order quantity
    price_tiers: list[PriceTier] = field(default_factory=list)  # 1688, ascending
    min_order_quantity: int = 1
    monthly_sales: int | None = None  # None when the payload does not say
    weight_g: int | None = None
    domestic_post_fee_fen: int | None = None
    stock: int | None = None
    available: bool = True  # False: delisted
    skus: list[Sku] = field(default_factory=list)
    similarity: int | None = None  # picture search: 0-100
    language: str = ""  # source get: the language `title_en` is in

    @property
    def picture(self) -> str:
        return self.pictures[0] if self.pictures else ""

    def sku(self, sku_id: str) -> Sku | None:
        return next((s for s in self.skus if s.sku_id == sku_id or s.spec_id == sku_id), None)

    def unit_price_fen(self, quantity: int, sku: Sku | None = None) -> int:
        """What one piece costs when buying `quantity`: the 1688 tier, else the SKU price."""
        if len(self.price_tiers) > 1:
            applicable = [t for t in self.price_tiers if t.start_quantity <= quantity]
            return (applicable[-1] if applicable else self.price_tiers[0]).price_fen
        return sku.price_fen if sku is not None else self.price_fen

    # -- Taobao ---------------------------------------------------------------------------
    @classmethod
    def from_taobao(cls, data: dict[str, Any]) -> Product:
        """`/open/product/get`, source get and batch check entries."""
        pictures = list(data.get("picUrls") or [])
        if not pictures and data.get("mainImageUrl"):
            pictures = [data["mainImageUrl"]]
        skus = [Sku.from_taobao(s) for s in data.get("skuList") or []]
        prices = [s.price_fen for s in skus if s.available]
        listed = fen(data.get("promotionPrice") or data.get("price"))
        return cls(
            raw=data,
            platform=TAOBAO,
            item_id=id_str(data.get("itemId")),
            mp_id=id_str(data.get("mpId")),
            title=data.get("originalTitle") or data.get("title") or "",
            title_en=data.get("titleEn") or "",
            shop_id=id_str(data.get("shopId")),
            shop_name=data.get("shopName") or "",
            category_id=id_str(data.get("categoryId")),
            category_name=data.get("categoryName") or "",
            pictures=pictures,
            price_fen=min(prices) if prices else listed,
            monthly_sales=_int_or_none(data.get("monthSales")),
            weight_g=_int_or_none(data.get("weight")),
            domestic_post_fee_fen=_fen_or_none(data.get("postFee")),
            stock=_int_or_none(data.get("quantity")),
            available=(data.get("status") or "ON_SALE") == "ON_SALE",
            skus=skus,
            language=data.get("language") or "",
        )

    @classmethod
    def from_taobao_source(cls, data: dict[str, Any]) -> Product:
        """Source get: the payload's `title` is the translation; here `title` keeps the
        original (`originalTitle`) and `title_en` holds the translation."""
        product = cls.from_taobao(data)
        product.title_en = data.get("title") or product.title_en
        return product

    @classmethod
    def from_taobao_summary(cls, data: dict[str, Any]) -> Product:
        """A Taobao search item."""
        return cls(
            raw=data,
            platform=TAOBAO,
            item_id=id_str(data.get("itemId")),
            mp_id=id_str(data.get("mpId")),
            title=data.get("title") or "",
            title_en=data.get("titleEn") or "",
            shop_id=id_str(data.get("shopId")),
            shop_name=data.get("shopName") or "",
            category_id=id_str(data.get("categoryId")),
            category_name=data.get("categoryName") or "",
            pictures=[data["mainImageUrl"]] if data.get("mainImageUrl") else [],
            price_fen=fen(data.get("price")),
            monthly_sales=_int_or_none(data.get("monthSales")),
            similarity=_int_or_none(data.get("similarity")),
        )

    # -- 1688 -----------------------------------------------------------------------------
    @classmethod
    def from_alibaba(cls, data: dict[str, Any]) -> Product:
        """The 1688 detail (PandaPon product detail, Dajisaas queryProductDetail)."""
        sale = data.get("productSaleInfo") or {}
        shipping = data.get("productShippingInfo") or {}
        tiers = sorted(
            (
                PriceTier(
                    raw=t,
                    start_quantity=int(t.get("startQuantity") or 1),
                    price_fen=yuan_to_fen(t.get("price")),
                )
                for t in sale.get("priceRangeList") or []
            ),
            key=lambda t: t.start_quantity,
        )
        skus = [Sku.from_alibaba(s) for s in data.get("productSkuInfos") or []]
        # The price of one piece at the minimum order; larger orders may reach lower tiers.
        prices = [s.price_fen for s in skus] or [t.price_fen for t in tiers[:1]]
        moq = _int_or_none(data.get("minOrderQuantity"))
        if moq is None:
            moq = tiers[0].start_quantity if tiers else 1
        return cls(
            raw=data,
            platform=ALIBABA,
            item_id=id_str(data.get("offerId")),
            title=data.get("subject") or "",
            title_en=data.get("subjectTrans") or "",
            shop_name=data.get("companyName") or "",
            seller_open_id=id_str(data.get("sellerOpenId")),
            category_id=id_str(data.get("categoryId")),
            category_name=data.get("categoryName") or "",
            pictures=list((data.get("productImage") or {}).get("images") or []),
            price_fen=min(prices) if prices else 0,
            price_tiers=tiers,
            min_order_quantity=moq,
            monthly_sales=_int_or_none(data.get("monthSold")),
            weight_g=_kg_to_g(shipping.get("weight")),
            domestic_post_fee_fen=_yuan_to_fen_or_none(shipping.get("postFee")),
            stock=_int_or_none(sale.get("amountOnSale")),
            available=(data.get("status") or "published") == "published",
            skus=skus,
        )

    @classmethod
    def from_alibaba_summary(cls, data: dict[str, Any]) -> Product:
        """A 1688 search item (keyword, picture, seller, marketing, related, Dajisaas)."""
        price = data.get("priceInfo") or {}
        return cls(
            raw=data,
            platform=ALIBABA,
            item_id=id_str(data.get("offerId")),
            title=data.get("subject") or "",
            title_en=data.get("subjectTrans") or "",
            seller_open_id=id_str(data.get("sellerOpenId")),
            category_id=id_str(data.get("thirdCategoryId") or data.get("categoryId")),
            pictures=[data["imageUrl"]] if data.get("imageUrl") else [],
            price_fen=yuan_to_fen(price.get("price")),
            min_order_quantity=int(data.get("minOrderQuantity") or 1),
            monthly_sales=_int_or_none(data.get("monthSold")),
            similarity=_int_or_none(data.get("similarity")),
        )
