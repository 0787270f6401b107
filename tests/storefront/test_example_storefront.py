"""docs/storefront_example.py, run as the storefront would run it, against a live Caigou: it
pushes an order, answers the price decision, and follows the webhooks to delivered while the
staff side (here, the services a purchaser's clicks call) ships the goods to the customer."""

from __future__ import annotations

import queue
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from django.db import transaction

from logistics.services import Customs, freight_estimate, parcel_book, parcel_create, parcel_refresh
from purchasing.models import PurchaseOrder
from purchasing.services.orders.events import advance_to
from purchasing.services.orders.lifecycle import order_refresh
from purchasing.statuses import OrderStatus
from storefront.models import ApiKey, CustomerOrder
from tests.storefront.conftest import pick

ROOT = Path(__file__).resolve().parents[2]
CUSTOMS = Customs(declared_value_fen=5000, description="cotton shorts (6203.43)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Script:
    """The example in a process of its own; its output lines arrive on a queue."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(ROOT / "docs" / "storefront_example.py"), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, text: str, timeout: float = 60) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"no {text!r} in:\n" + "\n".join(self.seen))


def test_the_example_storefront_follows_its_order_to_delivered(live, storefront, people):
    port = free_port()
    storefront.webhook_url = f"http://127.0.0.1:{port}/webhooks"
    storefront.save()
    _key, raw = ApiKey.issue(storefront, name="example")
    chosen = pick("taobao")
    script = Script(
        "--base-url",
        live.url,
        "--key",
        raw,
        "--webhook-secret",
        storefront.webhook_secret,
        "--listen",
        f"127.0.0.1:{port}",
        "--item-id",
        chosen.product.item_id,
        "--sku-id",
        chosen.sku.sku_id,
        "--underpaid-fen",
        "1000",
        "--timeout",
        "120",
    )
    try:
        script.wait_for("decision asked: answering")
        reference = script.wait_for("bought as purchase order").rsplit(" ", 1)[-1]
        purchase = PurchaseOrder.objects.get(reference=reference)

        live.control("advance", order=reference, to="WAIT_BUYER_CONFIRM_GOODS")
        order_refresh(order_id=purchase.pk)  # the seller shipped
        script.wait_for("status: shipped")
        with transaction.atomic():  # the warehouse received it
            locked = PurchaseOrder.objects.select_for_update().get(pk=purchase.pk)
            advance_to(locked, OrderStatus.AT_WAREHOUSE, actor_label="warehouse")
        script.wait_for("status: at_warehouse")

        address = CustomerOrder.objects.get(purchase_orders=purchase).address
        lines = list(purchase.lines.all())
        service = freight_estimate(items=lines, destination=address).cheapest.service_id
        parcel = parcel_create(
            lines=lines, address=address, service=service, customs=CUSTOMS, actor=people.purchaser
        )
        parcel_book(parcel=parcel, actor=people.purchaser)
        for _ in range(3):
            live.control("tick")
            parcel_refresh(parcel_id=parcel.pk)
        script.wait_for("status: delivered")
        assert script.process.wait(timeout=30) == 0
    finally:
        script.process.kill()

    statuses = [line.split("status: ")[1] for line in script.seen if "status: " in line]
    assert statuses[0].startswith("received") and statuses[-4:] == [
        "shipped",
        "at_warehouse",
        "dispatched",
        "delivered",
    ]
    assert "purchased" in statuses
    order = CustomerOrder.objects.get(purchase_orders=purchase)
    assert order.status == "delivered" and order.lines.get().decision == "accept_price"
    assert address.name == "Ada Lovelace" and parcel.address_id == address.pk
