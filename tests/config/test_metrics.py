"""GET /metrics: refused to strangers, and the series an operator watches after an order flow
through the sandbox (real HTTP), with tasks run in-process as `make run` runs them."""

from __future__ import annotations

import hmac

import pytest
from prometheus_client.parser import text_string_to_metric_families

from purchasing.services.orders.pay import order_pay
from purchasing.statuses import OrderStatus
from tests.orders.conftest import submitted_order
from tests.orders.factories import pandapon_post, taobao_status

TOKEN = "metrics-token-for-tests-0123456789abcdef"


@pytest.fixture
def token(settings) -> str:
    settings.METRICS_TOKEN = TOKEN
    settings.METRICS_ALLOWED_IPS = []
    return TOKEN


def samples(response) -> dict[tuple[str, tuple], float]:
    """{(sample name, sorted labels): value} of a scrape."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def scrape(client) -> dict[tuple[str, tuple], float]:
    return samples(client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}))


def total(found: dict, name: str, **labels: str) -> float:
    """The sum of NAME's samples whose labels include LABELS."""
    return sum(
        value
        for (sample, sample_labels), value in found.items()
        if sample == name and set(labels.items()) <= set(sample_labels)
    )


@pytest.mark.django_db
def test_off_for_everyone_when_neither_a_token_nor_an_address_is_set(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []

    response = client.get("/metrics", headers={"Authorization": "Bearer anything"})

    assert response.status_code == 404
    assert response.json()["error"] == "Metrics are not enabled on this server."


@pytest.mark.django_db
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token-of-some-length-0123456789ab", f"Basic {TOKEN}", TOKEN, "Bearer "],
)
def test_refused_without_the_token(client, token, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = client.get("/metrics", headers=headers)

    assert response.status_code == 403
    assert "metrics token" in response.json()["error"]
    assert b"caigou_" not in response.content


@pytest.mark.django_db
def test_the_token_is_compared_in_constant_time(client, token, monkeypatch):
    compared = []
    real = hmac.compare_digest

    def spy(given, expected):
        compared.append((given, expected))
        return real(given, expected)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    guess = TOKEN[:-1] + "X"  # right length, last character wrong

    assert client.get("/metrics", headers={"Authorization": f"Bearer {guess}"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    assert compared == [(guess.encode(), TOKEN.encode()), (TOKEN.encode(), TOKEN.encode())]


@pytest.mark.django_db
def test_an_allowed_network_needs_no_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/8", "192.0.2.7"]

    assert client.get("/metrics", REMOTE_ADDR="10.20.30.40").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.0.2.8").status_code == 403
    # A forwarded address is believed only through the proxies the operator declared.
    forged = {"HTTP_X_FORWARDED_FOR": "10.0.0.1", "REMOTE_ADDR": "198.51.100.1"}
    assert client.get("/metrics", **forged).status_code == 403


def test_series_after_an_order_flow(live, people, client, token, settings):
    before = scrape(client)

    order = submitted_order(people)
    order_pay(orders=[order], actor=people.finance)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert (
        pandapon_post(
            client,
            "TAOBAO_ORDER_STATUS_MODIFY",
            taobao_status(order, "WAIT_SELLER_SEND_GOODS", 1_900_000_000_000),
        ).status_code
        == 200
    )
    after = scrape(client)

    def grew(name: str, **labels: str) -> float:
        return total(after, name, **labels) - total(before, name, **labels)

    calls = "caigou_upstream_calls_total"
    assert grew(calls, provider="pandapon", operation="taobao_order_create", outcome="ok") == 1
    assert grew(calls, provider="pandapon", operation="taobao_order_pay", outcome="ok") == 1
    assert grew("caigou_upstream_call_seconds_count", operation="taobao_order_create") == 1
    assert grew("caigou_upstream_call_seconds_bucket", operation="taobao_order_create", le="+Inf")
    runs = "caigou_task_runs_total"
    assert grew(runs, task="purchasing.submit_order", state="SUCCESS") == 1
    assert grew(runs, task="purchasing.pay_orders", state="SUCCESS") == 1
    assert grew("caigou_task_seconds_count", task="purchasing.submit_order") == 1
    assert grew("caigou_callbacks_stored_total", provider="pandapon", verified="true") == 1
    assert grew("caigou_callbacks_applied_total") >= 1
    # Read from the database when scraped.
    assert total(after, "caigou_orders", status="paid") == 1
    assert total(after, "caigou_orders", status="submitting") == 0
    assert ("caigou_orders_needing_attention", ()) in after
    assert total(after, "caigou_callbacks_waiting", state="pending") == 0
    if settings.REDIS_URL:
        queues = {dict(labels)["queue"] for name, labels in after if name == "caigou_queue_depth"}
        assert queues == {"money", "callbacks", "exports", "default"}
