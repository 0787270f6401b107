"""Exports, payment vouchers and after-sales evidence in an S3-compatible bucket (a real moto
server over HTTP): written through the file storage, read back only through Caigou's
permission-checked views, never public; /healthz/ready names the storage when the server is gone.
"""

from __future__ import annotations

import environ
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from aftersales.models import CaseEvidence
from config.settings.storage import S3, file_storage
from purchasing.statuses import OrderStatus
from reports import services
from reports.models import ExportFile
from tests.aftersales.factories import RefundCaseFactory
from tests.config.factories import PRODUCTION_ENV, run_manage
from tests.orders.factories import PurchaseOrderFactory
from tests.security.files import tiny_png
from tests.storage.s3server import BUCKET, s3_server
from upstream.pandapon.orders import TaobaoOrders

PNG = tiny_png()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_bucket_is_chosen_only_when_named_and_stays_private(monkeypatch):
    assert file_storage(environ.Env()) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "caigou")
    chosen = file_storage(environ.Env())
    options = chosen["OPTIONS"]
    assert chosen["BACKEND"] == S3 and options["bucket_name"] == "caigou"
    assert options["default_acl"] == "private" and options["querystring_auth"] is True
    assert options["querystring_expire"] <= 300 and options["file_overwrite"] is False


def test_production_settings_pass_the_deploy_checks_with_a_bucket(s3):
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV, **s3.env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    shown = run_manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as d; print(d.__class__)",
        **PRODUCTION_ENV,
        **s3.env(),
    )
    assert shown.returncode == 0, shown.stderr
    assert "S3Storage" in shown.stdout


@pytest.mark.django_db
def test_a_background_export_is_written_to_the_bucket_and_downloaded_by_its_creator_only(
    s3_storage, staff_user, settings
):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    order = PurchaseOrderFactory()
    approver = staff_user("approver")
    export = services.export_start(actor=approver, data={"report": "orders"}, file_format="csv")
    services.export_write(export_id=export.pk)  # what the exports worker runs
    export.refresh_from_db()

    assert export.status == ExportFile.Status.DONE
    assert s3_storage.keys("exports/") == [export.file.name]
    stored = s3_storage.read(export.file.name)
    assert order.reference.encode() in stored
    # Private: the only grant on the object is its owner's, and a bare URL is refused.
    acl = s3_storage.client().get_object_acl(Bucket=BUCKET, Key=export.file.name)
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    assert "AllUsers" not in str(acl)

    url = reverse("reports:export_download", args=[export.pk])
    download = signed_in(approver).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == stored
    assert download["Cache-Control"] == "private, no-store"
    assert s3_storage.url not in str(download.headers)
    # Another approver may export too, but not read this one; a purchaser may not export at all.
    assert signed_in(staff_user("approver")).get(url).status_code == 404
    assert signed_in(staff_user("purchaser")).get(url).status_code == 403

    services.export_purge(now=export.expires_at)
    assert s3_storage.keys("exports/") == []


@pytest.mark.django_db
def test_a_voucher_is_kept_in_the_bucket_shown_on_the_order_and_kept_from_purchasers(
    s3_storage, staff_user, monkeypatch
):
    order = PurchaseOrderFactory(status=OrderStatus.PAID, upstream_order_id="3300001")
    sent = []
    # The upstream client's operation is the edge: the route, service and storage run as they do.
    monkeypatch.setattr(
        TaobaoOrders, "upload_voucher", lambda self, **kw: sent.append(kw) or "https://up/v/1"
    )
    finance = signed_in(staff_user("finance"))

    response = finance.post(
        f"/orders/{order.pk}/voucher/",
        {"voucher": SimpleUploadedFile("slip.png", PNG, content_type="image/png")},
        follow=True,
    )

    assert "Payment voucher slip.png uploaded." in response.content.decode()
    kept = order.vouchers.get()
    assert s3_storage.keys("vouchers/") == [kept.file.name]
    assert s3_storage.read(kept.file.name) == sent[0]["content"]
    link = reverse("orders:voucher_file", args=[order.pk, kept.pk])
    assert link in response.content.decode()
    download = finance.get(link)
    assert b"".join(download.streaming_content) == sent[0]["content"]
    purchaser = signed_in(staff_user("purchaser"))
    assert purchaser.get(link).status_code == 403
    assert link not in purchaser.get(f"/orders/{order.pk}/").content.decode()


@pytest.mark.django_db
def test_evidence_is_kept_in_the_bucket_and_read_through_the_case(s3_storage, staff_user):
    order = PurchaseOrderFactory(upstream_order_id="4000000001")
    case = RefundCaseFactory(order=order, platform="taobao")
    evidence = CaseEvidence.objects.create(
        case=case,
        file_name="photo.png",
        content_type="image/png",
        size=len(PNG),
        file=ContentFile(PNG, name="photo.png"),
    )

    assert s3_storage.keys("evidence/") == [evidence.file.name]
    url = reverse("aftersales:evidence", args=[case.pk, evidence.pk])
    download = signed_in(staff_user("purchaser")).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert signed_in(staff_user("finance")).get(url).status_code == 403


@pytest.mark.django_db
def test_ready_is_503_naming_the_storage_when_the_s3_server_stops(
    settings, monkeypatch, tmp_path, client
):
    with s3_server(tmp_path) as own:
        for name, value in own.env().items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {**settings.STORAGES, "default": file_storage(environ.Env())}
        up = client.get("/healthz/ready")
        assert up.status_code == 200, up.json()
        assert up.json()["checks"]["storage"]["detail"] == "S3Storage"
        assert own.keys() == []  # the probe file is gone again
        own.stop()

        down = client.get("/healthz/ready")

    body = down.json()
    assert down.status_code == 503 and body["failing"] == ["storage"]
    assert "Could not connect" in body["checks"]["storage"]["error"]
    assert default_storage.__class__.__name__ == "S3Storage"
