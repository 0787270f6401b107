"""Goods payloads: picture URLs, Taobao items and 1688 offers as the platforms give them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from upstream.sandbox import images
from upstream.sandbox.catalogue import CATEGORY_BY_ID
from upstream.sandbox.models import Product, Shop, Sku
from upstream.sandbox.router import SandboxCall


# -- pictures -----------------------------------------------------------------------------
def _pictures(call: SandboxCall, product: Product) -> list[str]:
    return [
        images.picture_url(call.request, product.platform, product.item_id, n)
        for n in range(1, product.picture_count + 1)
    ]


def _main_picture(call: SandboxCall, product: Product) -> str:
    return images.picture_url(call.request, product.platform, product.item_id, 1)


# -- Taobao payloads ----------------------------------------------------------------------
def _taobao_properties(product: Product, skus: list[Sku]) -> list[dict[str, Any]]:
    """The property table `[{propId, propName, values[{valueId, valueName}]}]` of an item."""
    table: dict[str, dict[str, Any]] = {}
    for sku in skus:
        for prop in sku.properties:
            entry = table.setdefault(
                prop["propId"],
                {
                    "propId": prop["propId"],
                    "propName": prop["propName"],
                    "propNameEn": prop.get("propNameEn", ""),
                    "values": [],
                },
            )
            if all(v["valueId"] != prop["valueId"] for v in entry["values"]):
                value = {"valueId": prop["valueId"], "valueName": prop["valueName"]}
                entry["values"].append({**value, "valueNameEn": prop.get("valueNameEn", "")})
    return list(table.values())


def _sku_props(sku: Sku, english: bool = False) -> list[dict[str, str]]:
    """`[{propId, propName, valueId, valueName, propNameEn, valueNameEn}]`: the documented
    cart-add property fields, plus English names."""
    return [
        {
            "propId": p["propId"],
            "propName": p.get("propNameEn", "") if english else p["propName"],
            "valueId": p["valueId"],
            "valueName": p.get("valueNameEn", "") if english else p["valueName"],
            "propNameEn": p.get("propNameEn", ""),
            "valueNameEn": p.get("valueNameEn", ""),
        }
        for p in sku.properties
    ]


def _taobao_summary(call: SandboxCall, product: Product) -> dict[str, Any]:
    return {
        "itemId": product.item_id,
        "mpId": product.mp_id,
        "title": product.title,
        "titleEn": product.title_en,
        "mainImageUrl": _main_picture(call, product),
        "price": str(product.price_fen),
        "monthSales": product.monthly_sales,
        "shopId": product.shop.shop_id,
        "shopName": product.shop.name,
        "categoryId": product.category_id,
        "categoryName": product.category_name,
        "location": f"{product.shop.province} {product.shop.city}".strip(),
    }


def _taobao_detail(call: SandboxCall, product: Product, *, english: bool = False) -> dict:
    skus = sorted(product.skus.all(), key=lambda s: s.pk)
    return {
        "itemId": product.item_id,
        "mpId": product.mp_id,
        "title": product.title_en if english else product.title,
        "titleEn": product.title_en,
        "picUrls": _pictures(call, product),
        "mainImageUrl": _main_picture(call, product),
        "price": str(product.price_fen),
        "promotionPrice": str(product.price_fen),
        "quantity": sum(s.stock for s in skus if s.available) if product.available else 0,
        "status": "ON_SALE" if product.available else "OFF_SHELF",
        "shopId": product.shop.shop_id,
        "shopName": product.shop.name_en if english else product.shop.name,
        "location": f"{product.shop.province} {product.shop.city}".strip(),
        "categoryId": product.category_id,
        "categoryName": product.category_name_en if english else product.category_name,
        "monthSales": product.monthly_sales,
        "weight": product.weight_g,  # grams
        "postFee": str(product.domestic_post_fee_fen),
        "properties": _taobao_properties(product, skus),
        "skuList": [
            {
                "skuId": sku.sku_id,
                "mpSkuId": sku.mp_sku_id,
                "price": str(sku.price_fen),
                "promotionPrice": str(sku.price_fen),
                "quantity": sku.stock if sku.available and product.available else 0,
                "status": "normal" if sku.available else "invalid",
                "properties": _sku_props(sku, english),
                "picUrl": _main_picture(call, product),
            }
            for sku in skus
        ],
    }


# -- 1688 payloads ------------------------------------------------------------------------
def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _alibaba_summary(call: SandboxCall, product: Product) -> dict[str, Any]:
    category = CATEGORY_BY_ID.get(product.category_id)
    return {
        "offerId": product.item_id,
        "subject": product.title,
        "subjectTrans": product.title_en,
        "imageUrl": _main_picture(call, product),
        "priceInfo": {
            "price": _yuan(product.price_fen),
            "jxhyPrice": _yuan(product.price_fen * 97 // 100),
            "consignPrice": _yuan(product.price_fen),
        },
        "monthSold": product.monthly_sales,
        "isOnePsale": product.min_order_quantity == 1,
        "repurchaseRate": f"{int(product.item_id) % 40 + 5}%",
        "minOrderQuantity": product.min_order_quantity,
        "sellerOpenId": product.shop.shop_id,
        "topCategoryId": category.parent_id if category else "",
        "thirdCategoryId": product.category_id,
    }


def _wangwang_url(shop: Shop) -> str:
    # The "encrypted" Wangwang link 1688 hands out: the seller is hidden in `uid`.
    return (
        "https://amos.alicdn.com/getcid.aw?v=3&groupid=0&s=1&charset=utf-8"
        f"&site=cnalichn&uid={shop.shop_id}"
    )


def _alibaba_detail(call: SandboxCall, product: Product) -> dict[str, Any]:
    skus = sorted((s for s in product.skus.all() if s.available), key=lambda s: s.pk)
    tiers = product.price_tiers or [
        {"startQuantity": product.min_order_quantity, "priceFen": product.price_fen}
    ]
    return {
        "offerId": product.item_id,
        "categoryId": product.category_id,
        "categoryName": product.category_name,
        "categoryNameTrans": product.category_name_en,
        "subject": product.title,
        "subjectTrans": product.title_en,
        "status": "published" if product.available else "expired",
        "productImage": {"images": _pictures(call, product)},
        "productSkuInfos": [
            {
                "skuId": sku.sku_id,
                "specId": sku.spec_id,
                "price": _yuan(sku.price_fen),
                "consignPrice": _yuan(sku.price_fen),
                "amountOnSale": sku.stock if product.available else 0,
                "skuAttributes": [
                    {
                        "attributeId": p["propId"],
                        "attributeName": p["propName"],
                        "attributeNameTrans": p.get("propNameEn", ""),
                        "value": p["valueName"],
                        "valueTrans": p.get("valueNameEn", ""),
                    }
                    for p in sku.properties
                ],
            }
            for sku in skus
        ],
        "productSaleInfo": {
            "amountOnSale": sum(s.stock for s in skus) if product.available else 0,
            "priceRangeList": [
                {"startQuantity": tier["startQuantity"], "price": _yuan(tier["priceFen"])}
                for tier in tiers
            ],
            "quoteType": 1 if len(tiers) > 1 else 0,  # 1: by quantity, 0: by SKU
            "unitInfo": {"unit": "件", "transUnit": "piece"},
        },
        "productShippingInfo": {
            "weight": float(Decimal(product.weight_g) / 1000),  # kilograms, as 1688 gives it
            "postFee": _yuan(product.domestic_post_fee_fen),
            "sendGoodsAddressText": f"{product.shop.province}省 {product.shop.city}市",
            "shippingTimeGuarantee": "shipIn48Hours",
        },
        "monthSold": product.monthly_sales,
        "sellerOpenId": product.shop.shop_id,
        "companyName": product.shop.name,
        "wangwangUrl": _wangwang_url(product.shop),
        "minOrderQuantity": product.min_order_quantity,
        "batchNumber": 1,
    }
