"""Sandbox rows for the tests that drive the simulator: an orderable pick from the seeded
catalogue, the warehouse addresses, small fixed catalogues and orders, the control API, and the
cart, goods and after-sales helpers."""

from __future__ import annotations

import base64
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone
from PIL import ImageDraw
from responses import RequestsMock

from upstream.operations import PANDAPON, operation
from upstream.pandapon import PandaPon
from upstream.sandbox import control, images
from upstream.sandbox import orders as svc
from upstream.sandbox.handlers.aftersales import advance_refunds
from upstream.sandbox.ids import new_id
from upstream.sandbox.models import CartItem, Order, OrderLine, Platform, Product, Refund, Shop, Sku
from upstream.sandbox.router import SandboxCall

TAOBAO = Platform.TAOBAO.value
# The upstream as documented; it sits beside the repository (tests using it skip without it).
UPSTREAM_API = Path(__file__).resolve().parents[2].parent / "shared" / "upstream-api.md"
SEEDS = UPSTREAM_API.parent / "seeds"
# A Taobao create's body as the client sends it.
ORDER_BODY = {
    "orderLineList": [{"itemId": "1", "skuId": "2", "quantity": 1}],
    "receiver": {"name": "张三", "mobile": "13800138000"},
    "sellerOrderNumber": "PO-1",
}


ADDRESS_1688 = {
    "fullName": "张三",
    "mobile": "18888888888",
    "phone": "18888888888",
    "postCode": "510000",
    "provinceText": "广东省",
    "cityText": "广州市",
    "areaText": "白云区",
    "townText": "",
    "address": "太和镇集货仓 A-12",
    "districtCode": "440111",
}


RECEIVER = {
    "zip": "510000",
    "country": "中国",
    "state": "广东省",
    "city": "广州市",
    "district": "白云区",
    "address": "太和镇集货仓 A-12",
    "phone": "",
    "mobile_phone": "15068763421",
    "name": "集货仓",
}


@dataclass
class Pick:
    """An orderable SKU and a quantity that satisfies its offer's minimum."""

    product: Product
    sku: Sku
    quantity: int

    @property
    def item(self) -> tuple[Product, Sku, int, str]:
        return (self.product, self.sku, self.quantity, "")


def pick(
    platform: str,
    *,
    quantity: int = 1,
    other_than: tuple[Pick, ...] = (),
    other_shop_than: tuple[Pick, ...] = (),
    tiers: bool = False,
) -> Pick:
    """The first orderable SKU of the seeded catalogue that fits."""
    used = {p.sku.pk for p in other_than}
    shops = {p.product.shop_id for p in other_shop_than}
    products = Product.objects.filter(platform=platform, available=True).select_related("shop")
    for product in products.order_by("pk"):
        if product.shop_id in shops or (tiers and len(product.price_tiers) < 2):
            continue
        wanted = max(quantity, product.min_order_quantity)
        sku = (
            product.skus.filter(available=True, stock__gte=wanted)
            .exclude(pk__in=used)
            .order_by("pk")
            .first()
        )
        if sku is not None:
            return Pick(product, sku, wanted)
    raise AssertionError(f"no orderable {platform} SKU for {quantity}")


def fake_call(name: str, *, user_id: str = "2100007341207") -> SandboxCall:
    """A SandboxCall for driving the services without HTTP (provider comes from the op)."""
    return SandboxCall(operation(name), {}, {}, "test", user_id, request=None)


def dajisaas_taobao_order(*picks: Pick, outer_ref: str = "") -> Order:
    """Dajisaas exposes no Taobao create: the sandbox's own service makes one for its user."""
    call = fake_call("dj_taobao_order_cancel", user_id=settings.DAJISAAS_APP_KEY)
    items = [p.item for p in picks]
    with transaction.atomic():  # as the router runs every handler
        return svc.create_orders(
            call=call,
            platform=TAOBAO,
            items=items,
            address=RECEIVER,
            outer_ref=outer_ref,
            split_by_seller=False,
        )[0]


def tick(times: int = 1) -> None:
    for _ in range(times):
        control.tick()


