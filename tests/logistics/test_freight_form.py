"""The freight estimate takes what a person has: an item's link (or id) or order references,
and a country from the ISO list; never internal line ids or a made-up country."""

from __future__ import annotations

import pytest
from django.urls import reverse

from logistics.forms import FreightForm
from purchasing.countries import CODES, COUNTRIES, country_name
from tests.orders.factories import PurchaseOrderLineFactory


def test_the_country_list_is_iso_3166():
    assert len(COUNTRIES) == len(CODES) == 249
    assert {"US", "CN", "DE", "BR", "HK"} <= CODES and "XX" not in CODES
    assert country_name("us") == "United States"


def test_a_country_reads_in_the_readers_language_on_the_preview_and_the_estimate():
    from django.template import Context, Template
    from django.utils import translation

    shown = Template("{% load words %}{{ code|country }}")
    with translation.override("zh-hans"):
        assert country_name("US") == "美国"
        assert shown.render(Context({"code": "DE"})) == "德国"
        assert shown.render(Context({"code": "XX"})) == "XX"  # not in the list: as it came
    assert shown.render(Context({"code": "DE"})) == "Germany"


def test_a_made_up_country_is_refused():
    form = FreightForm({"item_id": "652874251412", "country": "XX"})
    assert not form.is_valid()
    assert "country" in form.errors


def test_an_item_link_gives_its_id():
    url = "https://item.taobao.com/item.htm?id=652874251412&spm=a1z10"
    form = FreightForm({"item_id": url, "country": "US"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["item_id"] == "652874251412"


def test_a_link_that_names_no_item_is_refused():
    form = FreightForm({"item_id": "https://www.amazon.com/dp/B000123", "country": "US"})
    assert not form.is_valid() and "not a Taobao, Tmall or 1688 address" in str(form.errors)


@pytest.mark.django_db
def test_order_references_give_every_line_of_those_orders():
    first = PurchaseOrderLineFactory()
    second = PurchaseOrderLineFactory(order=first.order)
    other = PurchaseOrderLineFactory()
    text = f"{first.order.reference.lower()}, {other.order.reference}"
    form = FreightForm({"orders": text, "country": "DE"})
    assert form.is_valid(), form.errors
    assert {line.pk for line in form.cleaned_data["orders"]} == {first.pk, second.pk, other.pk}


@pytest.mark.django_db
def test_an_unknown_reference_is_named():
    form = FreightForm({"orders": "CG20990101DEADBEEF00", "country": "DE"})
    assert not form.is_valid()
    assert "CG20990101DEADBEEF00" in str(form.errors["orders"])


@pytest.mark.django_db
def test_the_page_offers_countries_by_name_and_answers_a_bad_one_on_the_page(client_as):
    client = client_as("purchaser")
    page = client.get(reverse("logistics:freight")).content.decode()
    assert '<option value="DE">Germany</option>' in page
    assert "line ids" not in page

    refused = client.get(reverse("logistics:freight"), {"item_id": "652874251412", "country": "XX"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert 'data-testid="quote-row"' not in refused.content.decode()
