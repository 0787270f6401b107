"""A parcel's freight is shown also in the customer's currency (when the apps above logistics
name one with an exchange rate), else in the display currency, labelled which it is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from logistics.models import Address, Parcel, ParcelLine
from logistics.selectors import freight_converted
from logistics.signals import line_currency_wanted
from purchasing.models import ExchangeRate
from tests.logistics.conftest import CUSTOMER
from tests.orders.factories import PurchaseOrderLineFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.CAIGOU_DISPLAY_CURRENCY = "USD"
    ExchangeRate.objects.create(
        currency="USD", cny_per_unit="7.00", set_on=datetime(2026, 1, 5, tzinfo=UTC)
    )
    ExchangeRate.objects.create(
        currency="EUR", cny_per_unit="8.00", set_on=datetime(2026, 1, 5, tzinfo=UTC)
    )


@pytest.fixture
def paid_in_euros():
    def receiver(sender, lines, **kwargs):
        return "EUR"

    line_currency_wanted.connect(receiver, dispatch_uid="test-euros")
    yield
    line_currency_wanted.disconnect(dispatch_uid="test-euros")


def test_without_a_customer_currency_the_display_currency_is_used(rates):
    found = freight_converted(fen=70_000, lines=[])
    assert (found["text"], found["currency"], found["whose"]) == ("US$100.00", "USD", "display")


def test_the_customer_currency_comes_first(rates, paid_in_euros):
    found = freight_converted(fen=80_000, lines=[])
    assert (found["text"], found["whose"]) == ("€100.00", "customer")
    assert found["rate"] == "1 EUR = 8.00 CNY"


def test_no_rate_no_conversion(settings):
    settings.CAIGOU_DISPLAY_CURRENCY = "USD"
    assert freight_converted(fen=70_000, lines=[]) is None


def test_the_parcel_page_labels_the_converted_freight(rates, paid_in_euros, client_as):
    address = Address.objects.create(**{**CUSTOMER, "phone": "+15035550100"})
    parcel = Parcel.objects.create(
        address=address,
        country="US",
        service_id="EMS",
        quoted_freight_fen=16_000,
        customs_description="boxes",
    )
    ParcelLine.objects.create(parcel=parcel, line=PurchaseOrderLineFactory())

    body = client_as("purchaser").get(reverse("logistics:parcel", args=[parcel.pk])).content
    text = body.decode()
    assert "¥160.00" in text
    assert "≈ €20.00 in the customer’s currency, EUR" in text
    assert "1 EUR = 8.00 CNY" in text and "paid in CNY" in text
