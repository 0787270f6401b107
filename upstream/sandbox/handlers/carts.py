"""Sandbox handlers: the Taobao and 1688 carts of each upstream user (`call.user_id`).

Cart ids: the docs type them `array[integer]` with small examples (`[382]`, `[75, 76]`), so the
sandbox issues 9-digit numbers (safe as int32 and in JavaScript) and answers them as JSON
integers; requests may send them as integers or strings.

Rules: adding a SKU already in the cart adds to that line. Quantities must fit the SKU's stock
(1001) and the SKU must be orderable (1003); a 1688 offer's minimum order quantity applies to
the sum of its SKUs in the cart (400 naming the minimum). Lines are priced and judged by
`upstream.sandbox.pricing`, the same rules a preview and a create apply.

Shapes where the docs are silent (our contract, parsed by `upstream.types.carts`):
- add answers the cart id (`data: 123456789`); edit quantity and delete answer `data: true`.
- list: `{enableList[], disableList[]}` of seller groups, as the documented 1688 list
  (`AlibabaCartV2VO`). Taobao groups are `{shopId, shopName, cartItemInfos[]}` with lines
  `{id, itemId, skuId, mpId, mpSkuId, itemTitle, itemPic, price, quantity, skuQuantity,
  properties, disableReason}`; 1688 groups are `{sellerOpenId, sellerNickName, cartItemInfos[]}`
  with lines `{id, offerMapId, offerId, specId, skuId, itemTitle, itemPic, price, quantity,
  amountOnSale, properties, disableReason}`. `price` is the unit price in fen (integer);
  `properties` a JSON string (as in the add request and the 1688 list); `disableReason` is null
  on orderable lines, else the preview's reason ("offer unavailable", "out of stock",
  "below minimum order quantity").
- Taobao preview (`/v2/taobao/cart/preview/order`, ASSUMED): `{purchaseAmount, productAmount,
  domesticPostFee, discountAmount (fen integers, all sellers), currency, shopPreviewList[{shopId,
  shopName, success, errorCode, errorMsg, purchaseAmount, productAmount, domesticPostFee,
  discountAmount, promotionList[], itemList[{cartId, itemId, skuId, mpId, mpSkuId, title,
  quantity, unitPrice, purchaseAmount, available, unavailableReason, errorCode}]}]}`.
  Unavailable lines are listed and left out of the sums.
- 1688 preview: the 1688 order preview (`orderPreviewResuslt[]`, sums fen, cargo amounts yuan),
  each cargo also naming its `cartId`.
- Taobao create: the seed's `CreateOrderV2VO` `{id, orderNo, createTime, subOrderVOS[]}` (see
  `taobao_cart_order`), one order for all shops, one sub-order per cart line. 1688 create: one
  order per seller, answered as the createCrossOrder result with every order in `orderList`.
  Both echo `clientRequestId`.
- Unknown cart ids: edit and delete answer 404; preview and create answer 400 "cart items not
  found". Ordered lines leave the cart, so repeating a create (same `clientRequestId` or not)
  finds its lines gone and is refused; the sandbox itself never deduplicates
  `clientRequestId`: a create naming lines still in the cart creates again.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

from upstream.sandbox import images, pricing
from upstream.sandbox import orders as svc
from upstream.sandbox import statuses as st
from upstream.sandbox.handlers.orders import FLOWS, created_result, preview_results, purchase_id
from upstream.sandbox.handlers.orders import taobao_order as taobao_order_payload
from upstream.sandbox.models import CartItem, Order, OrderLine, Platform, Product, Shop, Sku
from upstream.sandbox.router import SandboxCall, SandboxError, handles

TAOBAO = Platform.TAOBAO.value
ALIBABA = Platform.ALIBABA.value
SERVICES = [
    {
        "code": "7d",
        "desc": "七天无理由退货",
        "imageUrl": "https://img.alicdn.com/imgextra/i4/"
        "O1CN01gk3LQL1xZoiKiMXXc_!!6000000006458-2-tps-40-40.png",
        "name": "七天无理由退货",
    }
]


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


# -- cart lines -----------------------------------------------------------------------------
def _new_cart_id() -> str:
    while True:
        cart_id = str(secrets.randbelow(9 * 10**8) + 10**8)
        if not CartItem.objects.filter(cart_id=cart_id).exists():
            return cart_id


def _quantity(value: Any) -> int:
    try:
        quantity = int(str(value))
    except (TypeError, ValueError) as exc:
        raise SandboxError(400, "quantity must be a whole number") from exc
    if quantity < 1:
        raise SandboxError(400, "quantity must be at least 1")
    return quantity


def _ids(call: SandboxCall, name: str) -> list[str]:
    """Cart ids from a JSON list, a JSON string of one, or a comma-separated string."""
    value = call.json_param(name)
    if isinstance(value, str):
        value = value.split(",")
    elif not isinstance(value, list):
        value = [value]
    ids = [str(item).strip() for item in value if str(item).strip()]
    if not ids or not all(item.isdigit() for item in ids):
        raise SandboxError(400, f"{name} must be a list of cart ids")
    return list(dict.fromkeys(ids))


def _lines(call: SandboxCall, platform: str) -> QuerySet[CartItem]:
    return CartItem.objects.filter(user_id=call.user_id, platform=platform)


def _selected(call: SandboxCall, platform: str, name: str) -> list[CartItem]:
    """The caller's cart lines named by `name`, in the order given; 400 if any is missing."""
    ids = _ids(call, name)
    found = {
        line.cart_id: line
        for line in _lines(call, platform)
        .select_for_update()
        .select_related("product__shop", "sku")
        .filter(cart_id__in=ids)
    }
    missing = [cart_id for cart_id in ids if cart_id not in found]
    if missing:
        raise SandboxError(400, f"cart items not found: {', '.join(missing)}")
    return [found[cart_id] for cart_id in ids]


