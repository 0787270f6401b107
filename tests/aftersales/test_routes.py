"""The after-sales routes: which class serves which order route, that each refuses what it
cannot do before anything is sent, and that a Dajisaas order gets one sentence and no case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aftersales import routes
from aftersales.errors import AftersalesRefused
from aftersales.models import CaseKind, RefundCase
from aftersales.routes import AftersalesRoute, Operation
from aftersales.routes.alibaba_dajisaas import AlibabaDajisaas
from aftersales.routes.alibaba_pandapon import AlibabaPandaPon
from aftersales.routes.taobao_pandapon import TaobaoPandaPon
from aftersales.services import CaseError, case_open, case_options
from purchasing.models import Platform, PurchaseOrder
from purchasing.models.orders import Provider
from purchasing.statuses import OrderStatus
from tests.aftersales.factories import text
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory, client_for
from tests.purchasing.factories import StaffUserFactory
from upstream.models import CallJournal

DAJISAAS_SENTENCE = "Dajisaas has no operation for refunds and returns on 1688."
ROUTES = [TaobaoPandaPon(), AlibabaPandaPon(), AlibabaDajisaas()]

# The method that answers each operation, called with arguments that would reach the upstream
# if the route answered it.
CALLS = {
    Operation.OPEN: (
        "options",
        lambda r: r.options(PurchaseOrder(), [], refund_type=1, goods_status="1", left_fen=1),
    ),
    Operation.EVIDENCE: (
        "upload_voucher",
        lambda r: r.upload_voucher(content=b"x", file_name="a.png", content_type="image/png"),
    ),
    Operation.CREATE: ("create", lambda r: r.create(RefundCase(), [], pictures=[], description="")),
    Operation.LOOKUP: ("find_refunds", lambda r: r.find_refunds(RefundCase())),
    Operation.READ: ("read", lambda r: r.read("R1")),
    Operation.MODIFY: (
        "modify",
        lambda r: r.modify("R1", refund_fen=1, description=None),
    ),
    Operation.WITHDRAW: ("withdraw", lambda r: r.withdraw("R1")),
    Operation.MESSAGES: ("send_message", lambda r: r.send_message("R1", text="t", pictures=[])),
    Operation.RETURN: (
        "send_return",
        lambda r: r.send_return("R1", company_code="SF", tracking_no="1", description=""),
    ),
}


@pytest.fixture
def no_upstream(monkeypatch) -> list[str]:
    """Every upstream client refused: a route that reaches for one is recorded here."""
    reached: list[str] = []

    def client(name):
        def refuse():
            reached.append(name)
            raise AssertionError(f"the {name} client was asked for")

        return refuse

    monkeypatch.setattr("upstream.accounts.pandapon", client("pandapon"))
    monkeypatch.setattr("upstream.accounts.dajisaas", client("dajisaas"))
    return reached


@pytest.mark.parametrize(
    ("platform", "provider", "expected"),
    [
        (Platform.TAOBAO, Provider.PANDAPON, TaobaoPandaPon),
        (Platform.ALIBABA, Provider.PANDAPON, AlibabaPandaPon),
        (Platform.ALIBABA, Provider.DAJISAAS, AlibabaDajisaas),
    ],
)
def test_an_order_takes_the_after_sales_route_of_its_order_route(platform, provider, expected):
    route = routes.for_order(PurchaseOrder(platform=platform, provider=provider))

    assert type(route) is expected
    assert (route.platform, route.provider) == (platform, provider)


def test_a_case_takes_the_one_route_of_its_platform_that_opens_cases():
    assert type(routes.for_case(RefundCase(platform=Platform.TAOBAO))) is TaobaoPandaPon
    assert type(routes.for_case(RefundCase(platform=Platform.ALIBABA))) is AlibabaPandaPon
    opening = [r for r in routes.ROUTES.values() if r.can(Operation.OPEN)]
    assert len({r.platform for r in opening}) == len(opening), "a case would need its provider"


@pytest.mark.parametrize("route", ROUTES, ids=repr)
def test_a_route_answers_what_it_can_and_refuses_the_rest_before_any_call(route, no_upstream):
    assert set(CALLS) == set(Operation)
    for operation, (method, call) in CALLS.items():
        overridden = getattr(type(route), method) is not getattr(AftersalesRoute, method)
        assert overridden == route.can(operation), (route, operation)
        if not route.can(operation):
            with pytest.raises(AftersalesRefused) as refused:
                call(route)
            assert str(refused.value) == route.refusal(operation) != ""
    assert no_upstream == []


def test_the_dajisaas_route_refuses_every_after_sales_operation_with_one_sentence(no_upstream):
    route = AlibabaDajisaas()

    assert {route.refusal(operation) for operation in Operation} == {DAJISAAS_SENTENCE}
    with pytest.raises(AftersalesRefused, match=DAJISAAS_SENTENCE):
        route.check(Operation.OPEN)
    assert no_upstream == []


@pytest.fixture
def dajisaas_order(db) -> PurchaseOrder:
    order = PurchaseOrderFactory(
        platform=Platform.ALIBABA,
        provider=Provider.DAJISAAS,
        status=OrderStatus.PAID,
        upstream_order_id="DJ1",
        actual_fen=10_000,
    )
    PurchaseOrderLineFactory(order=order, upstream_order_id="DJ1", upstream_sub_order_id="DJ1-1")
    return order


def test_a_dajisaas_order_is_refused_after_sales_with_a_sentence_and_nothing_is_sent(
    dajisaas_order, no_upstream
):
    line = dajisaas_order.lines.get()
    terms = {
        "order": dajisaas_order,
        "lines": {line.pk: 1},
        "kind": CaseKind.REFUND_ONLY,
        "goods_status": "refundWaitSellerSend",
    }

    with pytest.raises(CaseError, match=DAJISAAS_SENTENCE):
        case_options(**terms)
    with pytest.raises(CaseError, match=DAJISAAS_SENTENCE):
        case_open(
            **terms,
            reason_id="1",
            amount_fen=100,
            description="货不对板",
            actor=StaffUserFactory(role="purchaser"),
        )
    assert not RefundCase.objects.exists()
    assert no_upstream == [] and not CallJournal.objects.exists()


def test_the_open_page_of_a_dajisaas_order_says_why_and_saves_nothing(dajisaas_order, no_upstream):
    line = dajisaas_order.lines.get()

    response = client_for(StaffUserFactory(role="purchaser")).post(
        reverse("aftersales:open", args=[dajisaas_order.pk]),
        {
            "line": [line.pk],
            f"qty_{line.pk}": 1,
            "kind": CaseKind.REFUND_ONLY,
            "goods_status": "refundWaitSellerSend",
            "reason": "1",
            "amount": "1.00",
            "description": "货不对板",
        },
    )

    assert response.status_code == 400
    assert DAJISAAS_SENTENCE in text(response)
    assert not RefundCase.objects.exists() and no_upstream == []
