"""Secrets never reach the logs or the call journal: a whole order flow against the sandbox
(submit, pay, callbacks), plus a storefront API call, with every logger at DEBUG."""

from __future__ import annotations

import logging

import requests

from backoffice.demo import DEMO_PASSWORD
from purchasing.models import UpstreamMessage
from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from storefront.models import ApiKey, Storefront
from tests.orders.conftest import submitted_order
from upstream.models import CallJournal
from upstream.sandbox.callbacks import wait_for_deliveries


def test_no_secret_in_logs_or_call_journal(live, people, caplog, settings):
    settings.SANDBOX_CALLBACKS_ENABLED = True
    _, api_key = ApiKey.issue(Storefront.objects.create(name="Shop", scopes=["orders:read"]))
    secrets = {
        "PANDAPON_SECRET": settings.PANDAPON_SECRET,
        "DAJISAAS_APP_SECRET": settings.DAJISAAS_APP_SECRET,
        "SECRET_KEY": settings.SECRET_KEY,
        "demo password": DEMO_PASSWORD,
        "storefront API key": api_key,
    }
    caplog.set_level(logging.DEBUG)

    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    live.control("tick")
    assert wait_for_deliveries(10)
    requests.get(
        f"{live.url}/api/v1/orders/", headers={"Authorization": f"Bearer {api_key}"}, timeout=10
    )
    requests.post(
        f"{live.url}/login/", data={"username": "nobody", "password": DEMO_PASSWORD}, timeout=10
    )

    order.refresh_from_db()
    assert order.status in (OrderStatus.PAID, OrderStatus.SHIPPED)
    assert UpstreamMessage.objects.exists(), "the flow included a callback"
    journal = list(CallJournal.objects.all())
    assert journal, "the flow was journaled"
    texts = {"logs": caplog.text}
    for entry in journal:
        texts[f"journal {entry.pk} {entry.operation}"] = " ".join(
            str(getattr(entry, field.name)) for field in CallJournal._meta.fields
        )
    for message in UpstreamMessage.objects.all():
        texts[f"stored callback {message.pk}"] = f"{message.headers} {message.raw}"
    leaks = [
        f"{name} in {where}"
        for where, text in texts.items()
        for name, secret in secrets.items()
        if secret and secret in text
    ]
    assert leaks == []
