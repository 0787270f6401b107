"""The call journal: every call kept, redacted (no secrets, no full phone numbers), purged after
UPSTREAM_JOURNAL_DAYS, read-only in the admin, and never the reason a call fails."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.db import DatabaseError
from django.utils import timezone

from config.celery_app import app as celery_app
from upstream import accounts
from upstream.client import CallRecord
from upstream.journal import DatabaseJournal, is_phone_key, is_secret_key, mask_digits, redact
from upstream.metrics import MeteredJournal
from upstream.models import CallJournal
from upstream.sandbox import router
from upstream.tasks import purge_call_journal

PHONE = "13800138000"
SECRET = "s3cr3t-value-never-kept"


pytestmark = pytest.mark.usefixtures("close_kept_alive_connections")


def record(**overrides) -> CallRecord:
    values = {
        "operation": "taobao_order_create",
        "account": "pandapon:demo-access-key",
        "method": "POST",
        "url": "http://127.0.0.1:8000/sandbox/pandapon/open/order",
        "outer_ref": "PO-42",
        "request_body": {"sellerOrderNumber": "PO-42"},
        "duration_ms": 12.6,
        "http_status": 200,
        "code": 200,
        "request_id": "rid-42",
        "response_body": {"code": 200, "data": {"orderId": "3000000000000000001"}},
    }
    return CallRecord(**{**values, **overrides})


# -- redaction ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "key",
    [
        "secret",
        "appSecret",
        "sign",
        "signature",
        "_dj_signature",
        "password",
        "token",
        "accessToken",
        "access-key",
        "accessKey",
        "client_secret",
    ],
)
def test_secret_keys_are_recognised(key):
    assert is_secret_key(key)


@pytest.mark.parametrize("key", ["signTime", "design", "itemId", "sellerOrderNumber", "title"])
def test_ordinary_keys_are_not_secret(key):
    assert not is_secret_key(key)


@pytest.mark.parametrize(
    "key",
    [
        "mobile",
        "phone",
        "mobilePhone",
        "mobile_phone",
        "buyerPhone",
        "tel",
        "receiverTel",
        "telephone",
        "phoneNumber",
        "contactMobile",
    ],
)
def test_phone_keys_are_recognised(key):
    assert is_phone_key(key)


@pytest.mark.parametrize("key", ["hotelName", "title", "total"])
def test_other_keys_are_not_phones(key):
    assert not is_phone_key(key)


def test_mask_digits_keeps_the_last_four():
    assert mask_digits(PHONE) == "*******8000"
    assert mask_digits("+86 138-0013-8000") == "+** ***-****-8000"


def test_redact_masks_secrets_and_phones_at_any_depth_and_keeps_the_rest():
    body = {
        "appSecret": SECRET,
        "sign": "ABCDEF0123",
        "receiver": {"name": "张三", "mobile": PHONE, "tel": "0571-88886666", "address": "西湖区"},
        "addressParam": json.dumps({"fullName": "李四", "mobilePhone": PHONE}),
        "lines": [{"buyerPhone": 13912345678, "itemId": "13800138000", "quantity": 2}],
        "message": f"请联系 {PHONE} 谢谢",
        "orderId": "3000000000000000001",
    }

    clean = redact(body)
    text = json.dumps(clean, ensure_ascii=False)

    assert SECRET not in text and "ABCDEF0123" not in text
    assert clean["appSecret"] == clean["sign"] == "[redacted]"
    assert clean["receiver"]["mobile"] == "*******8000"
    assert clean["receiver"]["tel"] == "****-****6666"
    assert clean["receiver"]["name"] == "张三"
    assert json.loads(clean["addressParam"]) == {"fullName": "李四", "mobilePhone": "*******8000"}
    assert clean["lines"][0]["buyerPhone"] == "*******5678"
    assert clean["lines"][0]["itemId"] == "13800138000"  # an id, not a phone field
    assert clean["message"] == "请联系 *******8000 谢谢"
    assert clean["orderId"] == "3000000000000000001"
    assert body["sign"] == "ABCDEF0123"  # the caller's dict is untouched


# -- the journal -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_journal_writes_one_row_per_call_with_redacted_bodies():
    DatabaseJournal().record(
        record(
            request_body={"receiver": {"mobile": PHONE}, "secret": SECRET},
            response_body={"data": {"buyerPhone": PHONE}},
        )
    )

    row = CallJournal.objects.get()
    assert (row.operation, row.provider, row.account) == (
        "taobao_order_create",
        "pandapon",
        "pandapon:demo-access-key",
    )
    assert (row.method, row.path, row.outer_ref, row.request_id) == (
        "POST",
        "/sandbox/pandapon/open/order",
        "PO-42",
        "rid-42",
    )
    assert (row.duration_ms, row.http_status, row.code, row.attempt) == (13, 200, "200", 1)
    stored = json.dumps([row.request_body, row.response_body])
    assert PHONE not in stored and SECRET not in stored
    assert "8000" in stored


@pytest.mark.django_db
def test_long_values_and_huge_bodies_are_cut():
    picture = "iVBORw0KGgo" + "A" * 300_000
    DatabaseJournal().record(
        record(
            request_body={"imageBase64": picture, "pageSize": 20},
            response_body={"data": [{"title": "x" * 1_000} for _ in range(100)]},
        )
    )

    row = CallJournal.objects.get()
    assert row.request_body["pageSize"] == 20
    assert row.request_body["imageBase64"].startswith("iVBORw0KGgo")
    assert row.request_body["imageBase64"].endswith("(300011 characters)")
    assert row.response_body["truncated"] is True and row.response_body["size"] > 100_000
    assert len(row.response_body["head"]) == 64_000


@pytest.mark.django_db
def test_a_journal_write_failure_is_logged_and_swallowed(monkeypatch, caplog):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(CallJournal, "save", broken_save)

    DatabaseJournal().record(record())

    assert "could not journal upstream call taobao_order_create" in caplog.text


@pytest.fixture
def echo(monkeypatch):
    monkeypatch.setitem(router.HANDLERS, "taobao_product_get", lambda call: {"ok": True})
    monkeypatch.setitem(
        router.HANDLERS,
        "dj_order_preview",
        lambda call: {"success": True, "buyer": {"mobile": PHONE}},
    )


@pytest.mark.covers("taobao_product_get", "dj_order_preview")
def test_live_calls_are_journaled_without_secrets_or_phone_numbers(sandbox, echo):
    reply = sandbox.pandapon.transport.call(
        "taobao_product_get", {"itemId": "652874251412"}, outer_ref="PO-7"
    )
    address = {"fullName": "张三", "mobile": PHONE, "cityText": "杭州市"}
    sandbox.dajisaas.transport.call(
        "dj_order_preview",
        {"addressParam": address, "cargoParamList": [{"offerId": "1", "quantity": 1}]},
    )

    pp, dj = CallJournal.objects.order_by("id")
    assert (pp.operation, pp.outer_ref, pp.request_id, pp.code) == (
        "taobao_product_get",
        "PO-7",
        reply.request_id,
        "200",
    )
    assert pp.http_status == 200 and pp.path == "/sandbox/pandapon/open/product/get"
    assert CallJournal.objects.filter(request_id=reply.request_id).count() == 1
    assert dj.provider == "dajisaas" and dj.request_body["addressParam"]["mobile"] == "*******8000"
    everything = json.dumps(list(CallJournal.objects.values()), default=str, ensure_ascii=False)
    for secret in (django_settings.PANDAPON_SECRET, django_settings.DAJISAAS_APP_SECRET, PHONE):
        assert secret not in everything


def test_account_transports_keep_a_journal_and_count_every_call():
    for client in (accounts.pandapon(), accounts.dajisaas()):
        assert isinstance(client.transport.journal, MeteredJournal)
        assert isinstance(client.transport.journal.inner, DatabaseJournal)


# -- retention ---------------------------------------------------------------------------------
@pytest.mark.django_db
def test_purge_deletes_entries_older_than_the_retention(settings):
    settings.UPSTREAM_JOURNAL_DAYS = 30
    now = timezone.now()
    for age_days in (31, 45, 29, 0):
        CallJournal.objects.create(
            operation="taobao_product_get",
            provider="pandapon",
            account="pandapon:k",
            method="GET",
            path="/open/product/get",
            created_at=now - timedelta(days=age_days),
        )

    assert purge_call_journal.delay().get() == 2

    ages = sorted((now - row.created_at).days for row in CallJournal.objects.all())
    assert ages == [0, 29]


def test_purge_runs_daily_from_celery_beat():
    entry = django_settings.CELERY_BEAT_SCHEDULE["upstream-purge-call-journal"]
    assert entry["task"] == purge_call_journal.name == "upstream.purge_call_journal"
    assert entry["schedule"] == 24 * 3600
    assert "upstream.purge_call_journal" in celery_app.tasks


# -- admin -------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_admin_finds_calls_by_outer_ref_and_request_id_and_is_read_only(admin_client):
    DatabaseJournal().record(record(outer_ref="PO-FIND", request_id="rid-find"))
    DatabaseJournal().record(record(outer_ref="PO-OTHER", request_id="rid-other"))
    row = CallJournal.objects.get(outer_ref="PO-FIND")
    base = "/admin/upstream/calljournal/"

    by_ref = admin_client.get(base, {"q": "PO-FIND"}).content.decode()
    by_request = admin_client.get(base, {"q": "rid-find"}).content.decode()
    by_operation = admin_client.get(base, {"q": "taobao_order_create"}).content.decode()

    assert "PO-FIND" in by_ref and "PO-OTHER" not in by_ref
    assert "PO-FIND" in by_request and "PO-OTHER" not in by_request
    assert "PO-FIND" in by_operation and "PO-OTHER" in by_operation
    assert admin_client.get(f"{base}add/").status_code == 403
    detail = admin_client.get(f"{base}{row.pk}/change/")
    assert detail.status_code == 200 and b'name="outer_ref"' not in detail.content
    assert admin_client.post(f"{base}{row.pk}/delete/").status_code == 403
