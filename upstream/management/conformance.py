"""A read-only conformance check of the configured upstream against what Caigou reads.

Each row calls one read operation through Caigou's own client and parsers, then compares the
answer field by field with what Caigou relies on: the envelope the client reads, the
containers the pages document (upstream-api.md), and the fields the parsers must fill for the
rest of Caigou to work. Only reads are called: no create, pay, cart or address write, ever.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings

from upstream import accounts, errors
from upstream.client import Reply, RetryPolicy, Transport
from upstream.dajisaas import Dajisaas
from upstream.operations import Kind, operation
from upstream.pandapon import PandaPon
from upstream.types.logistics import ReceiverAddress

OK, DRIFT, REFUSED = "ok", "drift", "refused"
# The envelope fields the client reads (upstream-api.md 1.4 and 2.3).
ENVELOPE = {"pandapon": ("code", "msg", "requestId"), "dajisaas": ("code", "message")}


@dataclass
class Row:
    name: str
    operation: str
    status: str = OK
    problems: list[str] = field(default_factory=list)

    def drift(self, problem: str) -> None:
        self.status = DRIFT if self.status == OK else self.status
        self.problems.append(problem)


class Recorder:
    """A transport of its own for the check (no journal, one attempt), keeping each answer so
    its envelope can be compared too, and refusing any operation that is not a read."""

    def __init__(self, account) -> None:
        self.transport: Transport = accounts.transport_class(account)(
            account,
            connect_timeout=settings.UPSTREAM_CONNECT_TIMEOUT,
            read_timeout=settings.UPSTREAM_READ_TIMEOUT,
            retry=RetryPolicy(attempts=1),
        )
        self.replies: list[Reply] = []
        real = self.transport.call

        def call(op, params=None, **kwargs) -> Reply:
            if operation(op if isinstance(op, str) else op.name).kind is not Kind.READ:
                raise AssertionError(f"upstream_check may only read, not call {op}")
            reply = real(op, params, **kwargs)
            self.replies.append(reply)
            return reply

        self.transport.call = call  # type: ignore[method-assign]


def _missing(obj: Any, names: tuple[str, ...]) -> list[str]:
    return [name for name in names if getattr(obj, name, None) in (None, "", [], {})]


@dataclass
class Check:
    """One read: a label, the operation, how to call it, what of its answer Caigou reads."""

    name: str
    op: str
    call: Callable[[Any, dict], Any]  # (client, found so far) -> the parsed result
    containers: tuple[tuple[str, type], ...] = ()  # documented keys of `data`, and their type
    first: Callable[[Any], Any] | None = None  # the first parsed element, when a list
    reads: tuple[str, ...] = ()  # attributes of it the parsers must fill
    keep: str = ""  # remember the first element under this name for a later check


def pandapon_checks(keyword: str) -> list[Check]:
    receiver = ReceiverAddress(name="Check", country="US", city="Los Angeles", zip="90001")
    return [
        Check(
            "goods search (1688)",
            "alibaba_product_keyword_query",
            lambda c, f: c.alibaba_goods.keyword_query(keyword=keyword, page_size=5).items,
            containers=(("data", list),),
            first=lambda items: items[0] if items else None,
            reads=("item_id", "title", "price_fen"),
            keep="offer",
        ),
        Check(
            "goods search (Taobao)",
            "taobao_product_search",
            lambda c, f: c.taobao_goods.search(keyword=keyword, page_size=5).items,
            first=lambda items: items[0] if items else None,
            reads=("item_id", "title"),
            keep="item",
        ),
        Check(
            "product detail (1688)",
            "alibaba_product_detail",
            lambda c, f: c.alibaba_goods.product_detail(offer_id=f["offer"].item_id),
            reads=("item_id", "title", "skus"),
        ),
        Check(
            "product detail (Taobao)",
            "taobao_product_get",
            lambda c, f: c.taobao_goods.product_get(item_id=f["item"].item_id),
            reads=("item_id", "title", "mp_id", "skus"),
            keep="taobao_product",
        ),
        Check(
            "cart list (1688)",
            "alibaba_cart_list",
            lambda c, f: c.alibaba_cart.get(),
            containers=(("enableList", list), ("disableList", list)),
        ),
        Check("cart list (Taobao)", "taobao_cart_list", lambda c, f: c.taobao_cart.get()),
        Check("address get", "address_get", lambda c, f: c.addresses.get()),
        Check(
            "freight estimate",
            "logistics_item_price",
            lambda c, f: (
                c.warehouse_logistics.item_freight(
                    item_id=f["item"].item_id, receiver=receiver
                ).quotes
            ),
            first=lambda quotes: quotes[0] if quotes else None,
            reads=("service_id", "price_fen"),
        ),
        Check(
            "order list (1688)",
            "alibaba_order_page",
            lambda c, f: c.alibaba_orders.page(page_size=5),
        ),
        Check(
            "order list (Taobao)",
            "taobao_order_page",
            lambda c, f: c.taobao_orders.page(page_size=5),
        ),
    ]


def dajisaas_checks(keyword: str) -> list[Check]:
    return [
        Check(
            "goods search (Dajisaas 1688)",
            "dj_product_keyword_query",
            lambda c, f: c.goods.keyword_query(keyword=keyword, page_size=5).items,
            containers=(("data", list),),
            first=lambda items: items[0] if items else None,
            reads=("item_id", "title", "price_fen"),
            keep="dj_offer",
        ),
        Check(
            "product detail (Dajisaas 1688)",
            "dj_product_detail",
            lambda c, f: c.goods.product_detail(offer_id=f["dj_offer"].item_id),
            reads=("item_id", "title", "skus"),
        ),
        Check("order list (Dajisaas 1688)", "dj_order_list", lambda c, f: c.orders.list()),
    ]


def run_checks(*, keyword: str, dajisaas: bool) -> list[Row]:
    """Every row of the check, in order. A refused signature stops that provider's rows."""
    rows: list[Row] = []
    plans = [("pandapon", accounts.pandapon_account(), PandaPon, pandapon_checks(keyword))]
    if dajisaas:
        plans.append(("dajisaas", accounts.dajisaas_account(), Dajisaas, dajisaas_checks(keyword)))
    for provider, account, client_class, checks in plans:
        recorder = Recorder(account)
        client = client_class(recorder.transport)
        found: dict[str, Any] = {}
        signature = Row(f"signature ({provider})", "")
        rows.append(signature)
        try:
            for check in checks:
                rows.append(_run(check, client, recorder, provider, found))
        except errors.AuthenticationFailed as exc:
            signature.status = REFUSED
            signature.problems.append(f"the upstream refused our signature: {exc.msg}")
        finally:
            recorder.transport.session.close()
    return rows


