"""A storefront talking to Caigou through its documented API only (Python standard library and
requests).

It pushes one customer order, receives Caigou's signed webhooks on a small HTTP server of its
own, accepts a new price when Caigou asks for a decision, and prints each status until the order
is delivered (or cancelled, failed, or the time is up).

    make run                                # prints the two exports for its demo storefront
    export CAIGOU_API_KEY=cg_...
    export CAIGOU_WEBHOOK_SECRET=whsec_...
    python docs/storefront_example.py --underpaid-fen 1000

Without an --item-id it searches the goods for --query and buys the first SKU in stock. Another
Caigou gets a storefront from `python manage.py create_storefront NAME --webhook-url
http://127.0.0.1:8765/webhooks` (the key is its last line, the webhook secret above it).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import queue
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests

FINAL = {"delivered", "cancelled", "failed"}
TOLERANCE_SECONDS = 5 * 60  # a webhook older (or newer) than this is refused: no replays


# -- webhooks (Standard Webhooks) ----------------------------------------------------------------
def verify(secret: str, headers: dict[str, str], body: bytes) -> dict[str, Any]:
    """The event, if the signature is Caigou's and the timestamp fresh; ValueError otherwise."""
    message_id = headers.get("webhook-id", "")
    timestamp = headers.get("webhook-timestamp", "")
    if not message_id or not timestamp.isdigit():
        raise ValueError("missing webhook-id or webhook-timestamp")
    if abs(time.time() - int(timestamp)) > TOLERANCE_SECONDS:
        raise ValueError("stale timestamp")
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{message_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may carry several signatures ("v1,<sig> v1,<sig>") while a secret rotates.
    for candidate in headers.get("webhook-signature", "").split():
        version, _, signature = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(signature, expected):
            return json.loads(body)
    raise ValueError("bad signature")


def start_receiver(listen: str, secret: str, events: queue.Queue) -> ThreadingHTTPServer:
    host, _, port = listen.rpartition(":")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            try:
                event = verify(secret, headers, body)
            except ValueError as exc:
                print(f"  ! refused a webhook: {exc}")
                self.send_response(401)
                self.end_headers()
                return
            self.send_response(204)  # answer fast; the work happens on the main thread
            self.end_headers()
            events.put(event)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer((host or "127.0.0.1", int(port)), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# -- the API -------------------------------------------------------------------------------------
class Caigou:
    def __init__(self, base_url: str, key: str) -> None:
        self.base = base_url.rstrip("/") + "/api/v1/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {key}"

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        # A read, or a write with an Idempotency-Key, is safe to send again after a server
        # error or a lost connection: it can never act twice.
        retry_safe = method == "GET" or "Idempotency-Key" in kwargs.get("headers", {})
        for attempt in range(1, 6):
            try:
                response = self.session.request(method, self.base + path, timeout=60, **kwargs)
            except requests.ConnectionError:
                if not retry_safe or attempt == 5:
                    raise
                time.sleep(2 * attempt)
                continue
            if response.status_code == 429:  # throttled: wait as told, then again
                time.sleep(int(response.headers.get("Retry-After", "5")))
                continue
            if response.status_code >= 500 and retry_safe and attempt < 5:
                print(f"  {method} {path}: {response.status_code}, trying again")
                time.sleep(2 * attempt)
                continue
            body = response.json()
            if response.status_code >= 400:
                raise SystemExit(f"{method} {path}: {response.status_code} {body['error']}")
            return body
        raise SystemExit(f"{method} {path}: still throttled, giving up")

    def pick_item(self, platform: str, query: str, item_id: str = "", sku_id: str = "") -> dict:
        """An SKU in stock (`item_id`, `sku_id`, `price_fen`): the one asked for, or the first
        found for `query`."""
        if item_id:
            candidates = [item_id]
        else:
            found = self.call("GET", "goods/search/", params={"platform": platform, "q": query})
            candidates = [card["item_id"] for card in found["results"]]
        for candidate in candidates:
            item = self.call("GET", f"goods/{platform}/{candidate}/")
            for sku in item["skus"]:
                if sku_id and sku["sku_id"] != sku_id:
                    continue
                if sku["available"] and sku["stock"] > 0:
                    print(f"Buying {item['title']} (SKU {sku['sku_id']}, {sku['price_fen']} fen)")
                    return {"item_id": candidate, "sku_id": sku["sku_id"], **sku}
        raise SystemExit(f"No {platform} goods in stock for {item_id or query!r}.")


def order_for(args: argparse.Namespace, sku: dict[str, Any]) -> dict[str, Any]:
    line = {"platform": args.platform, "item_id": sku["item_id"], "sku_id": sku["sku_id"]}
    line["quantity"] = 1
    if args.underpaid_fen:
        # What the customer paid is below today's price: Caigou asks before it buys.
        line["unit_price_fen"] = max(sku["price_fen"] - args.underpaid_fen, 1)
    return {
        "external_id": args.external_id or f"DEMO-{uuid.uuid4().hex[:10].upper()}",
        "currency": "USD",
        "customer": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "+12025550143"},
        "shipping_address": {
            "name": "Ada Lovelace",
            "phone": "2025550143",
            "country": "US",
            "province": "CA",
            "city": "Los Angeles",
            "address": "1 Main Street",
            "postcode": "90001",
        },
        "lines": [line],
    }


def answer_decisions(api: Caigou, order: dict[str, Any]) -> None:
    """Accept every new price the order asks about (an unavailable line is dropped)."""
    decisions = [
        {
            "line_id": line["id"],
            "action": "drop" if line["decision"]["reason"] == "unavailable" else "accept_price",
        }
        for line in order["lines"]
        if line["decision"] and line["decision"]["answer"] is None
    ]
    if decisions:
        print(f"  decision asked: answering {decisions}")
        api.call("POST", f"orders/{order['id']}/decisions/", json={"decisions": decisions})


def follow(api: Caigou, order: dict[str, Any], events: queue.Queue, timeout: float) -> int:
    last, seen = order["status"], order["updated_at"]
    shown: set[str] = set()
    print(f"Order {order['id']} ({order['external_id']}): {last}")
    deadline = time.monotonic() + timeout
    while last not in FINAL:
        if time.monotonic() > deadline:
            print(f"Timed out; the order is {last}.")
            return 1
        try:
            event = events.get(timeout=10)
        except queue.Empty:  # webhooks are the news; a read now and then covers a lost one
            event = {"type": "poll", "data": api.call("GET", f"orders/{order['id']}/")}
        current = event["data"]
        # Webhooks can arrive out of order (a retried one overtakes a newer one): each carries
        # the order as it was, so an older snapshot than the last one seen is skipped.
        if current["id"] != order["id"] or current["updated_at"] < seen:
            continue
        seen = current["updated_at"]
        if event["type"] != "poll":
            print(f"  webhook {event['type']}")
        if current["status"] != last:
            last = current["status"]
            reason = f" ({current['status_reason']})" if current["status_reason"] else ""
            print(f"  status: {last}{reason}")
        bought = {
            line["purchase_order"]
            for line in current["lines"]
            if line["purchase_order"] and line["status"] not in ("pending", "needs_decision")
        }
        if bought - shown:  # Caigou's purchase orders: what its staff see and search for
            print(f"  bought as purchase order {', '.join(sorted(bought - shown))}")
            shown |= bought
        if current["status"] == "needs_decision":
            answer_decisions(api, current)
    return 0 if last == "delivered" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default=os.environ.get("CAIGOU_URL", "http://127.0.0.1:8000"))
    parser.add_argument("--key", default=os.environ.get("CAIGOU_API_KEY", ""))
    parser.add_argument("--webhook-secret", default=os.environ.get("CAIGOU_WEBHOOK_SECRET", ""))
    parser.add_argument("--listen", default="127.0.0.1:8765", help="host:port for webhooks")
    parser.add_argument("--platform", default="taobao", choices=["taobao", "1688"])
    parser.add_argument("--query", default="男", help="what to search for without --item-id")
    parser.add_argument("--item-id", default="")
    parser.add_argument("--sku-id", default="")
    parser.add_argument("--external-id", default="", help="default: a new DEMO-... number")
    parser.add_argument(
        "--underpaid-fen",
        type=int,
        default=0,
        help="say the customer paid this much less than today's price, to see a price decision",
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds to follow the order")
    args = parser.parse_args()
    if not args.key or not args.webhook_secret:
        parser.error("set --key and --webhook-secret (or CAIGOU_API_KEY, CAIGOU_WEBHOOK_SECRET)")

    api = Caigou(args.base_url, args.key)
    events: queue.Queue = queue.Queue()
    server = start_receiver(args.listen, args.webhook_secret, events)
    print(f"Receiving webhooks on http://{args.listen}/")
    try:
        sku = api.pick_item(args.platform, args.query, args.item_id, args.sku_id)
        body = order_for(args, sku)
        # The same Idempotency-Key on a retry (say, after a timeout) can never buy twice.
        order = api.call(
            "POST", "orders/", json=body, headers={"Idempotency-Key": body["external_id"]}
        )
        return follow(api, order, events, args.timeout)
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
