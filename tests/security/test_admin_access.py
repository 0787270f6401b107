"""The Django admin is for administrators only, and exchange rates are set there with checks:
no date in the future, and no jump past the sanity band without an explicit confirmation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from purchasing.models import ExchangeRate
from tests.purchasing.factories import StaffUserFactory

ADD_RATE = "/admin/purchasing/exchangerate/add/"
ADMIN_PAGES = ("/admin/", ADD_RATE, "/admin/purchasing/exchangerate/", "/admin/auth/user/")


def signed_in(role: str, **kwargs) -> Client:
    client = Client()
    client.force_login(StaffUserFactory(role=role, **kwargs))
    return client


def rate_form(cny_per_unit: str, *, when=None, currency: str = "usd", **extra) -> dict:
    when = timezone.localtime(when or timezone.now() - timedelta(minutes=5))
    return {
        "currency": currency,
        "cny_per_unit": cny_per_unit,
        "set_on_0": when.strftime("%Y-%m-%d"),
        "set_on_1": when.strftime("%H:%M:%S"),
        "note": "",
        **extra,
    }


@pytest.fixture
def admin_client(db) -> Client:
    return signed_in("admin", is_superuser=True)


@pytest.fixture
def usd_rate(db) -> ExchangeRate:
    return ExchangeRate.objects.create(
        currency="USD", cny_per_unit="7.10", set_on=timezone.now() - timedelta(days=1)
    )


@pytest.mark.parametrize("role", ["purchaser", "approver", "finance"])
def test_other_roles_get_no_admin_page(db, role):
    client = signed_in(role)

    for page in ADMIN_PAGES:
        response = client.get(page)
        assert response.status_code == 403, page
        assert "Your role does not include it" in response.content.decode()


@pytest.mark.parametrize("role", ["purchaser", "approver", "finance"])
def test_other_roles_cannot_add_an_exchange_rate(db, role):
    response = signed_in(role).post(ADD_RATE, rate_form("7.15"))

    assert response.status_code == 403
    assert not ExchangeRate.objects.exists()


@pytest.mark.parametrize("role", ["approver", "finance"])
def test_no_role_but_admin_holds_the_permission_to_add_rates(db, role):
    assert not Group.objects.get(name=role).permissions.filter(codename="add_exchangerate")


def test_a_staff_flag_alone_is_not_enough(db):
    client = signed_in("", is_staff=True)
    assert client.get("/admin/").status_code == 403


@pytest.mark.parametrize("superuser", [True, False])
def test_the_admin_role_or_a_superuser_reaches_the_admin(db, superuser):
    client = signed_in("admin" if not superuser else "", is_superuser=superuser)

    for page in ADMIN_PAGES:
        assert client.get(page).status_code == 200, page


def test_the_navigation_offers_the_admin_only_to_admins(admin_client):
    assert 'href="/admin/"' in admin_client.get("/dashboard/").content.decode()
    assert 'href="/admin/"' not in signed_in("finance").get("/dashboard/").content.decode()


def test_a_first_rate_for_a_currency_is_saved(admin_client):
    response = admin_client.post(ADD_RATE, rate_form("7.15"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExchangeRate.objects.get().cny_per_unit == Decimal("7.15")


def test_a_rate_within_the_band_is_saved(admin_client, usd_rate):
    response = admin_client.post(ADD_RATE, rate_form("8.40"))  # +18.3%

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExchangeRate.objects.filter(cny_per_unit=Decimal("8.40")).exists()


@pytest.mark.parametrize(
    ("value", "shown"),
    [("7100", "7100.00"), ("0.0071", "0.0071"), ("8.60", "8.60"), ("5.600", "5.60")],
)
def test_a_rate_outside_the_band_is_refused_naming_both_rates(admin_client, usd_rate, value, shown):
    response = admin_client.post(ADD_RATE, rate_form(value))

    assert response.status_code == 200
    page = response.content.decode()
    assert "1 USD = 7.10 CNY" in page and "20%" in page
    assert f"1 USD = {shown} CNY" in page
    assert ExchangeRate.objects.count() == 1


def test_a_rate_outside_the_band_is_saved_when_confirmed(admin_client, usd_rate):
    response = admin_client.post(ADD_RATE, rate_form("9.00", confirm_band="on"))

    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExchangeRate.objects.filter(cny_per_unit=Decimal("9.00")).exists()


def test_the_band_is_a_setting(admin_client, usd_rate, settings):
    settings.CAIGOU_RATE_BAND_PERCENT = 5

    refused = admin_client.post(ADD_RATE, rate_form("7.60"))
    assert refused.status_code == 200 and "5%" in refused.content.decode()
    assert admin_client.post(ADD_RATE, rate_form("7.40")).status_code == 302


def test_the_band_compares_with_the_same_currency_only(admin_client, usd_rate):
    response = admin_client.post(ADD_RATE, rate_form("0.048", currency="jpy"))

    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_rate_dated_in_the_future_is_refused(admin_client, usd_rate):
    tomorrow = timezone.now() + timedelta(days=1)

    response = admin_client.post(ADD_RATE, rate_form("7.12", when=tomorrow, confirm_band="on"))

    assert response.status_code == 200
    assert "future" in response.content.decode()
    assert ExchangeRate.objects.count() == 1