def _run(check: Check, client: Any, recorder: Recorder, provider: str, found: dict) -> Row:
    row = Row(check.name, check.op)
    try:
        result = check.call(client, found)
    except KeyError as exc:
        row.drift(f"nothing to read: the check that finds {exc.args[0]} found nothing")
        return row
    except errors.AuthenticationFailed:
        raise
    except errors.UpstreamError as exc:
        row.drift(f"{type(exc).__name__}: {exc.msg}")
        return row
    except (TypeError, ValueError) as exc:
        row.drift(f"Caigou cannot read the answer: {exc}")
        return row
    reply = recorder.replies[-1]
    row.problems += [
        f"envelope lacks {name}" for name in ENVELOPE[provider] if name not in reply.envelope
    ]
    data = reply.data if isinstance(reply.data, dict) else {}
    for name, kind in check.containers:
        if not isinstance(data.get(name), kind):
            row.problems.append(f"data.{name} is not a {kind.__name__}")
    element = check.first(result) if check.first else result
    if check.first and element is None:
        row.problems.append("the answer has no element to compare (empty list)")
    elif check.reads:
        row.problems += [f"{name} is missing" for name in _missing(element, check.reads)]
    if element is not None and check.keep:
        found[check.keep] = element
    if row.problems:
        row.status = DRIFT
    return row
