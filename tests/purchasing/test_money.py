from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from purchasing.context_processors import LazyRate
from purchasing.models import ExchangeRate
from purchasing.money import (
    Rate,
    current_rate,
    format_cny,
    format_cny_change,
    format_minor,
    within_tolerance,
)


def test_fen_convert_to_cents_at_the_rate_rounding_half_up():
    rate = Rate("USD", Decimal("7.2"), timezone.now())
    assert rate.from_fen(720) == 100  # ¥7.20 is US$1.00
    assert rate.from_fen(399_000) == 55417  # ¥3,990.00 is US$554.1666… -> 554.17
    assert Rate("JPY", Decimal("0.048"), timezone.now()).from_fen(480) == 100


@pytest.mark.parametrize(
    ("minor", "currency", "text"),
    [
        (399_000, "CNY", "¥3,990.00"),
        (5, "USD", "US$0.05"),
        (-1250, "EUR", "-€12.50"),
        (None, "USD", "—"),
    ],
)
def test_amounts_are_formatted_with_symbol_and_separators(minor, currency, text):
    assert format_minor(minor, currency) == text


def test_cny_of_fen():
    assert format_cny(3990) == "¥39.90"


@pytest.mark.django_db
def test_latest_rate_of_the_display_currency_is_used(settings):
    settings.CAIGOU_DISPLAY_CURRENCY = "USD"
    now = timezone.now()
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.00", set_on=now - timedelta(days=3))
    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.20", set_on=now)
    ExchangeRate.objects.create(currency="EUR", cny_per_unit="7.80", set_on=now)

    rate = current_rate()

    assert (rate.currency, rate.cny_per_unit) == ("USD", Decimal("7.200000"))
    assert current_rate("gbp") is None


@pytest.mark.django_db
def test_a_rate_dated_in_the_future_is_not_in_force_yet(settings):
    """Rows made before the admin refused future dates must not outrank today's rate."""
    settings.CAIGOU_DISPLAY_CURRENCY = "USD"
    now = timezone.now()
    ExchangeRate.objects.create(
        currency="USD", cny_per_unit="7.10", set_on=now - timedelta(hours=1)
    )
    ExchangeRate.objects.create(
        currency="USD", cny_per_unit="0.000001", set_on=now + timedelta(days=30)
    )

    assert current_rate().cny_per_unit == Decimal("7.100000")


@pytest.mark.django_db
def test_display_tag_shows_the_converted_price_or_nothing_without_a_rate(
    settings, django_assert_num_queries
):
    settings.CAIGOU_DISPLAY_CURRENCY = "USD"
    template = Template("{% load money %}{{ 720|cny }} {% display 720 %}{% display 1440 %}")

    with django_assert_num_queries(1):
        assert template.render(Context({"display_rate": LazyRate()})) == "¥7.20 "

    ExchangeRate.objects.create(currency="USD", cny_per_unit="7.20")
    with django_assert_num_queries(1):
        rendered = template.render(Context({"display_rate": LazyRate()}))
    assert rendered == "¥7.20 ≈ US$1.00≈ US$2.00"


@pytest.mark.django_db
def test_admin_records_who_set_a_rate_and_never_edits_one(client_as):
    client = client_as("admin")

    response = client.post(
        "/admin/purchasing/exchangerate/add/",
        {
            "currency": "usd",
            "cny_per_unit": "7.15",
            "set_on_0": "2026-11-20",
            "set_on_1": "10:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    rate = ExchangeRate.objects.get()
    assert rate.currency == "USD"
    assert rate.set_by.groups.filter(name="admin").exists()
    edit = client.post(f"/admin/purchasing/exchangerate/{rate.pk}/change/", {"currency": "EUR"})
    assert edit.status_code == 403 or ExchangeRate.objects.get().currency == "USD"


@pytest.mark.parametrize(
    ("accepted", "now", "held"),
    [
        (10_000, 10_000, True),
        (10_000, 10_100, True),  # up by exactly the tolerance
        (10_000, 9_900, True),  # down by exactly the tolerance
        (10_000, 10_101, False),  # up past it
        (10_000, 9_899, False),  # down past it: a drop stops the order too
    ],
)
def test_the_preview_tolerance_holds_both_ways(settings, accepted, now, held):
    settings.CAIGOU_PREVIEW_TOLERANCE_FEN = 100

    assert within_tolerance(accepted, now) is held


def test_the_tolerance_comes_from_the_setting(settings):
    settings.CAIGOU_PREVIEW_TOLERANCE_FEN = 0

    assert within_tolerance(500, 500)
    assert not within_tolerance(500, 501) and not within_tolerance(500, 499)


def test_a_signed_change_is_shown_in_yuan():
    assert [format_cny_change(fen) for fen in (500, -50, 0)] == ["+¥5.00", "-¥0.50", "¥0.00"]
