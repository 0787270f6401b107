"""Money in the admin reads in yuan with its unit and is typed in yuan, as on the staff pages:
no admin page shows an amount in fen, whether read-only, on a view-only page or in a list."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aftersales.models import RefundCase
from logistics.models import Address, Parcel
from purchasing.admin.money import YuanAdminMixin, fen_fields
from purchasing.models import Product, Sku
from purchasing.statuses import OrderStatus
from storefront.models import CustomerOrder, Storefront
from tests.aftersales.factories import RefundCaseFactory
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory


def _admins():
    for model_admin in admin.site._registry.values():
        if model_admin.opts.app_label == "sandbox":
            continue  # the upstream's stand-in keeps its own console
        yield type(model_admin), model_admin.model
        for inline in model_admin.inlines:
            yield inline, inline.model


def test_every_admin_of_a_model_with_amounts_shows_them_in_yuan():
    missing = [
        f"{cls.__module__}.{cls.__name__}"
        for cls, model in _admins()
        if fen_fields(model) and not issubclass(cls, YuanAdminMixin)
    ]
    assert missing == []


@pytest.fixture
def admin_in(staff_user):
    user = staff_user("admin")

    def make(language: str) -> Client:
        client = Client(headers={"accept-language": language})
        client.force_login(user)
        return client

    return make


@pytest.mark.parametrize("language, unit", [("zh-hans", "（分）"), ("en", "(fen)")])
@pytest.mark.django_db
def test_a_view_only_order_page_reads_every_amount_in_yuan(admin_in, language, unit):
    order = PurchaseOrderFactory(
        status=OrderStatus.PAID, quoted_total_fen=123_456, actual_fen=123_457, refunded_fen=9_900
    )
    PurchaseOrderLineFactory(order=order, unit_price_fen=61_728, amount_fen=123_456)

    page = admin_in(language).get(reverse("admin:purchasing_purchaseorder_change", args=[order.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("¥1,234.56", "¥1,234.57", "¥99.00", "¥617.28"):
        assert shown in text, shown
    for stored in ("123456", "123457", "61728", "9900"):
        assert f">{stored}<" not in text and f"{stored}\n" not in text, stored
    assert unit not in text


@pytest.mark.django_db
def test_a_list_column_and_a_read_only_field_read_in_yuan(admin_in):
    case = RefundCaseFactory(asked_fen=4_550, max_fen=10_000, upstream_status="refundsuccess")
    client = admin_in("zh-hans")

    listed = client.get(reverse("admin:aftersales_refundcase_changelist")).content.decode()
    shown = client.get(reverse("admin:aftersales_refundcase_change", args=[case.pk]))

    assert "¥45.50" in listed and ">4550<" not in listed and "申请金额" in listed
    assert "¥45.50" in shown.content.decode() and "¥100.00" in shown.content.decode()
    assert "已退款" in shown.content.decode() and ">refundsuccess<" not in shown.content.decode()
    assert "（分）" not in listed + shown.content.decode()


def _sku_form(client: Client, sku: Sku) -> tuple[str, dict]:
    """The SKU's change page and what its form would send back unchanged."""
    url = reverse("admin:purchasing_sku_change", args=[sku.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    return url, {k: ("" if v is None else v) for k, v in data.items()}


@pytest.fixture
def sku(db) -> Sku:
    product = Product.objects.create(
        platform="taobao", item_id="1", title="Cup", fetched_at=timezone.now()
    )
    return Sku.objects.create(product=product, sku_id="2", price_fen=16_000)


def test_an_amount_is_typed_in_yuan_and_kept_in_fen(admin_in, sku):
    client = admin_in("en")
    url, data = _sku_form(client, sku)
    page = client.get(url)
    assert 'value="160.00"' in str(page.context["adminform"].form["price_fen"])
    assert page.context["adminform"].form.fields["price_fen"].label == "price"

    refused = client.post(url, {**data, "price_fen": "12.345"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["price_fen"]
    sku.refresh_from_db()
    assert sku.price_fen == 16_000

    saved = client.post(url, {**data, "price_fen": "12.5"})
    assert saved.status_code == 302, saved.context["adminform"].form.errors
    sku.refresh_from_db()
    assert sku.price_fen == 1_250


@pytest.mark.django_db
def test_the_storefront_tolerance_is_typed_in_yuan(admin_in):
    client = admin_in("zh-hans")
    page = client.get(reverse("admin:storefront_storefront_add"))
    assert page.context["adminform"].form.fields["tolerance_fen"].label == "容差"

    client.post(
        reverse("admin:storefront_storefront_add"),
        {
            "name": "Yuan",
            "is_active": "on",
            "scopes": ["orders:read"],
            "policy": "auto",
            "tolerance_fen": "8.5",
            "webhook_url": "",
            "keys-TOTAL_FORMS": "0",
            "keys-INITIAL_FORMS": "0",
        },
    )
    assert Storefront.objects.get(name="Yuan").tolerance_fen == 850


@pytest.mark.django_db
def test_a_customer_order_reads_its_budget_and_purchase_orders_in_words(admin_in):
    shop = Storefront.objects.create(name="Shop")
    customer = CustomerOrder.objects.create(
        storefront=shop, external_id="SO-9", currency="USD", customer_name="Ann", budget_fen=30_000
    )
    customer.purchase_orders.add(PurchaseOrderFactory(status=OrderStatus.PAID))

    page = admin_in("zh-hans").get(
        reverse("admin:storefront_customerorder_change", args=[customer.pk])
    )

    text = page.content.decode()
    assert "¥300.00" in text and "(已付款)" in text
    assert ">30000<" not in text and "(paid)" not in text


def test_an_amount_past_its_column_is_refused_not_a_server_error(admin_in, sku):
    client = admin_in("en")
    url, data = _sku_form(client, sku)

    for too_much in ("30000000", "-1"):
        refused = client.post(url, {**data, "price_fen": too_much})
        assert refused.status_code == 200, too_much
        assert refused.context["adminform"].form.errors["price_fen"], too_much
    sku.refresh_from_db()
    assert sku.price_fen == 16_000


@pytest.mark.parametrize("model", [Parcel, RefundCase])
@pytest.mark.django_db
def test_parcels_and_refund_cases_are_shown_never_changed_in_the_admin(admin_in, model):
    """Their services move them (a booking, an upstream refund): an edit here would not."""
    row = (
        RefundCaseFactory()
        if model is RefundCase
        else Parcel.objects.create(
            address=Address.objects.create(name="Ann", country="US", address="1 Main"),
            country="US",
            service_id="EMS",
            quoted_freight_fen=16_000,
            customs_description="boxes",
        )
    )
    if model is Parcel:
        row.note("arrived at the depot", kind="tracking", location="Austin", happened_at="10:00")
    else:
        row.note("asked the seller")
    client = admin_in("en")
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    shown = client.get(reverse(f"{name}_change", args=[row.pk]))
    assert shown.status_code == 200 and "Save" not in shown.content.decode()
    said = ("arrived at the depot", "Austin") if model is Parcel else ("asked the seller",)
    assert all(words in shown.content.decode() for words in said)
    assert client.post(reverse(f"{name}_change", args=[row.pk]), {}).status_code == 403
    assert client.get(reverse(f"{name}_add")).status_code == 403
    assert client.post(reverse(f"{name}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()
