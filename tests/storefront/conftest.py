"""Storefront fixtures: a storefront with every scope, a real HTTP webhook receiver, and customer
orders built from the sandbox catalogue."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from storefront.models import ALL_SCOPES, Storefront
from tests.orders.conftest import Live, live, people  # noqa: F401 (fixtures shared)
from tests.upstream.factories import Pick, pick

__all__ = ["Live", "order_data", "pick"]


@pytest.fixture
def storefront(db) -> Storefront:
    """An active storefront with every scope, the auto policy and no webhook URL."""
    return Storefront.objects.create(name="Test shop", scopes=list(ALL_SCOPES))


def order_data(
    *picks: Pick,
    external_id: str = "SO-1001",
    budget_fen: int | None = None,
    unit_prices: dict[int, int] | None = None,
) -> dict[str, Any]:
    """A customer order as the API serializer hands it to the intake: one line per pick, each
    paid at its sandbox price unless `unit_prices` (pick index -> fen) says otherwise."""
    unit_prices = unit_prices or {}
    return {
        "external_id": external_id,
        "currency": "USD",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+1 555 0100"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "line1": "1 Main St",
            "city": "Los Angeles",
            "postcode": "90001",
            "country": "US",
        },
        "lines": [
            {
                "platform": p.product.platform,
                "item_id": p.product.item_id,
                "sku_id": p.sku.sku_id,
                "quantity": p.quantity,
                "unit_price_fen": unit_prices.get(index, p.sku.price_fen),
                "note": "",
            }
            for index, p in enumerate(picks)
        ],
        "budget_fen": budget_fen,
    }


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A real HTTP server on a thread. It records every request and answers 200, or the codes
    queued in `answers` first (`receiver.fail(500)` makes the next request get a 500)."""

    url: str
    requests: list[Received] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, status: int = 500, times: int = 1) -> None:
        with self.lock:
            self.answers.extend([status] * times)

    def next_status(self) -> int:
        with self.lock:
            return self.answers.pop(0) if self.answers else 200

    def of_type(self, event_type: str) -> list[Received]:
        return [r for r in self.requests if r.json()["type"] == event_type]


@pytest.fixture
def webhook_receiver() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status = receiver.next_status()
            with receiver.lock:
                receiver.requests.append(
                    Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"ok" if status < 300 else b"boom")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/caigou"
    yield receiver
    server.shutdown()
    server.server_close()
