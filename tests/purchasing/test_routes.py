"""The routes: which class serves which platform × provider, what each cannot do, and that no
service, task or view picks an upstream call by platform or provider again (after-sales
included: its services, rules, views, tasks and templates ask aftersales.routes)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from purchasing.models import Platform, PurchaseOrder, PurchaseOrderLine
from purchasing.models.orders import Provider, Source
from purchasing.routes import (
    Capability,
    Route,
    RouteRefused,
    cart_route,
    route_for,
    route_for_platform,
    route_of,
)
from purchasing.routes.alibaba_dajisaas import AlibabaDajisaas
from purchasing.routes.alibaba_pandapon import AlibabaPandaPon
from purchasing.routes.taobao_pandapon import TaobaoPandaPon

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("platform", "setting", "expected"),
    [
        (Platform.TAOBAO, "pandapon", TaobaoPandaPon),
        (Platform.TAOBAO, "dajisaas", TaobaoPandaPon),
        (Platform.ALIBABA, "pandapon", AlibabaPandaPon),
        (Platform.ALIBABA, "dajisaas", AlibabaDajisaas),
        (Platform.ALIBABA, "", AlibabaPandaPon),
    ],
)
def test_a_new_order_takes_the_route_of_its_platform_and_the_1688_provider(
    settings, platform, setting, expected
):
    settings.UPSTREAM_PROVIDER_1688 = setting

    route = route_for_platform(platform)

    assert type(route) is expected
    assert route.platform == platform


@pytest.mark.parametrize(
    ("platform", "provider", "expected"),
    [
        (Platform.TAOBAO, Provider.PANDAPON, TaobaoPandaPon),
        (Platform.ALIBABA, Provider.PANDAPON, AlibabaPandaPon),
        (Platform.ALIBABA, Provider.DAJISAAS, AlibabaDajisaas),
    ],
)
@pytest.mark.parametrize("setting", ["pandapon", "dajisaas"])
def test_an_order_keeps_the_route_it_was_created_on_whatever_the_setting_says_now(
    settings, platform, provider, expected, setting
):
    settings.UPSTREAM_PROVIDER_1688 = setting

    assert type(route_for(PurchaseOrder(platform=platform, provider=provider))) is expected


def test_no_route_serves_taobao_through_dajisaas():
    with pytest.raises(ValueError, match="no route"):
        route_of(Platform.TAOBAO, Provider.DAJISAAS)


@pytest.mark.parametrize("setting", ["pandapon", "dajisaas"])
def test_cart_orders_go_through_pandapon_whose_account_holds_the_carts(settings, setting):
    settings.UPSTREAM_PROVIDER_1688 = setting

    assert type(cart_route(Platform.TAOBAO)) is TaobaoPandaPon
    assert type(cart_route(Platform.ALIBABA)) is AlibabaPandaPon


@pytest.mark.parametrize(
    ("route", "cannot"),
    [
        (
            TaobaoPandaPon(),
            {
                Capability.SPLIT,
                Capability.RECEIPT,
                Capability.CATEGORIES,
                Capability.MARKETING,
                Capability.RELATED,
            },
        ),
        (AlibabaPandaPon(), {Capability.WAREHOUSE, Capability.IM, Capability.VOUCHER}),
        (
            AlibabaDajisaas(),
            {
                Capability.CART,
                Capability.SEVERAL_SELLERS,
                Capability.BATCH_PAY,
                Capability.TRACE,
                Capability.WAREHOUSE,
                Capability.IM,
                Capability.VOUCHER,
                Capability.AFTERSALES,
            },
        ),
    ],
    ids=repr,
)
def test_what_each_route_cannot_do(route, cannot):
    assert route.cannot == cannot
    assert {c for c in Capability if not route.can(c)} == cannot


def test_taobao_pays_in_batches_only_while_its_assumed_batch_pay_is_on(settings):
    route = TaobaoPandaPon()
    assert route.can(Capability.BATCH_PAY)

    settings.CAIGOU_TAOBAO_BATCH_PAY = False

    assert not route.can(Capability.BATCH_PAY)


def test_dajisaas_refuses_a_create_for_two_sellers_before_any_call():
    order = PurchaseOrder(platform=Platform.ALIBABA, provider=Provider.DAJISAAS)
    lines = [PurchaseOrderLine(seller_id="a"), PurchaseOrderLine(seller_id="b")]

    with pytest.raises(RouteRefused, match="one seller each"):
        AlibabaDajisaas().create(order, lines, budget_fen=0)


def test_dajisaas_refuses_cart_orders_before_any_call():
    order = PurchaseOrder(platform=Platform.ALIBABA, provider=Provider.DAJISAAS)
    order.source = Source.CART

    with pytest.raises(RouteRefused):
        AlibabaDajisaas().preview(order, [PurchaseOrderLine(seller_id="a")])


# -- only the routes choose the upstream call ----------------------------------------------------
WATCHED = (
    "purchasing/services",
    "purchasing/tasks.py",
    "purchasing/views",
    "carts",
    "logistics",
)
# After-sales asks its own routes (aftersales/routes/): these never look at the platform at all.
AFTERSALES_WATCHED = (
    "aftersales/services",
    "aftersales/views.py",
    "aftersales/rules.py",
    "aftersales/tasks.py",
)
AFTERSALES_TEMPLATES = "templates/aftersales"
# Names that pick a provider: only purchasing.routes may use them.
PROVIDER_CHOICE = {
    "provider_for",
    "UPSTREAM_PROVIDER_1688",
    "DAJISAAS",
    "PANDAPON",
    "dajisaas",
    "_uses_dajisaas",
}
# Words in a condition that mean "which platform or provider is this".
BRANCH_WORDS = {"platform", "provider", "TAOBAO", "ALIBABA", "DAJISAAS", "PANDAPON"}
# The accessors of a provider's client (upstream.accounts): calling one picks the provider.
CLIENTS = {"pandapon", "dajisaas"}
# A call through one of these reaches the upstream: the client, or an operation of a route.
ROUTE_OPERATIONS = {
    name
    for name in dir(Route)
    if not name.startswith("_") and callable(getattr(Route, name)) and name != "can"
}
UPSTREAM_WORDS = {"accounts"} | CLIENTS | ROUTE_OPERATIONS
ROUTE_LOOKUPS = {"route_for", "route_for_platform", "cart_route", "route_of"}


def _words(node: ast.AST) -> set[str]:
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def _calls_upstream(nodes: list[ast.AST]) -> bool:
    """A call through the client or a route, or a call guarded for the upstream's errors."""
    return any(
        (isinstance(sub, ast.Call) and _words(sub.func) & UPSTREAM_WORDS)
        or (isinstance(sub, ast.ExceptHandler) and "UpstreamError" in _words(sub.type or sub))
        for node in nodes
        for sub in ast.walk(node)
    )


