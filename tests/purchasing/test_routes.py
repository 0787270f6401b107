"""The routes: which class serves which platform × provider, what each cannot do, and that no
service, task or view picks an upstream call by platform or provider again."""

from __future__ import annotations

import ast
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
        (TaobaoPandaPon(), {Capability.SPLIT, Capability.BATCH_PAY, Capability.RECEIPT}),
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


# The operation that a capability stands for, called with arguments that would reach the
# upstream if the route answered it.
OPERATIONS = {
    Capability.CART: lambda route: route.cart(),
    Capability.BATCH_PAY: lambda route: route.pay_batch(["1", "2"]),
    Capability.RECEIPT: lambda route: route.confirm_receipt("1"),
    Capability.TRACE: lambda route: route.logistics(PurchaseOrder()),
    Capability.WAREHOUSE: lambda route: route.update_warehouse("1", name="w", address="a"),
    Capability.IM: lambda route: route.im_link("1"),
}
METHODS = {
    Capability.CART: "cart",
    Capability.BATCH_PAY: "pay_batch",
    Capability.RECEIPT: "confirm_receipt",
    Capability.TRACE: "logistics",
    Capability.WAREHOUSE: "update_warehouse",
    Capability.IM: "im_link",
}


@pytest.mark.parametrize(
    "route", [TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas()], ids=repr
)
def test_a_route_answers_what_it_can_and_refuses_the_rest_before_any_call(route):
    for capability, call in OPERATIONS.items():
        overridden = getattr(type(route), METHODS[capability]) is not getattr(
            Route, METHODS[capability]
        )
        assert overridden == route.can(capability), (route, capability)
        if not route.can(capability):
            with pytest.raises(RouteRefused):
                call(route)


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
WATCHED = ("purchasing/services", "purchasing/tasks.py", "purchasing/views")
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
# A call through one of these reaches the upstream client directly.
CLIENT_WORDS = {"accounts", "pandapon", "dajisaas"}


def _words(node: ast.AST) -> set[str]:
    found = set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            found.add(sub.id)
        elif isinstance(sub, ast.Attribute):
            found.add(sub.attr)
    return found


def _calls_upstream(nodes: list[ast.AST]) -> bool:
    return any(
        isinstance(sub, ast.Call) and _words(sub.func) & CLIENT_WORDS
        for node in nodes
        for sub in ast.walk(node)
    )


def provider_branches(source: str, name: str) -> list[str]:
    """`name:line` of each place that picks a provider, or branches on platform or provider
    and calls the upstream client in a branch."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Name | ast.Attribute):
            word = node.id if isinstance(node, ast.Name) else node.attr
            if word in PROVIDER_CHOICE:
                found.append(f"{name}:{node.lineno} names {word}")
        if isinstance(node, ast.If | ast.IfExp) and _words(node.test) & BRANCH_WORDS:
            branches = (
                node.body + node.orelse if isinstance(node, ast.If) else [node.body, node.orelse]
            )
            if _calls_upstream(branches):
                found.append(f"{name}:{node.lineno} branches on platform or provider")
    return sorted(set(found))


def watched_modules() -> list[Path]:
    paths = []
    for watched in WATCHED:
        path = ROOT / watched
        paths += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return paths


def test_no_service_task_or_view_chooses_the_upstream_call_by_platform_or_provider():
    found = []
    for path in watched_modules():
        found += provider_branches(path.read_text(), str(path.relative_to(ROOT)))

    assert found == [], "ask purchasing.routes instead:\n" + "\n".join(found)


def test_the_check_sees_a_provider_branch():
    source = (
        "def pay(order):\n"
        "    if order.platform == Platform.TAOBAO:\n"
        "        return pandapon().taobao_orders.pay(order_id=1)\n"
        "    return accounts.pandapon().alibaba_orders.pay_url(order_id=1)\n"
        "def provider():\n"
        "    return settings.UPSTREAM_PROVIDER_1688\n"
    )

    assert provider_branches(source, "x.py") == [
        "x.py:2 branches on platform or provider",
        "x.py:6 names UPSTREAM_PROVIDER_1688",
    ]


def test_the_check_lets_a_branch_that_only_labels_pass():
    source = (
        "def label(order):\n"
        "    if order.platform == Platform.TAOBAO:\n"
        "        return 'One Taobao order'\n"
        "    return accounts.pandapon().warehouse_logistics\n"
    )

    assert provider_branches(source, "x.py") == []
