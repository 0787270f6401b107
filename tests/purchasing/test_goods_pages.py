"""The goods pages through the test client, against the sandbox upstream over real HTTP: search by
keyword, ids, links and picture; filters and paging; upstream failures; permissions; query counts
(the item page and the marketing lists are in `test_item_page.py`)."""

from __future__ import annotations

import io
import re

import pytest
import requests
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from PIL import Image

from purchasing.forms_input import error_sentences
from purchasing.models import Product
from tests.purchasing.factories import (
    UNREACHABLE,
    item_url,
    look_alikes,
    sandbox_product,
    search,
)
from upstream.sandbox.models import Fault
from upstream.sandbox.models import Product as SandboxProduct


# -- keyword search ------------------------------------------------------------------------
def test_keyword_search_shows_cards_linking_to_item_pages(live, purchaser):
    row = sandbox_product("taobao")

    response = search(purchaser, platform="taobao", q=row.title_en)

    assert response.status_code == 200
    page = response.content.decode()
    assert f"Results for “{escape(row.title_en)}”" in page
    assert row.title in page and escape(row.title_en) in page and row.shop.name in page
    assert item_url("taobao", row.item_id) in page
    assert 'class="goods-cards"' in page and "sold / month" in page
    assert not Product.objects.exists()  # searches are not stored


def test_1688_cards_show_the_minimum_order(live, purchaser):
    row = sandbox_product("1688", 2)  # minimum 5 pieces

    page = search(purchaser, platform="1688", q=row.title).content.decode()

    assert item_url("1688", row.item_id) in page
    assert f"min. {row.min_order_quantity} pcs" in page


def test_a_search_that_finds_nothing_says_so(live, purchaser):
    response = search(purchaser, platform="taobao", q="zzqxj")

    assert response.status_code == 200
    assert "No goods match your search." in response.content.decode()


def test_filters_and_sort_reach_the_upstream(live, purchaser):
    response = search(purchaser, platform="taobao", q="男", sort="price_asc", price_min="30")

    prices = [card.price_fen for card in response.context["results"].cards]
    assert len(prices) > 1 and prices == sorted(prices) and min(prices) >= 3000
    assert response.context["filters_open"]  # the filters stay open to show what applies


def test_categories_of_the_results_become_a_filter(live, purchaser):
    row = sandbox_product("taobao")
    first = search(purchaser, platform="taobao", q="男")
    assert (row.category_id, row.category_name) in first.context["categories"]

    narrowed = search(purchaser, platform="taobao", q="男", category=row.category_id)

    cards = narrowed.context["results"].cards
    assert cards and all(card.category_id == row.category_id for card in cards)


def test_1688_categories_come_from_the_category_tree(live, purchaser):
    response = search(purchaser, platform="1688", q="男")

    names = dict(response.context["categories"])
    assert names["10165"].startswith("Men's clothing")


def test_a_reversed_price_range_is_explained(live, purchaser):
    response = search(purchaser, platform="taobao", q="男", price_min="80", price_max="10")

    assert "The upper price must not be below the lower one." in response.content.decode()


def test_a_search_link_that_names_no_platform_searches_taobao(live, purchaser):
    row = sandbox_product("taobao")

    response = purchaser.get(reverse("goods:index"), {"q": row.title_en})

    page = response.content.decode()
    assert response.status_code == 200 and item_url("taobao", row.item_id) in page
    assert re.search(r'<input type="radio" name="platform" value="taobao"[^>]* checked>', page)


def test_a_refused_field_is_named_in_the_reader_s_language(live, purchaser):
    response = purchaser.get(
        reverse("goods:index"),
        {"platform": "taobao", "q": "男", "page": "0"},
        HTTP_ACCEPT_LANGUAGE="zh-CN",
    )

    page = response.content.decode()
    assert "页码：" in page and "Page" not in page


def test_a_field_without_a_label_is_never_named_by_its_code():
    class Unlabelled(forms.Form):
        shop_name = forms.CharField(max_length=2)
        note = forms.CharField(label="Note", max_length=2)

    form = Unlabelled({"shop_name": "abc", "note": "abc"})

    assert error_sentences(form) == [
        "Ensure this value has at most 2 characters (it has 3).",
        "Note: Ensure this value has at most 2 characters (it has 3).",
    ]


