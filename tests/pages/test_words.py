"""No machine words in front of a person (issue 20): every staff page, rendered for every staff
role with demo history made against the sandbox, shows money in yuan, never in fen, and upstream
statuses and operations in words, never as the upstream's codes. A code may stay in a tooltip
(an attribute), so only the text a person reads is searched."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from purchasing.glossary import MESSAGE_WORDS
from purchasing.statuses import UPSTREAM_STATUS
from tests.pages.conftest import page_patterns
from tests.purchasing.factories import StaffUserFactory
from tests.words import visible_text
from upstream.operations import BY_NAME
from upstream.types import aftersales as refunds
from upstream.types.orders.paid import PAYMENT_BY_STATUS

pytestmark = pytest.mark.django_db(transaction=True)

ROLES = ("purchaser", "approver", "finance", "admin")
# Upstream codes that are also plain English words, and so cannot be told from text.
ENGLISH_WORDS = {"success", "cancel"}
CODES = (
    set(UPSTREAM_STATUS)
    | {status for table in PAYMENT_BY_STATUS.values() for status in table}
    | {status.value for status in refunds.RefundStatus}
    | {
        v
        for name, v in vars(refunds).items()
        if name.startswith("ALIBABA_GOODS_") and isinstance(v, str)
    }
    | set(BY_NAME)
    | {code for code in MESSAGE_WORDS if not code.isdigit()}
) - ENGLISH_WORDS
MACHINE_WORDS = re.compile(
    r"\d\s*fen\b|\bfen\b|(?<![A-Za-z\d])\d+\s*分(?![\u4e00-\u9fff])|\b("
    + "|".join(sorted(map(re.escape, CODES)))
    + r")\b"
)
# Which demo objects fill a URL's first integer, by the start of the URL.
PK_OBJECTS = {
    "orders/": "order",
    "checkout/": "order",
    "aftersales/": "case",
    "logistics/addresses/": "address",
    "logistics/parcels/": "parcel",
    "logistics/lines/": "line",
}


def machine_words(text: str) -> list[str]:
    """Each offending place in `text`, with a little of what surrounds it."""
    return [text[max(0, m.start() - 40) : m.end() + 40] for m in MACHINE_WORDS.finditer(text)]


def urls(route: str, world: dict) -> list[str]:
    """The URLs of one pattern, filled with demo objects; none for a pattern that takes
    something the demo has no object for (a chart's name, an evidence file)."""
    if "<slug:" in route or "evidence_pk" in route:
        return []
    if "<str:platform>/<str:item_id>" in route:
        return ["/" + route.replace("<str:platform>/<str:item_id>", item) for item in world["item"]]
    if "<int:order_pk>" in route:
        return ["/" + route.replace("<int:order_pk>", str(pk)) for pk in world["order"]]
    if "<int:pk>" in route:
        kind = next((k for prefix, k in PK_OBJECTS.items() if route.startswith(prefix)), None)
        pks = world.get(kind, []) if kind else []
        return ["/" + route.replace("<int:pk>", str(pk)) for pk in pks]
    return ["/" + route]


def test_the_scan_finds_fen_upstream_codes_and_operation_names():
    text = visible_text(
        '<p title="WAIT_SELLER_SEND_GOODS">Paid</p><p>paid by taobao_order_pay: 7190 fen</p>'
        "<p>waitsellersend</p><script>var WAIT_BUYER_P = 1;</script><p>颜色分类 12 分 </p>"
        "<p>认领 120 分钟后释放</p>"
    )
    found = " | ".join(machine_words(text))
    assert "taobao_order_pay" in found and "7190 fen" in found and "waitsellersend" in found
    assert (
        "12 分" in found and "WAIT_SELLER_SEND_GOODS" not in found and "WAIT_BUYER_P" not in found
    )
    # Minutes, "assign to" after a user name, a category: not fen.
    assert machine_words(visible_text("<p>认领 120 分钟后释放 · staff8 分配给… · 分类</p>")) == []


def test_the_pattern_list_holds_the_staff_pages():
    routes = page_patterns()
    assert {"orders/<int:pk>/", "checkout/pay/", "logistics/warehouse/", "reports/"} <= set(routes)
    assert not [r for r in routes if r.startswith(("admin/", "api/"))]


def test_no_staff_page_shows_fen_or_an_upstream_code_or_a_link_it_may_not_open(demo_world):
    found: dict[str, list[str]] = {}
    admin_links: list[str] = []
    rendered = 0
    for role in ROLES:
        client = Client()
        client.force_login(StaffUserFactory(role=role, is_superuser=role == "admin"))
        for route in page_patterns():
            for url in urls(route, demo_world):
                response = client.get(url)
                if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                    continue
                rendered += 1
                html = response.content.decode()
                offending = machine_words(visible_text(html))
                if offending:
                    found.setdefault(url, offending)
                if role != "admin" and 'href="/admin/' in html:
                    # The admin (and the call journal in it) is for administrators only.
                    admin_links.append(f"{role} {url}")

    assert rendered > 100
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())
    assert admin_links == [], "pages that link people who may not use the admin into it"


def test_no_staff_page_in_chinese_shows_fen_or_an_upstream_code(demo_world):
    """The same scan in Simplified Chinese, as an administrator (who opens every page): the
    glossary's words and the amounts are translated, never replaced by the codes or by 分."""
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(StaffUserFactory(role="admin", is_superuser=True))
    found: dict[str, list[str]] = {}
    rendered = 0
    for route in page_patterns():
        for url in urls(route, demo_world):
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            rendered += 1
            assert response.headers["Content-Language"] == "zh-hans", url
            offending = machine_words(visible_text(response.content.decode()))
            if offending:
                found.setdefault(url, offending)

    assert rendered > 30
    assert found == {}, "\n".join(f"{url}: {words}" for url, words in found.items())
