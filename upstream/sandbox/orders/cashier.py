"""Password-free payment and the cashier: whether the account signed the protocol payment
agreement, the cashier page's URL that a refused protocol pay answers with, and a person paying
there (the sandbox's own cashier page, or the control API standing in for that person).

A protocol pay on an account that has not signed moves no money: PandaPon answers
`protocolPaySuccess: false` with the cashier URL, Dajisaas an inner failure with a code its
pages do not document. Paying at the cashier records a Payment (operation `cashier`) and a
ledger entry, and moves the order to paid, which pushes the usual status callback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from upstream.sandbox import statuses as st
from upstream.sandbox.ids import new_id
from upstream.sandbox.models.control import Account, LedgerEntry
from upstream.sandbox.models.orders import Order, Payment
from upstream.sandbox.orders.lifecycle import _locked, _move
from upstream.sandbox.router import SandboxCall, SandboxError

PROVIDERS = ("pandapon", "dajisaas")
CASHIER = "cashier"  # the operation of a payment made at the cashier (ledger, Payment)
# What a refused Dajisaas protocol pay answers unless told otherwise: a code no page documents.
DEFAULT_REFUSAL = ("PROTOCOL_NOT_SIGNED", "免密支付协议未签约")


def protocol_pay_signed(provider: str) -> bool:
    """Whether the provider's account pays password-free (no row: it does)."""
    account = Account.objects.filter(provider=provider).first()
    return account is None or account.protocol_pay


def refusal(provider: str) -> tuple[str, str]:
    """The code and words a protocol pay of an account that has not signed answers with."""
    account = Account.objects.filter(provider=provider).first()
    code, words = DEFAULT_REFUSAL
    if account is not None and account.refusal_code:
        code = account.refusal_code
    return code, words


def set_protocol_pay(*, provider: str = "", signed: Any, refusal_code: Any = "") -> list[Account]:
    """Switch password-free payment on or off for one provider's account, or both."""
    if not isinstance(signed, bool):
        raise ValueError("signed must be true or false")
    if provider and provider not in PROVIDERS:
        raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}")
    code = str(refusal_code or "").strip()
    if len(code) > 40:
        raise ValueError("refusal_code is longer than 40 characters")
    accounts = []
    for name in [provider] if provider else PROVIDERS:
        account, _created = Account.objects.update_or_create(
            provider=name, defaults={"protocol_pay": signed, "refusal_code": code}
        )
        accounts.append(account)
    return accounts


def account_json(account: Account) -> dict[str, Any]:
    return {
        "provider": account.provider,
        "protocol_pay": account.protocol_pay,
        "refusal_code": account.refusal_code or DEFAULT_REFUSAL[0],
    }


def cashier_url(call: SandboxCall, order_ids: Sequence[str]) -> str:
    """The sandbox cashier page for these orders, on the host the call came to."""
    path = f"{reverse('sandbox:cashier')}?{urlencode({'orderIds': ','.join(order_ids)})}"
    request = call.request
    return request.build_absolute_uri(path) if request is not None else path


def cashier_orders(order_ids: Sequence[str]) -> list[Order]:
    """The orders a cashier URL names, in its order; 404 naming one that does not exist."""
    found = {order.order_id: order for order in Order.objects.filter(order_id__in=order_ids)}
    missing = [order_id for order_id in order_ids if order_id not in found]
    if missing or not order_ids:
        raise SandboxError(404, f"order {', '.join(missing) or '(none)'} does not exist")
    return [found[order_id] for order_id in order_ids]


def pay_at_cashier(order: Order) -> Payment:
    """A person pays an unpaid order at the cashier: one Payment, one ledger entry, and the
    order moves to paid (its status callback goes out). 1005 when nothing is left to pay."""
    order = _locked(order)
    if not st.is_awaiting_payment(order.platform, order.status):
        raise SandboxError(1005, f"order {order.order_id} is {order.status}: nothing to pay")
    payment = Payment.objects.create(
        order=order, pay_id=new_id(), amount_fen=order.total_fen, operation=CASHIER
    )
    LedgerEntry.objects.create(
        operation=CASHIER,
        kind="pay",
        path=reverse("sandbox:cashier"),
        outer_ref=order.outer_ref,
        upstream_ids=[order.order_id],
        user_id=order.user_id,
    )
    _move(order, st.PAID[order.platform])
    return payment