def _items(lines: Iterable[CartItem]) -> list[pricing.Item]:
    # The cart id is the line number, so previews and order lines point back at the cart.
    return [(line.product, line.sku, line.quantity, line.cart_id) for line in lines]


def _check_orderable(product: Product, sku: Sku) -> None:
    if not product.available:
        raise SandboxError(1003, f"item {product.item_id} is no longer available")
    if not sku.available:
        raise SandboxError(1003, f"SKU {sku.sku_id} of item {product.item_id} is unavailable")


def _check_stock(sku: Sku, quantity: int) -> None:
    if quantity > sku.stock:
        raise SandboxError(1001, f"SKU {sku.sku_id}: {quantity} wanted, {sku.stock} in stock")


def _check_minimum(call: SandboxCall, product: Product, quantity: int, line: CartItem | None):
    """1688 minimums apply to the offer: the sum over its SKUs in the cart after the change."""
    others = _lines(call, ALIBABA).filter(product=product)
    if line is not None:
        others = others.exclude(pk=line.pk)
    total = quantity + sum(others.values_list("quantity", flat=True))
    if total < product.min_order_quantity:
        raise SandboxError(
            400,
            f"offer {product.item_id}: quantity {total} is below the minimum order quantity "
            f"{product.min_order_quantity}",
        )


def _add(call: SandboxCall, platform: str, product: Product, sku: Sku, quantity: int) -> int:
    _check_orderable(product, sku)
    line = _lines(call, platform).select_for_update().filter(sku=sku).first()
    total = quantity + (line.quantity if line else 0)
    if platform == ALIBABA:
        _check_minimum(call, product, total, line)
    _check_stock(sku, total)
    if line is None:
        line = CartItem.objects.create(
            user_id=call.user_id,
            platform=platform,
            cart_id=_new_cart_id(),
            product=product,
            sku=sku,
            quantity=total,
            added_price_fen=sku.price_fen,
        )
    else:
        line.quantity = total
        line.save(update_fields=["quantity", "updated_at"])
    return int(line.cart_id)


def _edit(call: SandboxCall, platform: str) -> bool:
    quantity = _quantity(call.param("quantity"))
    cart_id = str(call.param("id")).strip()
    line = (
        _lines(call, platform)
        .select_for_update()
        .select_related("product", "sku")
        .filter(cart_id=cart_id)
        .first()
    )
    if line is None:
        raise SandboxError(404, f"no cart item {cart_id}")
    if platform == ALIBABA:
        _check_minimum(call, line.product, quantity, line)
    # Lowering a quantity is always allowed (it may cure a shortage); raising must fit.
    if quantity > line.quantity:
        _check_stock(line.sku, quantity)
    line.quantity = quantity
    line.save(update_fields=["quantity", "updated_at"])
    return True