def test_paging_moves_through_a_shop(live, purchaser):
    row = sandbox_product("taobao")
    shop = row.shop.shop_id
    listed = SandboxProduct.objects.filter(shop=row.shop, available=True).count()

    first = search(purchaser, platform="taobao", shop=shop, shop_name=row.shop.name)
    results = first.context["results"]

    assert results.total == listed and first.context["mode"] == "shop"
    assert f"Goods of {row.shop.name}" in first.content.decode()
    assert {c.item_id for c in results.cards} >= {row.item_id}


def test_pager_links_keep_the_search(live, purchaser, monkeypatch):
    monkeypatch.setattr("purchasing.services.goods.PAGE_SIZE", 2)
    row = sandbox_product("taobao")

    response = search(purchaser, platform="taobao", shop=row.shop.shop_id, page="2")

    results = response.context["results"]
    assert results.page == 2 and results.total_pages > 2
    page = response.content.decode()
    assert f"shop={row.shop.shop_id}" in page and "page=3" in page and "page=1" in page
    assert 'rel="prev"' in page and 'rel="next"' in page


# -- ids and links -------------------------------------------------------------------------
def test_one_id_goes_straight_to_its_item_page(live, purchaser):
    row = sandbox_product("taobao")

    response = search(purchaser, platform="taobao", items=row.item_id, mode="items")

    assert response.status_code == 302
    assert response["Location"] == item_url("taobao", row.item_id)


def test_a_1688_link_goes_to_its_item_page(live, purchaser):
    row = sandbox_product("1688")
    link = f"https://detail.1688.com/offer/{row.item_id}.html?spm=a26352.13672862"

    response = search(purchaser, platform="taobao", items=link, mode="items")

    assert response["Location"] == item_url("1688", row.item_id)


def test_several_ids_show_as_cards_and_are_cached(live, purchaser):
    a, b = sandbox_product("taobao"), sandbox_product("taobao", 1)

    response = search(purchaser, platform="taobao", items=f"{a.item_id}, {b.item_id}")

    assert response.status_code == 200
    cards = response.context["results"].cards
    assert [c.item_id for c in cards] == [a.item_id, b.item_id]
    assert "Items you pasted" in response.content.decode()
    assert Product.objects.filter(item_id__in=[a.item_id, b.item_id]).count() == 2


def test_an_unknown_id_among_several_is_named(live, purchaser):
    a = sandbox_product("taobao")

    response = search(purchaser, platform="taobao", items=f"{a.item_id} 600000000001")

    page = response.content.decode()
    assert [c.item_id for c in response.context["results"].cards] == [a.item_id]
    assert "600000000001: The upstream has no such item" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("https://example.com/item?id=123456789", "is not a Taobao, Tmall or 1688 address"),
        ("https://m.tb.cn/h.abc", "share short link"),
        ("hello", "is neither an item id"),
    ],
)
def test_a_link_we_cannot_read_shows_its_message(live, purchaser, text, message):
    response = search(purchaser, platform="taobao", items=text, mode="items")

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page and 'id="items-error"' in page


# -- picture search ------------------------------------------------------------------------
def _post_picture(client, data: bytes, name: str, content_type: str, platform: str):
    upload = SimpleUploadedFile(name, data, content_type=content_type)
    return client.post(reverse("goods:index"), {"platform": platform, "picture": upload})


@pytest.mark.parametrize("platform", ["taobao", "1688"])
def test_picture_upload_finds_the_product_first(live, purchaser, platform):
    row = sandbox_product(platform, 3)
    picture = requests.get(f"{live}/sandbox/images/{platform}/{row.item_id}/1.png", timeout=5)

    posted = _post_picture(purchaser, picture.content, "shot.png", "image/png", platform)

    # The picture is kept and the search is a GET: a refresh does not post the picture again.
    assert posted.status_code == 302 and "?picture=" in posted["Location"]
    response = purchaser.get(posted["Location"])
    assert response.status_code == 200
    cards = response.context["results"].cards
    assert cards[0].item_id == row.item_id
    assert "Goods that look like your picture" in response.content.decode()


def test_picture_search_pages_through_a_pager(live, purchaser):
    row = sandbox_product("taobao", 3)
    look_alikes(row)
    picture = requests.get(f"{live}/sandbox/images/taobao/{row.item_id}/1.png", timeout=5)
    url = _post_picture(purchaser, picture.content, "shot.png", "image/png", "taobao")["Location"]

    first = purchaser.get(url)
    results = first.context["results"]
    assert results.total_pages > 1
    body = first.content.decode()
    assert f"page 1 of {results.total_pages}" in body
    next_link = f"?{escape(first.context['page_query'])}&amp;page=2"
    assert next_link in body and 'rel="next"' in body

    second = purchaser.get(url + "&page=2")
    assert second.context["results"].page == 2
    first_ids = {c.item_id for c in results.cards}
    assert not first_ids & {c.item_id for c in second.context["results"].cards}
    again = purchaser.get(url)  # a refresh: the same answer, from the kept picture
    assert [c.item_id for c in again.context["results"].cards] == [c.item_id for c in results.cards]


