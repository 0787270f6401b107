"""The basket pages: a person's own basket, a teammate's shared one, and 404 (never 403) for
anything of someone else's private basket; hostile forms are answered with a sentence."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from carts.basket_services import basket_add, basket_share
from carts.models import BasketLine
from tests.carts.basket_factories import cached_sku

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def owner(staff_user):
    return staff_user("purchaser", username="mei")


@pytest.fixture
def line(owner):
    sku = cached_sku()
    return basket_add(
        actor=owner, platform="taobao", item_id="100001", sku_id=sku.sku_id, quantity=2
    )


def add_form(**changes):
    return {"platform": "taobao", "item_id": "100001", "sku_id": "5001", "quantity": "3", **changes}


def test_my_basket_shows_my_lines_and_the_preview_button(owner, line):
    page = signed_in(owner).get(reverse("baskets:mine")).content.decode()
    assert "My basket" in page and "瑜伽垫 加厚" in page
    assert "¥25.00" in page  # 2 × ¥12.50
    assert "Preview an order" in page
    assert "Private: only you can see this basket." in page


def test_another_purchaser_sees_none_of_a_private_basket(owner, line, staff_user):
    other = signed_in(staff_user("purchaser"))
    page = other.get(reverse("baskets:mine")).content.decode()
    assert "瑜伽垫" not in page
    assert other.get(reverse("baskets:show", args=[line.basket.pk])).status_code == 404
    change = reverse("baskets:line_change", args=[line.pk])
    assert other.post(change, {"quantity": "9"}).status_code == 404
    assert other.post(reverse("baskets:line_remove", args=[line.pk])).status_code == 404
    order = other.post(reverse("baskets:order"), {"platform": "taobao", "line": [line.pk]})
    assert order.status_code == 404
    line.refresh_from_db()
    assert line.quantity == 2


def test_a_shared_basket_is_listed_and_read_only_for_the_team(owner, line, staff_user):
    basket_share(actor=owner, shared=True)
    other = signed_in(staff_user("approver"))
    mine = other.get(reverse("baskets:mine")).content.decode()
    assert "Baskets shared by the team" in mine and "mei" in mine.lower()
    page = other.get(reverse("baskets:show", args=[line.basket.pk])).content.decode()
    assert "瑜伽垫 加厚" in page
    assert reverse("baskets:line_remove", args=[line.pk]) not in page
    assert "Preview an order" not in page


def test_adding_from_the_item_page_answers_htmx_with_a_sentence(owner):
    cached_sku()
    client = signed_in(owner)
    response = client.post(reverse("baskets:add"), add_form(), **HTMX)
    assert response.status_code == 200
    assert "Added 3 to your basket" in response.content.decode()
    response = client.post(reverse("baskets:add"), add_form(quantity="2"), **HTMX)
    assert "(5 of this SKU now)" in response.content.decode()
    assert BasketLine.objects.get().quantity == 5


@pytest.mark.parametrize(
    "changes, sentence",
    [
        ({"quantity": "-4"}, "at least 1"),
        ({"quantity": "99999999999999999999999"}, "at most 100,000"),
        ({"quantity": "lots"}, "at least 1"),
        ({"platform": "ebay"}, "Choose Taobao or 1688."),
        ({"item_id": "x" * 500}, "Open an item first"),
        ({"note": "n" * 301}, "under 300 characters"),
    ],
)
def test_a_hostile_add_is_refused_with_a_sentence(owner, changes, sentence):
    cached_sku()
    response = signed_in(owner).post(reverse("baskets:add"), add_form(**changes), follow=True)
    assert response.status_code == 200
    assert sentence in response.content.decode()
    assert not BasketLine.objects.exists()


@pytest.mark.parametrize("quantity", ["0", "-1", "100001", "abc"])
def test_a_hostile_quantity_change_leaves_the_line(owner, line, quantity):
    url = reverse("baskets:line_change", args=[line.pk])
    response = signed_in(owner).post(url, {"quantity": quantity}, follow=True)
    assert response.status_code == 200
    assert "at least 1" in response.content.decode() or "at most" in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == 2


def test_ordering_hostile_line_ids_is_refused(owner, line):
    client = signed_in(owner)
    for hostile in ["1; drop", "²", "9" * 40, "-1"]:
        bad = client.post(reverse("baskets:order"), {"platform": "taobao", "line": [hostile]})
        assert bad.status_code == 302, hostile
    missing = client.post(reverse("baskets:order"), {"platform": "taobao", "line": ["999999"]})
    assert missing.status_code == 404
    assert BasketLine.objects.filter(pk=line.pk).exists()


def test_sharing_and_unsharing(owner, line, staff_user):
    client = signed_in(owner)
    client.post(reverse("baskets:share"), {"shared": "1"})
    other = signed_in(staff_user("purchaser"))
    assert other.get(reverse("baskets:show", args=[line.basket.pk])).status_code == 200
    client.post(reverse("baskets:share"), {"shared": "0"})
    assert other.get(reverse("baskets:show", args=[line.basket.pk])).status_code == 404


def test_finance_may_not_use_baskets(staff_user):
    finance = signed_in(staff_user("finance"))
    assert finance.get(reverse("baskets:mine")).status_code == 403
    assert finance.post(reverse("baskets:add"), add_form()).status_code == 403