def _delete(call: SandboxCall, platform: str) -> bool:
    ids = _ids(call, "ids")
    lines = _lines(call, platform).filter(cart_id__in=ids)
    missing = sorted(set(ids) - set(lines.values_list("cart_id", flat=True)))
    if missing:
        raise SandboxError(404, f"no cart items {', '.join(missing)}")
    lines.delete()
    return True


# -- list -----------------------------------------------------------------------------------
def _cart(call: SandboxCall, platform: str) -> list[pricing.SellerPreview]:
    """The whole cart priced as one order would be: unit prices (1688 tiers by the offer's
    quantity in the cart) and the reason a create would refuse a line, by the same rules."""
    lines = (
        _lines(call, platform).select_related("product__shop", "sku").order_by("created_at", "pk")
    )
    return pricing.preview(platform=platform, items=_items(lines))


def _grouped(
    sellers: list[pricing.SellerPreview],
    group_of: Callable[[Shop], dict[str, Any]],
    item_of: Callable[[pricing.PreviewLine], dict[str, Any]],
) -> dict[str, list[dict[str, Any]]]:
    enabled: list[dict[str, Any]] = []
    disabled: list[dict[str, Any]] = []
    for seller in sellers:
        for groups, lines in (
            (enabled, [line for line in seller.lines if line.available]),
            (disabled, seller.unavailable_lines),
        ):
            if lines:
                infos = [{**item_of(line), "disableReason": line.reason or None} for line in lines]
                groups.append({**group_of(seller.shop), "cartItemInfos": infos})
    return {"enableList": enabled, "disableList": disabled}


def _properties(sku: Sku | None) -> str:
    return _json(sku.properties if sku else [])


def _picture(call: SandboxCall, product: Product) -> str:
    return images.picture_url(call.request, product.platform, product.item_id, 1)


# -- orders ---------------------------------------------------------------------------------
def _order_address(call: SandboxCall) -> dict[str, Any]:
    """Taobao `orderAddress`: the schema says `mobile_phone`, the seed example `mobilePhone`;
    either is accepted and both are kept."""
    address = call.json_param("orderAddress")
    if not isinstance(address, dict):
        raise SandboxError(400, "orderAddress must be an object")
    address = dict(address)
    mobile = address.get("mobile_phone") or address.get("mobilePhone") or ""
    address["mobile_phone"] = address["mobilePhone"] = mobile
    for name in ("name", "address"):
        if not address.get(name):
            raise SandboxError(400, f"orderAddress.{name} is required")
    return address


def _ordered(lines: list[CartItem]) -> None:
    """Ordered lines leave the cart."""
    CartItem.objects.filter(pk__in=[line.pk for line in lines]).delete()