def test_a_picture_no_longer_kept_says_to_upload_it_again(live, purchaser):
    response = purchaser.get(reverse("goods:index"), {"picture": "0" * 32, "platform": "taobao"})
    assert response.status_code == 404
    assert "upload it again" in response.content.decode()
    hostile = purchaser.get(reverse("goods:index"), {"picture": "../x", "page": "-3"})
    assert hostile.status_code == 404


def test_picture_search_through_dajisaas(live, purchaser, settings):
    settings.UPSTREAM_PROVIDER_1688 = "dajisaas"
    row = sandbox_product("1688", 1)
    picture = requests.get(f"{live}/sandbox/images/1688/{row.item_id}/1.png", timeout=5)

    response = _post_picture(purchaser, picture.content, "shot.png", "image/png", "1688")

    assert purchaser.get(response["Location"]).context["results"].cards[0].item_id == row.item_id


def _gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(buffer, format="GIF")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"%PDF-1.4 not a picture", "scan.png", "not a picture we can read"),
        (_gif(), "anim.gif", "the upstream takes PNG, JPEG or WEBP only"),
        (b"\x89PNG" + b"0" * (3 * 1024 * 1024 + 10), "huge.png", "at most 3 MB"),
    ],
)
def test_wrong_pictures_are_refused_with_a_clear_message(live, purchaser, data, name, message):
    response = _post_picture(purchaser, data, name, "image/png", "taobao")

    assert response.status_code == 400
    assert message in response.content.decode()
    assert "results" not in response.context or response.context["results"] is None


# -- upstream failures on searches --------------------------------------------------------------
def test_a_search_upstream_failure_shows_the_sentence(live, purchaser):
    Fault.objects.create(path="taobao_product_search", mode=Fault.Mode.ERROR)

    response = search(purchaser, platform="taobao", q="短裤")

    assert response.status_code == 200
    assert UNREACHABLE in response.content.decode()


def test_a_rate_limited_list_says_so(live, purchaser):
    Fault.objects.create(path="alibaba_marketing_hot", mode=Fault.Mode.RATE_LIMIT)

    response = purchaser.get(reverse("goods:lists"), {"list": "hot"})

    assert response.status_code == 200
    assert "rate limited" in response.content.decode()


# -- permissions ---------------------------------------------------------------------------------
def test_finance_may_not_open_goods(live, client_as):
    finance = client_as("finance")
    row = sandbox_product("taobao")

    assert finance.get(reverse("goods:index")).status_code == 403
    assert finance.get(reverse("goods:lists")).status_code == 403
    assert finance.get(item_url("taobao", row.item_id)).status_code == 403
    landed = reverse("goods:landed_cost", kwargs={"platform": "taobao", "item_id": row.item_id})
    assert finance.get(landed).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(live, client):
    response = client.get(reverse("goods:index"))

    assert response.status_code == 302 and "/login/" in response["Location"]


# -- query counts ----------------------------------------------------------------------------------
@pytest.mark.parametrize("keyword", ["zzqxj", "e"])
def test_search_page_does_a_fixed_number_of_queries(
    live, purchaser, keyword, django_assert_max_num_queries
):
    # Ours: session, user, two permission reads, the call journal's row and (with any card
    # to price) the display rate, the same for 1 card as for 20. With SQLite in memory the
    # live server shares our connection, so the sandbox's own reads (faults, catalogue, faults)
    # and transaction statements may be counted too; they do not grow with the results either.
    with django_assert_max_num_queries(15) as captured:
        response = search(purchaser, platform="taobao", q=keyword)
    ours = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].split()[0] in ("SELECT", "INSERT", "UPDATE", "DELETE")
        and '"sandbox_' not in q["sql"]
    ]
    # +1: the navigation's after-sales badge reads its count once when its cache is cold.
    assert len(ours) <= 7, ours
    count = len(response.context["results"].cards)
    assert count == (0 if keyword == "zzqxj" else 20)
