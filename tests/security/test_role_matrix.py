"""Who may reach what: every URL pattern of the site, against every role and anonymous, in ONE
table. A new URL pattern fails `test_every_url_pattern_is_in_the_table` until it has a row here.

Outcomes: a status code, LOGIN (a redirect to the sign-in page), or 302 (any other redirect).
A role that may use a page gets past the gate (200, a redirect back with a message, a form error
400, or 404 for an object that does not exist); a role that may not gets 403 and nothing happens.
Requests go out with empty forms and the upstream unreachable, so an allowed POST does no harm.

The Django admin is for the admin role only (every other role gets 403, see
tests/security/test_admin_access.py); inside it, model permissions come from backoffice/roles.py.
The storefront REST API authenticates with bearer keys only: staff sessions count for nothing
there (401), and a key without the scope an endpoint needs gets 403 (the KEY column).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from aftersales.models import RefundCase
from logistics.models import Address, Parcel
from storefront.models import ApiKey, Storefront
from tests.orders.factories import PurchaseOrderLineFactory
from tests.purchasing.factories import StaffUserFactory

LOGIN = "login"
ROLES = ("purchaser", "approver", "finance", "admin", "anonymous")
API = "401 401 401 401 401"  # key authentication only: a staff session is nobody there


@dataclass(frozen=True)
class Row:
    route: str  # the URL pattern, exactly as the resolver spells it
    method: str
    outcomes: tuple  # purchaser, approver, finance, admin, anonymous
    url: str  # {pk} and {order} are filled with objects made for the test
    key: int | None = None  # API only: a bearer key whose storefront has no scopes


def row(route: str, method: str, outcomes: str, *, url: str = "", **extra) -> Row:
    """`outcomes`: five codes, purchaser approver finance admin anonymous; L = to the login."""
    codes = tuple(LOGIN if code == "L" else int(code) for code in outcomes.split())
    url = url or "/" + (
        route.replace("<int:pk>", "{pk}")
        .replace("<int:order_pk>", "{order}")
        .replace("<str:platform>/<str:item_id>", "taobao/100001")
        .replace("<slug:name>", "spend-per-day")
    )
    return Row(route, method, codes, url, **extra)


# Which object a {pk} names, by the start of the URL; any other {pk} names nothing (404).
PK_OBJECTS = {
    "/orders/": "order",
    "/checkout/": "order",
    "/aftersales/": "case",
    "/logistics/addresses/": "address",
    "/logistics/parcels/": "parcel",
    "/logistics/lines/": "line",
    "/api/v1/orders/": "missing",
    "/reports/": "missing",
}


S = "sandbox/"
CONTROL = "sandbox/_control/"
PNG = r"^(?P<platform>taobao|1688)/(?P<item_id>\w+)/(?P<n>\d+)\.png$"
DISPATCH = r"^(?P<provider>pandapon|dajisaas)/(?P<path>.+)$"
ITEM = "<str:platform>/<str:item_id>/"

TABLE = [
    #   route, method, "purchaser approver finance admin anonymous"
    # -- sign-in and the site frame ---------------------------------------------------------------
    row("", "GET", "302 302 302 302 302"),
    row("login/", "GET", "302 302 302 302 200"),
    row("logout/", "POST", "L L L L L"),
    # The scripts' words in the reader's language: no data, open to all like the scripts.
    row("jsi18n/", "GET", "200 200 200 200 200"),
    # Anyone may switch the site's language (tests/backoffice/test_language.py); the matrix's
    # empty POST names no language, so everyone meets the refusal, nobody the sign-in.
    row("language/", "POST", "400 400 400 400 400"),
    row("healthz", "GET", "200 200 200 200 200"),
    row("work/", "GET", "200 200 200 200 L"),
    row("healthz/live", "GET", "200 200 200 200 200"),
    row("healthz/ready", "GET", "200 200 200 200 200"),
    # A signed-in person is no scraper: only the metrics token or an allowed address (neither
    # set here, so the endpoint is off) opens /metrics (tests/config/test_metrics.py).
    row("metrics", "GET", "404 404 404 404 404"),
    row("dashboard/", "GET", "200 200 200 200 L"),
    # -- goods and carts: purchasers, approvers, admins ----------------------------------------
    row("goods/", "GET", "200 200 403 200 L", url="/goods/?q=cup"),
    row("goods/lists/", "GET", "200 200 403 200 L"),
    row(f"goods/{ITEM}", "GET", "200 200 403 200 L"),
    row(f"goods/{ITEM}landed-cost/", "GET", "200 200 403 200 L"),
    row("carts/", "GET", "200 200 403 200 L"),
    row("carts/add/", "POST", "302 302 403 302 L"),
    row("carts/quantity/", "POST", "302 302 403 302 L"),
    row("carts/remove/", "POST", "302 302 403 302 L"),
    row("carts/selection/", "POST", "400 400 403 400 L"),
    # Baskets: one's own; {pk} names nobody's basket or line here, and another person's private
    # one is 404 too (tests/carts/test_basket_pages.py).
    row("baskets/", "GET", "200 200 403 200 L"),
    row("baskets/<int:pk>/", "GET", "404 404 403 404 L"),
    row("baskets/add/", "POST", "302 302 403 302 L"),
    row("baskets/share/", "POST", "302 302 403 302 L"),
    row("baskets/order/", "POST", "302 302 403 302 L"),
    row("baskets/lines/<int:pk>/", "POST", "404 404 403 404 L"),
    row("baskets/lines/<int:pk>/remove/", "POST", "404 404 403 404 L"),
    # -- checkout: create and submit for buyers, approve for approvers, pay for money roles --------
    row("checkout/from-cart/", "POST", "302 302 403 302 L"),
    row("checkout/new/", "GET", "200 200 403 200 L"),
    row("checkout/<int:pk>/preview/", "GET", "200 200 200 200 L"),
    row("checkout/<int:pk>/preview-again/", "POST", "302 302 403 302 L"),
    row("checkout/<int:pk>/note/", "POST", "302 302 403 302 L"),
    row("checkout/<int:pk>/split/", "POST", "302 302 403 302 L"),
    row("checkout/<int:pk>/status/", "GET", "200 200 200 200 L"),
    row("checkout/<int:pk>/confirm/", "POST", "302 302 403 302 L"),
    row("checkout/approvals/", "GET", "403 200 403 200 L"),
    row("checkout/<int:pk>/approve/", "GET", "403 200 403 200 L"),
    row("checkout/<int:pk>/approve/", "POST", "403 200 403 200 L"),
    row("checkout/pay/", "GET", "403 200 200 200 L"),
    row("checkout/pay/confirm/", "POST", "403 302 302 302 L"),
    row("checkout/pay/result/", "GET", "403 200 200 200 L"),
    # -- orders: everyone on staff reads; finance acts only on money ------------------------------
    row("orders/", "GET", "200 200 200 200 L"),
    row("orders/exceptions/", "GET", "200 200 200 200 L"),
    row("orders/exceptions/messages/<int:pk>/retry/", "POST", "403 302 403 302 L"),
    row("orders/bulk/", "POST", "302 302 302 302 L"),
    row("orders/bulk/done/", "GET", "302 302 302 302 L"),
    row("orders/<int:pk>/", "GET", "200 200 200 200 L"),
    row("orders/<int:pk>/status/", "GET", "200 200 200 200 L"),
    row("orders/<int:pk>/logistics/", "GET", "200 200 200 200 L"),
    row("orders/<int:pk>/im/", "GET", "302 302 302 302 L"),
    row("orders/<int:pk>/refresh/", "POST", "302 302 302 302 L"),
    row("orders/<int:pk>/receipt/", "GET", "200 200 403 200 L"),
    row("orders/<int:pk>/receipt/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/warehouse/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/voucher/", "POST", "403 302 302 302 L"),
    row(
        "orders/<int:pk>/vouchers/<int:voucher_pk>/",
        "GET",
        "403 404 404 404 L",
        url="/orders/{pk}/vouchers/999999/",
    ),
    row("orders/<int:pk>/attention/clear/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/claim/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/assign/", "POST", "403 302 403 302 L"),
    row("orders/<int:pk>/release/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/wait-reason/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/lookup/adopt/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/lookup/none-ours/", "POST", "302 302 403 302 L"),
    row("orders/<int:pk>/lookup/confirm/", "POST", "302 302 403 302 L"),
    # -- after-sales: buyers ----------------------------------------------------------------------
    row("aftersales/", "GET", "200 200 403 200 L"),
    row("aftersales/open/<int:order_pk>/", "GET", "200 200 403 200 L"),
    row("aftersales/<int:pk>/", "GET", "200 200 403 200 L"),
    row("aftersales/<int:pk>/submit/", "GET", "200 200 403 200 L"),
    row("aftersales/<int:pk>/cancel/", "GET", "200 200 403 200 L"),
    row("aftersales/<int:pk>/refresh/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/lookup/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/message/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/modify/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/return/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/pack/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/claim/", "POST", "302 302 403 302 L"),
    row("aftersales/<int:pk>/assign/", "POST", "403 302 403 302 L"),
    row("aftersales/<int:pk>/release/", "POST", "302 302 403 302 L"),
    row(
        "aftersales/<int:pk>/evidence/<int:evidence_pk>/",
        "GET",
        "404 404 403 404 L",
        url="/aftersales/{pk}/evidence/999999/",
    ),
    # -- logistics: buyers -------------------------------------------------------------------------
    row("logistics/", "GET", "200 200 403 200 L"),
    row("logistics/addresses/", "GET", "200 200 403 200 L"),
    row("logistics/addresses/<int:pk>/", "GET", "200 200 403 200 L"),
    row("logistics/addresses/<int:pk>/default/", "POST", "302 302 403 302 L"),
    row("logistics/addresses/pull/", "POST", "302 302 403 302 L"),
    row("logistics/freight/", "GET", "200 200 403 200 L"),
    row("logistics/warehouse/", "GET", "200 200 403 200 L"),
    row("logistics/warehouse/arrivals/", "POST", "302 302 403 302 L"),
    row(
        "logistics/warehouse/arrivals/<slug:job>/",
        "GET",
        "200 200 403 200 L",
        url=f"/logistics/warehouse/arrivals/{'0' * 32}/",
    ),
    row("logistics/lines/<int:pk>/domestic/", "GET", "200 200 403 200 L"),
    row("logistics/parcels/new/", "GET", "200 200 403 200 L"),
    row("logistics/parcels/<int:pk>/", "GET", "200 200 403 200 L"),
    row("logistics/parcels/<int:pk>/book/", "GET", "200 200 403 200 L"),
    row("logistics/parcels/<int:pk>/refresh/", "POST", "302 302 403 302 L"),
    row("logistics/parcels/<int:pk>/cancel/", "POST", "302 302 403 302 L"),
    # -- reports: managers (no such export or chart here: the gate answers before the 404) --------
    row("reports/", "GET", "403 200 200 200 L"),
    row("reports/charts/<slug:name>.json", "GET", "403 200 200 200 L"),
    row("reports/wait-reasons/", "GET", "403 200 200 200 L"),
    row("reports/export/", "POST", "403 302 302 302 L"),
    row("reports/exports/<int:pk>/", "GET", "403 404 404 404 L"),
    row("reports/exports/<int:pk>/progress/", "GET", "403 404 404 404 L"),
    row("reports/exports/<int:pk>/download/", "GET", "403 404 404 404 L"),
    # -- the Django admin ------------------------------------------------------------------------
    row("admin/", "GET", "403 403 403 200 302"),
    row("admin/", "GET", "403 403 403 200 302", url="/admin/auth/user/"),
    # -- upstream callbacks: signed by the upstream, never by a session ---------------------------
    row("callbacks/pandapon/", "POST", "401 401 401 401 401"),
    row("callbacks/dajisaas/", "POST", "401 401 401 401 401"),
    # -- the sandbox (only when UPSTREAM_SANDBOX; off in production) ------------------------------
    # The simulated upstream answers anyone, as the real upstream's API answers any signed
    # caller; its controls and console are for administrators (or the control token) only.
    row(f"{CONTROL}reset", "POST", "403 403 403 200 401"),
    row(f"{CONTROL}advance", "POST", "403 403 403 400 401"),
    row(f"{CONTROL}tick", "POST", "403 403 403 200 401"),
    row(f"{CONTROL}price-change", "POST", "403 403 403 400 401"),
    row(f"{CONTROL}faults", "GET", "403 403 403 200 401"),
    row(f"{CONTROL}ledger", "GET", "403 403 403 200 401"),
    row(f"{CONTROL}foreign-orders", "POST", "403 403 403 400 401"),
    row(f"{CONTROL}profile", "GET", "403 403 403 200 401"),
    row(f"{CONTROL}protocol-pay", "POST", "403 403 403 400 401"),
    row(f"{CONTROL}cashier-pay", "POST", "403 403 403 400 401"),
    row(f"{S}console/", "GET", "403 403 403 200 L"),
    row(f"{S}console/reset", "POST", "403 403 403 302 L"),
    row(f"{S}console/tick", "POST", "403 403 403 302 L"),
    row(f"{S}console/advance", "POST", "403 403 403 302 L"),
    row(f"{S}console/price-change", "POST", "403 403 403 302 L"),
    row(f"{S}console/faults", "POST", "403 403 403 302 L"),
    row(f"{S}console/faults/clear", "POST", "403 403 403 302 L"),
    row(f"{S}console/protocol-pay", "POST", "403 403 403 302 L"),
    # The cashier a refused password-free payment links to: anyone signed in, as the upstream's
    # cashier is anyone's signed in to the buying account (no order named: 404).
    row(f"{S}cashier/", "GET", "404 404 404 404 L"),
    row(f"{S}images/{PNG}", "GET", "404 404 404 404 404", url="/sandbox/images/taobao/1/1.png"),
    row(f"{S}{DISPATCH}", "POST", "200 200 200 200 200", url="/sandbox/pandapon/open/order/get"),
    # -- the storefront REST API: bearer keys with scopes ------------------------------------------
    row("api/v1/orders/", "GET", API, key=403),
    row("api/v1/orders/", "POST", API, key=403),
    row("api/v1/orders/<int:pk>/", "GET", API, key=403),
    row("api/v1/orders/<int:pk>/cancel/", "POST", API, key=403),
    row("api/v1/orders/<int:pk>/decisions/", "POST", API, key=403),
    row("api/v1/goods/search/", "GET", API, url="/api/v1/goods/search/?q=cup", key=403),
    row(f"api/v1/goods/{ITEM}", "GET", API, key=403),
    row("api/v1/freight/estimate/", "POST", API, key=403),
    # The schema and its docs are public: they describe the API, they serve no data.
    row("api/schema/", "GET", "200 200 200 200 200", key=200),
    row("api/docs/", "GET", "200 200 200 200 200", key=200),
    row("api/^", "GET", "404 404 404 404 404", url="/api/nothing-here/", key=404),
]


def url_patterns(patterns=None, prefix: str = "") -> set[str]:
    """Every URL pattern of the site, as one string each (includes joined)."""
    found: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            found |= url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.add(prefix + str(pattern.pattern))
    return found


def test_every_url_pattern_is_in_the_table():
    site = {p for p in url_patterns() if not p.startswith("admin/")}
    covered = {r.route for r in TABLE}

    assert sorted(site - covered) == [], "give these URL patterns a row in TABLE"
    assert sorted(covered - site - {"admin/"}) == [], "rows for URL patterns that are gone"


@pytest.fixture
def objects(db, settings) -> dict[str, int]:
    # Nowhere to connect: a page that calls the upstream shows its error, quickly.
    settings.PANDAPON_BASE_URL = "http://127.0.0.1:9/pandapon"
    settings.DAJISAAS_BASE_URL = "http://127.0.0.1:9/dajisaas"
    settings.UPSTREAM_READ_ATTEMPTS = 1
    line = PurchaseOrderLineFactory()
    address = Address.objects.create(
        kind="customer",
        name="A. Smith",
        phone="+15035550100",
        country="US",
        province="OR",
        city="Portland",
        address="1 Main St",
        postcode="97201",
    )
    parcel = Parcel.objects.create(
        address=address, country="US", service_id="svc", customs_description="cups"
    )
    case = RefundCase.objects.create(
        order=line.order,
        platform="taobao",
        kind="refund",
        goods_status="1",
        reason_id="1",
        asked_fen=100,
        max_fen=100,
    )
    return {
        "order": line.order.pk,
        "line": line.pk,
        "case": case.pk,
        "address": address.pk,
        "parcel": parcel.pk,
    }


def fill(url: str, objects: dict[str, int]) -> str:
    kind = next((k for prefix, k in PK_OBJECTS.items() if url.startswith(prefix)), "missing")
    return url.format(pk=objects.get(kind, 999_999), order=objects["order"])


def outcome(response) -> int | str:
    if response.status_code == 302:
        return LOGIN if response["Location"].startswith("/login/") else 302
    return response.status_code


def _params() -> list:
    return [pytest.param(r, id=f"{r.method} {r.url}") for r in TABLE]


@pytest.mark.parametrize("entry", _params())
def test_role_matrix(entry: Row, objects):
    url = fill(entry.url, objects)
    seen = []
    for role in ROLES:
        client = Client()
        if role != "anonymous":
            client.force_login(StaffUserFactory(role=role, is_superuser=role == "admin"))
        seen.append(outcome(getattr(client, entry.method.lower())(url)))

    assert dict(zip(ROLES, seen, strict=True)) == dict(zip(ROLES, entry.outcomes, strict=True))
    if entry.key is not None:
        _, raw = ApiKey.issue(Storefront.objects.create(name="No scopes", scopes=[]))
        response = getattr(Client(), entry.method.lower())(
            url, headers={"Authorization": f"Bearer {raw}"}
        )
        assert response.status_code == entry.key