def item_map_id(item_id: str) -> str:
    """An opaque v2 item id (43 url-safe characters, like the seed's), stable per item."""
    digest = hashlib.sha256(f"taobao-item:{item_id}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def taobao_cart_order(call: SandboxCall, order: Order) -> dict[str, Any]:
    """`CreateOrderV2VO` as in seed 001: `{id, orderNo, createTime, subOrderVOS[{subOrderId,
    orderNo, quantity, title, purchaseCurrency, purchaseAmount (fen string), itemMapId,
    domesticPostFee (fen integer), closeReason, skuId, status, goodsStatus, refundType,
    taobaoPurchaseId, taobaoSubPurchaseId, subOrderResult (a JSON string), errorCode,
    errorMessage, refundStatus (integer, 0 = none)}]}`. Beyond the seed: the order totals of
    `/open/order` (`status, purchaseAmount, productAmount, ...`), `clientRequestId`, and on
    each sub-order `itemId`, `orderLineNo` (the cart id) and `unitPrice` (fen string)."""
    payload = taobao_order_payload(order)
    freight = svc.seller_freight(order)
    lines = order.lines.select_related("product__shop", "sku").order_by("pk")
    payload["subOrderVOS"] = [_sub_order(call, order, line, freight) for line in lines]
    payload["clientRequestId"] = order.outer_ref
    return payload


def _sub_order(
    call: SandboxCall, order: Order, line: OrderLine, freight: dict[int, int]
) -> dict[str, Any]:
    product, sku, shop = line.product, line.sku, line.product.shop
    post_fee = freight.pop(product.shop_id, 0)  # a shop's freight is on its first line
    map_id = item_map_id(product.item_id)
    purchase, sub_purchase = purchase_id(order.order_id), purchase_id(line.sub_order_id)
    props = sku.properties if sku else []
    zh = {prop.get("propName", ""): prop.get("valueName", "") for prop in props}
    en = {
        prop.get("propNameEn") or prop.get("propName", ""): prop.get("valueNameEn")
        or prop.get("valueName", "")
        for prop in props
    }
    closed = line.status == st.CLOSED[order.platform]
    result = {
        "alipay_pay_order_no": f"{svc.china_time(order.created_at, '%Y%m%d')}2200"
        f"{order.order_id[-16:]}",
        "quantity": line.quantity,
        "item_id": map_id,
        "purchase_currency": "CNY",
        "option_fields": {
            "SKU_IMG_URL": _picture(call, product),
            "supplierNick": shop.name,
            "serviceList": _json(SERVICES),
            "en": _json(en),
            "shopName": shop.name,
            "shopId": shop.shop_id,
            "zh": _json(zh),
        },
        "sku_id": sku.sku_id if sku else "",
        "title": product.title,
        "purchase_order_line_outer_id": line.sub_order_id,
        "pay_currency": "CNY",
        "purchase_amount": line.amount_fen,
        "purchase_order_outer_id": order.order_id,
        "domestic_post_fee": post_fee,
        "closed": closed,
        "sub_purchase_order_id": sub_purchase,
        "itemMapId": map_id,
        "product_amount": str(line.amount_fen),
        "status": line.status,
    }
    return {
        "subOrderId": line.sub_order_id,
        "orderNo": order.order_no,
        "quantity": line.quantity,
        "title": product.title,
        "purchaseCurrency": "CNY",
        "purchaseAmount": str(line.amount_fen),
        "itemMapId": map_id,
        "domesticPostFee": post_fee,
        "closeReason": (order.close_reason or "buyerCancel") if closed else None,
        "skuId": sku.sku_id if sku else None,
        "status": line.status,
        "goodsStatus": None,
        "refundType": None,
        "taobaoPurchaseId": purchase,
        "taobaoSubPurchaseId": sub_purchase,
        "subOrderResult": _json(result),
        "errorCode": None,
        "errorMessage": None,
        "refundStatus": int(line.refund_status or 0),
        "itemId": product.item_id,
        "orderLineNo": line.order_line_no,
        "unitPrice": str(line.unit_price_fen),
    }


def _taobao_preview(sellers: list[pricing.SellerPreview]) -> dict[str, Any]:
    groups = []
    for seller in sellers:
        problems = seller.unavailable_lines
        groups.append(
            {
                "shopId": seller.shop.shop_id,
                "shopName": seller.shop.name,
                "success": not problems,
                "errorCode": str(problems[0].code) if problems else None,
                "errorMsg": problems[0].reason if problems else None,
                "purchaseAmount": seller.total_fen,
                "productAmount": seller.goods_fen,
                "domesticPostFee": seller.freight_fen,
                "discountAmount": seller.discount_fen,
                "promotionList": seller.promotions,
                "itemList": [
                    {
                        "cartId": int(line.line_no),
                        "itemId": line.product.item_id,
                        "skuId": line.sku.sku_id if line.sku else None,
                        "mpId": line.product.mp_id,
                        "mpSkuId": line.sku.mp_sku_id if line.sku else None,
                        "title": line.product.title,
                        "quantity": line.quantity,
                        "unitPrice": line.unit_price_fen,
                        "purchaseAmount": line.amount_fen,
                        "available": line.available,
                        "unavailableReason": line.reason or None,
                        "errorCode": str(line.code) if not line.available else None,
                    }
                    for line in seller.lines
                ],
            }
        )
    return {
        "purchaseAmount": sum(seller.total_fen for seller in sellers),
        "productAmount": sum(seller.goods_fen for seller in sellers),
        "domesticPostFee": sum(seller.freight_fen for seller in sellers),
        "discountAmount": sum(seller.discount_fen for seller in sellers),
        "currency": "CNY",
        "shopPreviewList": groups,
    }


def _flow(call: SandboxCall) -> str:
    flow = str(call.param("flow", "") or "")
    if flow and flow not in FLOWS:
        raise SandboxError(400, f"unknown flow {flow}")
    return flow


def _address_param(call: SandboxCall) -> dict[str, Any]:
    address = call.json_param("addressParam", {}) or {}
    if not isinstance(address, dict):
        raise SandboxError(400, "addressParam must be an object")
    return address


# -- Taobao ---------------------------------------------------------------------------------
@handles("taobao_cart_add")
def taobao_cart_add(call: SandboxCall) -> int:
    """`/open/cart/add` (v1): the mpId/mpSkuId pair names the SKU; itemId/skuId must match.
    The display fields (itemTitle, price, shopName...) are accepted and not trusted."""
    quantity = _quantity(call.param("quantity"))
    mp_id, mp_sku_id = str(call.param("mpId")), str(call.param("mpSkuId"))
    product = Product.objects.filter(platform=TAOBAO, mp_id=mp_id).first()
    if product is None:
        raise SandboxError(404, f"no Taobao item with mpId {mp_id}")
    if str(call.param("itemId")) != product.item_id:
        raise SandboxError(400, f"itemId does not match mpId {mp_id}")
    sku = product.skus.filter(mp_sku_id=mp_sku_id).first()
    if sku is None:
        raise SandboxError(404, f"no SKU with mpSkuId {mp_sku_id} in item {product.item_id}")
    if str(call.param("skuId")) != sku.sku_id:
        raise SandboxError(400, f"skuId does not match mpSkuId {mp_sku_id}")
    properties = call.json_param("properties")
    if properties not in (None, "") and not isinstance(properties, list):
        raise SandboxError(400, "properties must be a JSON list")
    return _add(call, TAOBAO, product, sku, quantity)


@handles("taobao_cart_list")
def taobao_cart_list(call: SandboxCall) -> dict[str, Any]:
    """GET /v2/taobao/cart/list (ASSUMED): the cart by shop (shape in the module docstring)."""
    return _grouped(
        _cart(call, TAOBAO),
        lambda shop: {"shopId": shop.shop_id, "shopName": shop.name},
        lambda line: {
            "id": int(line.line_no),
            "itemId": line.product.item_id,
            "skuId": line.sku.sku_id if line.sku else None,
            "mpId": line.product.mp_id,
            "mpSkuId": line.sku.mp_sku_id if line.sku else None,
            "itemTitle": line.product.title,
            "itemPic": _picture(call, line.product),
            "price": line.unit_price_fen,
            "quantity": line.quantity,
            "skuQuantity": line.sku.stock if line.sku else 0,
            "properties": _properties(line.sku),
        },
    )


@handles("taobao_cart_edit_quantity")
def taobao_cart_edit_quantity(call: SandboxCall) -> bool:
    """POST /v2/taobao/cart/edit-quantity (ASSUMED): id, quantity -> true."""
    return _edit(call, TAOBAO)


@handles("taobao_cart_delete")
def taobao_cart_delete(call: SandboxCall) -> bool:
    """POST /v2/taobao/cart/delete (ASSUMED): ids[] -> true; 404 if any id is not in the cart."""
    return _delete(call, TAOBAO)


@handles("taobao_cart_preview")
def taobao_cart_preview(call: SandboxCall) -> dict[str, Any]:
    """POST /v2/taobao/cart/preview/order (ASSUMED): ids[], orderAddress -> the Taobao preview
    shape of the module docstring."""
    lines = _selected(call, TAOBAO, "ids")
    _order_address(call)
    return _taobao_preview(pricing.preview(platform=TAOBAO, items=_items(lines)))


@handles("taobao_cart_create_order")
def taobao_cart_create_order(call: SandboxCall) -> dict[str, Any]:
    """POST /v2/taobao/cart/create/order: ids[], orderAddress, clientRequestId (ASSUMED) -> one
    order holding every line (seed 001's shape); the ordered lines leave the cart."""
    lines = _selected(call, TAOBAO, "ids")
    orders = svc.create_orders(
        call=call,
        platform=TAOBAO,
        items=_items(lines),
        address=_order_address(call),
        outer_ref=str(call.param("clientRequestId", "")),
        split_by_seller=False,
    )
    _ordered(lines)
    return taobao_cart_order(call, orders[0])


# -- 1688 -----------------------------------------------------------------------------------
@handles("alibaba_cart_add")
def alibaba_cart_add(call: SandboxCall) -> int:
    """POST /alibaba/cart/add (ASSUMED): offerId, specId, quantity -> the cart id."""
    quantity = _quantity(call.param("quantity"))
    offer_id, spec_id = str(call.param("offerId")), str(call.param("specId"))
    product = Product.objects.filter(platform=ALIBABA, item_id=offer_id).first()
    if product is None:
        raise SandboxError(404, f"no 1688 offer {offer_id}")
    sku = product.skus.filter(spec_id=spec_id).first()
    if sku is None:
        raise SandboxError(404, f"no specId {spec_id} in offer {offer_id}")
    return _add(call, ALIBABA, product, sku, quantity)


@handles("alibaba_cart_list")
def alibaba_cart_list(call: SandboxCall) -> dict[str, Any]:
    """GET /v2/alibaba/cart/list: `AlibabaCartV2VO`, plus `offerId` and `disableReason`."""
    return _grouped(
        _cart(call, ALIBABA),
        lambda shop: {"sellerOpenId": shop.shop_id, "sellerNickName": shop.name},
        lambda line: {
            "id": int(line.line_no),
            "offerMapId": line.product.item_id,
            "offerId": line.product.item_id,
            "specId": line.sku.spec_id if line.sku else "",
            "skuId": line.sku.sku_id if line.sku else "",
            "itemTitle": line.product.title,
            "itemPic": _picture(call, line.product),
            "price": line.unit_price_fen,
            "quantity": line.quantity,
            "amountOnSale": line.sku.stock if line.sku else 0,
            "properties": _properties(line.sku),
        },
    )


@handles("alibaba_cart_edit_quantity")
def alibaba_cart_edit_quantity(call: SandboxCall) -> bool:
    """POST /alibaba/cart/edit-quantity: id, quantity -> true (documented `data: boolean`)."""
    return _edit(call, ALIBABA)


@handles("alibaba_cart_delete")
def alibaba_cart_delete(call: SandboxCall) -> bool:
    """POST /alibaba/cart/delete (ASSUMED): ids[] -> true; 404 if any id is not in the cart."""
    return _delete(call, ALIBABA)


@handles("alibaba_cart_preview")
def alibaba_cart_preview(call: SandboxCall) -> dict[str, Any]:
    """POST /alibaba/cart/preview/order: cartIds[], addressParam, flow -> `orderPreviewResuslt[]`
    per seller, each cargo naming its `cartId`."""
    lines = _selected(call, ALIBABA, "cartIds")
    _address_param(call)
    sellers = pricing.preview(platform=ALIBABA, items=_items(lines))
    payload = preview_results(sellers, _flow(call))
    for result, seller in zip(payload["orderPreviewResuslt"], sellers, strict=True):
        for cargo, line in zip(result["cargoList"], seller.lines, strict=True):
            cargo["cartId"] = int(line.line_no)
    return payload


@handles("alibaba_cart_create_order")
def alibaba_cart_create_order(call: SandboxCall) -> dict[str, Any]:
    """POST /alibaba/cart/create/order: flow, cartIds[], clientRequestId (ASSUMED), addressParam,
    message, tradeType -> one order per seller, as the createCrossOrder result listing every
    order in `orderList`; the ordered lines leave the cart."""
    lines = _selected(call, ALIBABA, "cartIds")
    reference = str(call.param("clientRequestId", ""))
    orders = svc.create_orders(
        call=call,
        platform=ALIBABA,
        items=_items(lines),
        address=_address_param(call),
        flow=_flow(call),
        message=str(call.param("message", "") or ""),
        outer_ref=reference,
        trade_type=str(call.param("tradeType", "") or ""),
    )
    _ordered(lines)
    return {**created_result(orders, always_list=True), "clientRequestId": reference}