def make_order(sku: Sku, *, status="WAIT_BUYER_P", outer_ref="PO-9", order_id="3001") -> Order:
    order = Order.objects.create(
        provider="pandapon",
        platform="taobao",
        user_id="2100007341207",
        order_id=order_id,
        outer_ref=outer_ref,
        created_by="taobao_order_create",
        status=status,
        shop=sku.product.shop,
        goods_fen=3990,
        freight_fen=600,
        total_fen=4590,
    )
    OrderLine.objects.create(
        order=order,
        sub_order_id=f"{order_id}-1",
        product=sku.product,
        sku=sku,
        quantity=1,
        unit_price_fen=3990,
        amount_fen=3990,
        status=status,
    )
    return order


def small_catalogue() -> Sku:
    """One Taobao SKU in stock and one 1688 offer, each in its own shop."""
    shop = Shop.objects.create(platform="taobao", shop_id="S1", name="小店")
    product = Product.objects.create(
        platform="taobao", item_id="652874251412", shop=shop, title="纯棉T恤", price_fen=3990
    )
    sku = Sku.objects.create(product=product, sku_id="5001", price_fen=3990, stock=10)
    alibaba = Shop.objects.create(platform="1688", shop_id="b2b-1", name="义乌工厂")
    Product.objects.create(
        platform="1688", item_id="700000000001", shop=alibaba, title="保温杯", price_fen=1200
    )
    return sku


API = "/sandbox/_control/"


def post(client: Client, action: str, body: dict | None = None):
    """POST ACTION to the sandbox's control API with a JSON BODY."""
    return client.post(API + action, json.dumps(body or {}), content_type="application/json")


CART_USER = "2100007341207"  # settings.PANDAPON_USER_ID, whose cart the sandbox client fills


CART_RECEIVER = {
    "name": "张三",
    "mobilePhone": "13800000000",
    "phone": "13800000000",
    "country": "中国",
    "state": "浙江省",
    "city": "杭州市",
    "district": "西湖区",
    "address": "文三路 90 号",
    "zip": "310000",
}


def cart_sku(platform: str, *, stock: int = 20, not_shops: tuple[int, ...] = ()) -> Sku:
    """An orderable SKU with at least `stock` units, from a shop not in `not_shops`."""
    sku = (
        Sku.objects.select_related("product__shop")
        .filter(product__platform=platform, product__available=True, available=True)
        .filter(stock__gte=stock)
        .exclude(product__shop_id__in=not_shops)
        .order_by("product__item_id", "pk")
        .first()
    )
    assert sku is not None, f"the seeded catalogue has no orderable {platform} SKU"
    return sku


def add_taobao(client: PandaPon, sku: Sku, quantity: int) -> str:
    """Add QUANTITY of SKU to the Taobao cart through the client; the cart line's id."""
    return client.taobao_cart.add(
        item_id=sku.product.item_id,
        sku_id=sku.sku_id,
        mp_id=sku.product.mp_id,
        mp_sku_id=sku.mp_sku_id,
        quantity=quantity,
    )


def cart_row(cart_id: str) -> CartItem:
    """The sandbox's cart line for CART_ID."""
    return CartItem.objects.get(cart_id=cart_id)


PAID = {Platform.TAOBAO: "WAIT_SELLER_SEND_GOODS", Platform.ALIBABA: "waitsellersend"}


SHIPPED = {Platform.TAOBAO: "WAIT_BUYER_CONFIRM_GOODS", Platform.ALIBABA: "waitbuyerreceive"}


UNPAID = {Platform.TAOBAO: "WAIT_BUYER_P", Platform.ALIBABA: "waitbuyerpay"}


def sandbox_order(
    platform: str, status: str, *, lines=((2, 1990),), freight_fen: int = 800
) -> Order:
    """An order of the test account with its lines (quantity, unit price in fen), made directly."""
    shop = Shop.objects.create(
        platform=platform, shop_id=new_id(), name="杭州优选服饰", province="浙江省", city="杭州市"
    )
    now = timezone.now()
    paid = status not in UNPAID.values()
    order = Order.objects.create(
        provider="pandapon",
        platform=platform,
        user_id=settings.PANDAPON_USER_ID,
        order_id=new_id(),
        outer_ref=f"SO-{new_id()[:8]}",
        created_by="test",
        status=status,
        shop=shop,
        address={"name": "张三", "phone": "13800000000"},
        goods_fen=sum(q * p for q, p in lines),
        freight_fen=freight_fen,
        total_fen=sum(q * p for q, p in lines) + freight_fen,
        paid_at=now if paid else None,
        shipped_at=now if status in SHIPPED.values() else None,
    )
    for quantity, price in lines:
        product = Product.objects.create(
            platform=platform,
            item_id=new_id()[:12],
            shop=shop,
            title="纯棉短袖T恤",
            price_fen=price,
        )
        sku = Sku.objects.create(product=product, sku_id=new_id()[:12], price_fen=price, stock=99)
        OrderLine.objects.create(
            order=order,
            sub_order_id=new_id(),
            product=product,
            sku=sku,
            quantity=quantity,
            unit_price_fen=price,
            amount_fen=quantity * price,
            status=status,
        )
    return order