def _condition_words(test: ast.AST) -> set[str]:
    """The words of a condition, leaving out the route it looks up: `route_for(order).can(...)`
    asks the route, it does not branch on the order's platform."""
    asked = {
        id(sub)
        for node in ast.walk(test)
        if isinstance(node, ast.Call) and _words(node.func) & ROUTE_LOOKUPS
        for arg in [*node.args, *node.keywords]
        for sub in ast.walk(arg)
    }
    kept = [node for node in ast.walk(test) if id(node) not in asked]
    names = {node.id for node in kept if isinstance(node, ast.Name)}
    return names | {node.attr for node in kept if isinstance(node, ast.Attribute)}


def _client_called(node: ast.AST) -> str:
    """The provider client's accessor a call names (`accounts.pandapon()`, `dajisaas()`), or ""."""
    if not isinstance(node, ast.Call):
        return ""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
    return name if name in CLIENTS else ""


def provider_branches(source: str, name: str) -> list[str]:
    """`name:line` of each place that picks a provider, calls a provider's client itself, or
    branches on platform or provider and calls the upstream (client or route) in a branch."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name | ast.Attribute):
            word = node.id if isinstance(node, ast.Name) else node.attr
            if word in PROVIDER_CHOICE:
                found.append(f"{name}:{node.lineno} names {word}")
        if client := _client_called(node):
            found.append(f"{name}:{node.lineno} calls the {client} client")
        if isinstance(node, ast.If | ast.IfExp) and _condition_words(node.test) & BRANCH_WORDS:
            branches = (
                node.body + node.orelse if isinstance(node, ast.If) else [node.body, node.orelse]
            )
            if _calls_upstream(branches):
                found.append(f"{name}:{node.lineno} branches on platform or provider")
    return sorted(set(found))


def watched_modules(watched_paths: tuple[str, ...] = WATCHED) -> list[Path]:
    paths = []
    for watched in watched_paths:
        path = ROOT / watched
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return [path for path in paths if "migrations" not in path.parts]


def test_the_watch_covers_carts_logistics_goods_freight_and_vouchers():
    watched = {str(path.relative_to(ROOT)) for path in watched_modules()}

    assert {
        "carts/services.py",
        "carts/selectors.py",
        "logistics/services/arrivals.py",
        "logistics/services/common.py",
        "purchasing/services/goods.py",
        "purchasing/services/freight.py",
        "purchasing/services/orders/voucher.py",
        "purchasing/views/goods.py",
    } <= watched


def test_no_service_task_or_view_chooses_the_upstream_call_by_platform_or_provider():
    found = []
    for path in watched_modules():
        found += provider_branches(path.read_text(), str(path.relative_to(ROOT)))

    assert found == [], "ask purchasing.routes instead:\n" + "\n".join(found)


def test_the_check_sees_a_provider_branch():
    source = (
        "def pay(order):\n"
        "    if order.platform == Platform.TAOBAO:\n"
        "        return taobao_orders.pay(order_id=1)\n"
        "    return alibaba_orders.pay_url(order_id=1)\n"
        "def provider():\n"
        "    return settings.UPSTREAM_PROVIDER_1688\n"
    )

    assert provider_branches(source, "x.py") == [
        "x.py:2 branches on platform or provider",
        "x.py:6 names UPSTREAM_PROVIDER_1688",
    ]


def test_the_check_sees_a_provider_client_called_outside_the_routes():
    source = (
        "from upstream.accounts import dajisaas\n"
        "def cart(platform):\n"
        "    client = accounts.pandapon()\n"
        "    return client.taobao_cart.get()\n"
        "def goods():\n"
        "    return dajisaas().goods\n"
    )

    assert provider_branches(source, "x.py") == [
        "x.py:3 calls the pandapon client",
        "x.py:6 calls the dajisaas client",
        "x.py:6 names dajisaas",
    ]


def test_the_check_sees_a_platform_branch_that_picks_a_route_operation():
    source = (
        "def related(platform, item_id):\n"
        "    if platform == ALIBABA:\n"
        "        return route_for_platform(platform).related(item_id, count=8)\n"
        "    return [], []\n"
    )

    assert provider_branches(source, "x.py") == ["x.py:2 branches on platform or provider"]


def test_the_check_sees_a_platform_branch_around_a_service_that_calls_the_upstream():
    source = (
        "def page(platform):\n"
        "    if platform == goods_services.ALIBABA:\n"
        "        try:\n"
        "            return goods_services.categories_1688()\n"
        "        except UpstreamError:\n"
        "            return []\n"
    )

    assert provider_branches(source, "x.py") == ["x.py:2 branches on platform or provider"]


def test_the_check_lets_a_branch_on_what_the_route_can_do_pass():
    source = (
        "def page(platform):\n"
        "    if route_for_platform(platform).can(Capability.RELATED):\n"
        "        return goods_services.related_goods(platform=platform, item_id='1')\n"
        "    if cart_route(order.platform).offer_minimums and order.platform:\n"
        "        return route.cart()\n"
    )

    assert provider_branches(source, "x.py") == ["x.py:4 branches on platform or provider"]


def test_the_check_lets_a_branch_that_only_labels_pass():
    source = (
        "def label(order):\n"
        "    if order.platform == Platform.TAOBAO:\n"
        "        return 'One Taobao order'\n"
        "    return route_for(order).logistics(order)\n"
    )

    assert provider_branches(source, "x.py") == []


# -- after-sales: only aftersales.routes knows the platform ----------------------------------------
# Members of Platform and Provider: naming one outside the routes is choosing by it.
ROUTE_MEMBERS = {"TAOBAO", "ALIBABA", "DAJISAAS", "PANDAPON"}
# Ways to reach an upstream client without a route.
CLIENT_MODULES = {"upstream.accounts", "aftersales.routes.clients"}


def platform_choices(source: str, name: str) -> list[str]:
    """`name:line` of each comparison of a platform or provider, each Platform or Provider
    member named, and each import of an upstream client, anywhere in the module."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and _words(node) & {"platform", "provider"}:
            found.append(f"{name}:{node.lineno} compares a platform or provider")
        elif isinstance(node, ast.Attribute) and node.attr in ROUTE_MEMBERS:
            found.append(f"{name}:{node.lineno} names {node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules = {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
            for module in sorted(modules & CLIENT_MODULES):
                found.append(f"{name}:{node.lineno} imports {module}")
    return sorted(set(found))


def test_no_aftersales_service_task_rule_or_view_chooses_by_platform_or_provider():
    found = []
    for path in watched_modules(AFTERSALES_WATCHED):
        source, name = path.read_text(), str(path.relative_to(ROOT))
        found += provider_branches(source, name) + platform_choices(source, name)

    assert found == [], "ask aftersales.routes instead:\n" + "\n".join(found)


def test_no_aftersales_template_compares_platforms():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / AFTERSALES_TEMPLATES).rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if re.search(r"\.(platform|provider)\s*(==|!=)", line)
    ]

    assert found == [], "ask the case's route in the view instead:\n" + "\n".join(found)


def test_the_aftersales_check_sees_a_platform_choice():
    source = (
        "from upstream import accounts\n"
        "LIMIT = {Platform.TAOBAO: 500}\n"
        "def can_message(case):\n"
        "    return case.platform == 'taobao'\n"
    )

    assert platform_choices(source, "x.py") == [
        "x.py:1 imports upstream.accounts",
        "x.py:2 names TAOBAO",
        "x.py:4 compares a platform or provider",
    ]


def test_the_aftersales_check_lets_a_platform_filter_pass():
    source = (
        "def cases(platform):\n"
        "    return RefundCase.objects.filter(platform=platform, status__in=LIVE)\n"
    )

    assert platform_choices(source, "x.py") == []
