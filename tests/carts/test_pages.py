"""The cart pages: who may open them, HTMX and plain answers, upstream failures as sentences,
and a fixed number of queries whatever the size of the cart."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from carts import services
from purchasing.models import ExchangeRate
from purchasing.routes.alibaba_dajisaas import AlibabaDajisaas
from tests.carts.factories import cache_product, pick, point_at_sandbox, upstream_lines
from upstream import errors
from upstream.client import Transport
from upstream.types.carts import Cart, CartItem, CartSeller

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def live_carts(live_server, settings, transactional_db):
    yield from point_at_sandbox(live_server, settings)


POST_PAGES = ["carts:add", "carts:quantity", "carts:remove", "carts:selection"]


def form(sku, quantity=1, **changes):
    data = {
        "platform": sku.product.platform,
        "item_id": sku.product.item_id,
        "sku_id": sku.sku_id,
        "quantity": str(quantity),
    }
    return {**data, **changes}


# -- permissions ----------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("name", ["carts:index", *POST_PAGES])
def test_anonymous_visitor_is_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url) if name == "carts:index" else client.post(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["carts:index", *POST_PAGES])
def test_finance_may_not_use_carts(client_as, name):
    client = client_as("finance")
    url = reverse(name)
    response = client.get(url) if name == "carts:index" else client.post(url, {})
    assert response.status_code == 403


# -- the cart page --------------------------------------------------------------------------
def test_cart_page_shows_both_platforms_by_seller(live_carts, client_as):
    taobao = pick("taobao")
    offer = pick("1688", stock=200, minimum=1)
    cache_product(taobao.product)
    cache_product(offer.product)
    services.cart_add(
        platform="taobao", item_id=taobao.product.item_id, sku_id=taobao.sku_id, quantity=2
    )

    html = client_as("purchaser").get(reverse("carts:index")).content.decode()

    assert "shared by all staff" in html
    assert taobao.product.title in html
    assert taobao.product.shop.name in html
    assert 'data-testid="seller-subtotal"' in html
    assert "Your 1688 cart is empty" in html
    assert 'href="/goods/"' in html
    # Nothing ticked yet: the preview button is there but cannot be pressed.
    assert 'data-testid="preview-order"' in html


def test_cart_page_shows_disabled_lines_apart_with_their_reason(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    services.cart_add(platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=1)
    sku.product.__class__.objects.filter(pk=sku.product_id).update(available=False)

    html = client_as("purchaser").get(reverse("carts:index")).content.decode()

    assert 'data-testid="cart-disabled"' in html
    assert "Cannot be ordered" in html
    assert 'data-testid="disabled-reason"' in html


@pytest.mark.django_db
def test_one_platform_failing_still_shows_the_other(client_as, monkeypatch):
    def cart_get(*, platform):
        if platform == "1688":
            raise errors.UpstreamTimeout("read timed out", operation="alibaba_cart_list")
        return Cart(raw={}, platform=platform)

    monkeypatch.setattr(services, "cart_get", cart_get)

    response = client_as("purchaser").get(reverse("carts:index"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "The upstream did not answer in time. Try again in a moment." in html
    assert "Your Taobao cart is empty" in html


@pytest.mark.django_db
def test_a_route_without_a_cart_shows_its_sentence_and_calls_nothing(client_as, monkeypatch):
    monkeypatch.setattr(services, "cart_route", lambda platform: AlibabaDajisaas())
    monkeypatch.setattr(Transport, "call", lambda *args, **kwargs: pytest.fail("upstream called"))

    page = client_as("purchaser").get(reverse("carts:index"))
    edit = client_as("purchaser").post(
        reverse("carts:remove"), {"platform": "1688", "cart_id": "7"}, **HTMX
    )

    assert page.status_code == edit.status_code == 200
    assert page.content.decode().count("This route has no upstream cart.") == 2
    assert "This route has no upstream cart." in edit.content.decode()


# -- add ------------------------------------------------------------------------------------
def test_add_with_htmx_answers_a_partial_with_a_link_to_the_cart(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)

    response = client_as("purchaser").post(reverse("carts:add"), form(sku, 2), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Added 2 to the Taobao cart." in html and 'href="/carts/"' in html
    assert "<html" not in html
    assert upstream_lines("taobao").get().quantity == 2


def test_add_with_htmx_explains_a_violation_and_sends_nothing(live_carts, client_as):
    sku = pick("1688", stock=200, minimum=1)
    cache_product(sku.product)
    minimum = sku.product.min_order_quantity

    response = client_as("purchaser").post(reverse("carts:add"), form(sku, minimum - 1), **HTMX)

    assert response.status_code == 200
    assert f"The minimum order for this offer is {minimum} pieces." in response.content.decode()
    assert not upstream_lines().exists()


def test_add_with_htmx_says_when_the_upstream_fails(client_as, db, monkeypatch):
    def cart_add(**kwargs):
        raise errors.RateLimited("too many calls")

    monkeypatch.setattr(services, "cart_add", cart_add)
    data = {"platform": "taobao", "item_id": "600000000001", "sku_id": "1", "quantity": "1"}

    response = client_as("purchaser").post(reverse("carts:add"), data, **HTMX)

    assert response.status_code == 200
    assert "The upstream is busy (rate limited)." in response.content.decode()


def test_add_without_htmx_redirects_to_the_cart_with_a_message(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)

    response = client_as("purchaser").post(reverse("carts:add"), form(sku), follow=True)

    assert response.redirect_chain[-1][0] == reverse("carts:index")
    assert "Added 1 to the Taobao cart." in response.content.decode()


def test_add_without_htmx_goes_back_to_the_item_with_the_error(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    client = client_as("purchaser")

    response = client.post(
        reverse("carts:add"), form(sku, sku_id=""), HTTP_REFERER="http://testserver/goods/"
    )

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "goods:item", kwargs={"platform": "taobao", "item_id": sku.product.item_id}
    )
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["Choose a colour and size first."]
    assert not upstream_lines().exists()


# -- edit in place --------------------------------------------------------------------------
def test_quantity_edit_with_htmx_rerenders_the_section_with_new_totals(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    cart_id = services.cart_add(
        platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=1
    )

    response = client_as("purchaser").post(
        reverse("carts:quantity"),
        {"platform": "taobao", "cart_id": cart_id, "quantity": "3", "selected": [cart_id]},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section class="panel cart-platform" id="cart-taobao"')
    total = services.cart_get(platform="taobao").find(cart_id).amount_fen
    assert total == 3 * sku.price_fen
    assert f"¥{total // 100:,}.{total % 100:02d}" in html
    assert "checked" in html  # the selection survives the edit
    assert upstream_lines().get(cart_id=cart_id).quantity == 3


def test_quantity_refusal_is_shown_in_the_section(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    cart_id = services.cart_add(
        platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=1
    )

    response = client_as("purchaser").post(
        reverse("carts:quantity"),
        {"platform": "taobao", "cart_id": cart_id, "quantity": str(sku.stock + 1)},
        **HTMX,
    )

    assert f"Only {sku.stock} left in stock." in response.content.decode()
    assert upstream_lines().get(cart_id=cart_id).quantity == 1


def test_quantity_edit_without_htmx_redirects_to_the_cart(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    cart_id = services.cart_add(
        platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=1
    )

    response = client_as("purchaser").post(
        reverse("carts:quantity"), {"platform": "taobao", "cart_id": cart_id, "quantity": "2"}
    )

    assert response.status_code == 302 and response["Location"] == reverse("carts:index")
    assert upstream_lines().get(cart_id=cart_id).quantity == 2


def test_remove_with_htmx_rerenders_the_section(live_carts, client_as):
    sku = pick("taobao")
    cache_product(sku.product)
    cart_id = services.cart_add(
        platform="taobao", item_id=sku.product.item_id, sku_id=sku.sku_id, quantity=1
    )

    response = client_as("purchaser").post(
        reverse("carts:remove"), {"platform": "taobao", "cart_id": cart_id}, **HTMX
    )

    html = response.content.decode()
    assert "The line was removed from the cart." in html
    assert "Your Taobao cart is empty" in html
    assert not upstream_lines().exists()


# -- selection summary ----------------------------------------------------------------------
def fake_cart(platform: str, sellers: int, lines_per_seller: int) -> Cart:
    groups = []
    for s in range(sellers):
        items = [
            CartItem(
                raw={},
                cart_id=str(100_000_000 + s * 1000 + n),
                platform=platform,
                item_id=str(500_000_000_000 + s * 1000 + n),
                sku_id=str(n),
                title=f"Item {s}-{n}",
                picture="",
                properties=[{"propName": "颜色", "propNameEn": "Colour", "valueName": "黑色"}],
                unit_price_fen=1250,
                quantity=2,
                stock=100,
                seller_id=f"B{s}",
                seller_name=f"Seller {s}",
            )
            for n in range(lines_per_seller)
        ]
        groups.append(CartSeller(raw={}, seller_id=f"B{s}", seller_name=f"Seller {s}", items=items))
    return Cart(raw={}, platform=platform, sellers=groups)


@pytest.mark.django_db
def test_selection_summary_totals_and_warns_how_1688_splits(client_as, monkeypatch):
    cart = fake_cart("1688", sellers=2, lines_per_seller=71)
    monkeypatch.setattr(services, "cart_get", lambda *, platform: cart)
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.00")
    selected = [item.cart_id for item in cart.items]

    response = client_as("purchaser").post(
        reverse("carts:selection"), {"platform": "1688", "selected": selected}, **HTMX
    )

    html = response.content.decode()
    total = 142 * 2 * 1250
    assert "¥3,550.00" in html and total == 355_000
    assert "≈ US$507.14" in html
    assert "These 2 sellers make 2 upstream orders" in html
    assert "71 SKUs from Seller 0 make 2 orders of 50 and 21" in html
    assert "4 upstream orders" in html
    # The ticked lines travel to the checkout preview.
    assert 'name="cart_id"' in html and 'data-testid="preview-order"' in html


@pytest.mark.django_db
def test_selection_ignores_lines_that_are_not_in_the_cart(client_as, monkeypatch):
    cart = fake_cart("taobao", sellers=1, lines_per_seller=2)
    monkeypatch.setattr(services, "cart_get", lambda *, platform: cart)

    response = client_as("purchaser").post(
        reverse("carts:selection"),
        {"platform": "taobao", "selected": [cart.items[0].cart_id, "999"]},
        **HTMX,
    )

    assert "Selected: 1 line, 2 pieces" in response.content.decode()


# -- query counts ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_cart_page_does_a_fixed_number_of_queries(
    client_as, monkeypatch, django_assert_max_num_queries
):
    client = client_as("purchaser")
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.00")
    counts = []
    for size in (1, 40):
        carts = {p: fake_cart(p, sellers=size, lines_per_seller=size) for p in ("taobao", "1688")}
        monkeypatch.setattr(services, "cart_get", lambda *, platform, c=carts: c[platform])
        with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("carts:index"))
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="cart-line"') == 2 * size * size
        # The navigation's after-sales badge reads its count only while its cache is cold
        # (the first request here): it is not part of what must not grow with the cart.
        badge = [q for q in queries.captured_queries if "aftersales_refundcase" in q["sql"]]
        counts.append(len(queries) - len(badge))
    assert counts[0] == counts[1]