def tick_refunds() -> int:
    """One step of the simulated sellers' after-sales; how many refunds moved."""
    with transaction.atomic():
        return advance_refunds()


def refund_row(refund_id: str) -> Refund:
    """The sandbox's refund REFUND_ID."""
    return Refund.objects.get(refund_id=refund_id)


def first_product(platform: str) -> Product:
    """The seeded catalogue's first product of PLATFORM."""
    return Product.objects.filter(platform=platform).order_by("pk").first()


def altered_picture(product: Product, *, size: int = 200, fmt: str = "JPEG") -> str:
    """Picture 1 of a product, resized, re-encoded and scribbled on: base64."""
    image = images.render(product.picture_key, 1).resize((size, size))
    ImageDraw.Draw(image).ellipse([10, 10, 22, 22], fill=(255, 255, 0))
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format=fmt, quality=80)
    return base64.b64encode(buffer.getvalue()).decode()


def listed_products(platform: str):
    """The available products of PLATFORM."""
    return Product.objects.filter(platform=platform, available=True)


def documented_order_statuses() -> dict[str, set[str]]:
    """Every order status value upstream-api.md documents, per platform: Taobao (section 1.6's
    table and the Xportcn clone's platform-level `orderStatus` values beneath it) and 1688 (the
    **Order status** table of section 3.2, whose platform-level values are accepted too)."""
    text = UPSTREAM_API.read_text()
    taobao = text[text.index("### 1.6") : text.index("### 1.7")]
    alibaba = text[text.index("**Order status**") : text.index("**Refund status**")]
    row = re.compile(r"^\s*\| `([A-Za-z_]+)`[^|]*\|", flags=re.MULTILINE)
    listed = taobao[taobao.index("`orderStatus`") :].split("\n", 1)[0]
    platform_level = set(re.findall(r"`([A-Z_]+)`", listed)) - {"orderStatus"}
    return {
        "taobao": set(row.findall(taobao)) | platform_level,
        "1688": set(row.findall(alibaba)) | platform_level,
    }


class Edge:
    """The upstream's HTTP edge stubbed (`responses`), for tests of what Caigou does with an
    answer the sandbox would not give: each operation is answered with a `code 200` envelope
    around the data given; anything not answered fails as a broken connection."""

    BASE = {"pandapon": "https://pandapon.test", "dajisaas": "https://dajisaas.test"}

    def __init__(self, mock: RequestsMock) -> None:
        self.mock = mock

    def answer(self, name: str, data: object = None, *, msg: str = "成功") -> None:
        op = operation(name)
        path = re.escape(op.path)
        for param in op.path_params:
            path = path.replace(re.escape("{" + param + "}"), "[^/?]+")
        url = re.compile(re.escape(self.BASE[op.provider]) + path + r"(\?.*)?$")
        if op.provider == PANDAPON:
            body = {"requestId": "rid-edge", "code": 200, "developId": "1", "msg": msg}
        else:
            body = {"code": 200, "message": msg, "timestamp": 1, "traceId": "rid-edge"}
        self.mock.add(op.method, url, json={**body, "data": data})

    def calls(self, name: str) -> list:
        """The requests sent for an operation."""
        op = operation(name)
        fixed = op.path.split("{", 1)[0]
        return [call for call in self.mock.calls if fixed in call.request.url]


def seed_response(prefix: str) -> dict:
    """The response example of a seed page (`seeds/<prefix>_*.txt`), exactly as the page gives
    it: the JSON object that opens with `"requestId"`."""
    [page] = SEEDS.glob(f"{prefix}_*.txt")
    text = page.read_text(encoding="utf-8")
    start = text.rindex("{", 0, text.index('"requestId": "'))
    example, _end = json.JSONDecoder().raw_decode(text[start:])
    return example
