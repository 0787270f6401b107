"""After-sales tests: real orders made and paid against the live sandbox (as tests/orders)."""

from __future__ import annotations

import pytest

from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import live, people, submitted_order  # noqa: F401  (fixtures)
from tests.security.files import tiny_png

# Real files: every picture is decoded and saved again, and a PDF must end like one.
PNG = tiny_png()
PDF = b"%PDF-1.7\n%fake\n%%EOF\n"
SHIPPED = {"taobao": "WAIT_BUYER_CONFIRM_GOODS", "1688": "waitbuyerreceive"}


def paid_order(people, live, *, platform: str = "taobao", shipped: bool = False):  # noqa: F811
    """An order submitted, paid (and, if asked, shipped by the seller) upstream."""
    order = submitted_order(people, platform=platform)
    order_pay(orders=[order], actor=people.finance)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID, order.attention_reason
    if shipped:
        live.control("advance", order=order.reference, to=SHIPPED[platform])
    assert all(line.upstream_sub_order_id for line in order.lines.all())
    return order


def refused_case(people, live, purchaser):  # noqa: F811
    """A Taobao claim sent upstream and refused by the sandbox's seller (its description asks
    for it), read back: the case waits on us."""
    from aftersales.models import CaseStatus
    from aftersales.services import case_refresh, case_submit
    from tests.aftersales.factories import open_taobao

    case = open_taobao(paid_order(people, live), purchaser, description="质量不好 refuse-me")
    case_submit(case=case, actor=purchaser)
    live.control("tick")
    case = case_refresh(case_id=case.pk)
    assert case.status == CaseStatus.REFUSED
    return case


@pytest.fixture
def purchaser(people):  # noqa: F811
    return people.purchaser


@pytest.fixture(autouse=True)
def _fresh_action_needed_count():
    """The badge's count is cached across requests, and a test's rollback sends no signal:
    every test starts (and ends) with it forgotten."""
    from aftersales.selectors import forget_action_needed

    forget_action_needed()
    yield
    forget_action_needed()
