"""Exports: streaming with flat memory, formula neutralising, XLSX, background files with
progress, the export log, purge, and COPY on PostgreSQL."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from purchasing.models import PurchaseOrder
from reports import services
from reports.exports import base, writers
from reports.exports.columns import neutralise, said_again
from reports.exports.reports import REPORTS
from reports.models import ExportFile
from tests.orders.factories import PurchaseOrderFactory, PurchaseOrderLineFactory
from tests.reports.conftest import read_csv, streamed
from tests.words import visible_text

pytestmark = pytest.mark.django_db


def post_export(client, file_format: str, follow: bool = False, **filters):
    url = f"{reverse('reports:export')}?{urlencode(filters)}"
    return client.post(url, {"format": file_format}, follow=follow)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_looking_cells_are_neutralised(start, approver_client):
    PurchaseOrderLineFactory(title=f"{start}SUM(A1:A9)", seller_name=f"{start}1+1")
    rows = read_csv(streamed(post_export(approver_client, "csv", report="lines")))
    header = rows[0]
    assert rows[1][header.index("Title")] == f"'{start}SUM(A1:A9)"
    assert rows[1][header.index("Seller")] == f"'{start}1+1"


def test_harmless_text_and_negative_money_are_left_alone():
    assert neutralise("Teapot - blue") == "Teapot - blue"
    report = REPORTS["orders"]
    net = next(c for c in report.columns if c.header == "Net spend").python()
    assert net(-1234) == "-12.34"


@pytest.mark.parametrize("nested", [dict, json.dumps], ids=["postgresql", "sqlite"])
def test_words_are_said_in_the_readers_language_as_either_database_nests_them(nested):
    """PostgreSQL's jsonb_build_object nests the words as JSON, SQLite's json_object as a
    string: both are said again, and the stored text stands where the words cannot be."""
    words = {"msgid": "password-free payment refused", "values": None}
    cell = {"text": "password-free payment refused", "words": nested(words)}
    with translation.override("zh-hans"):
        assert said_again(cell) == "免密支付被拒绝"
        assert said_again({"text": "kept as is", "words": None}) == "kept as is"
    assert said_again(None) == ""


def test_xlsx_export_opens_with_numbers_dates_and_text_not_formulas(history, approver_client):
    response = post_export(approver_client, "xlsx", report="orders")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Reference", "Created", "Platform", "Status")
    po2, po1 = rows[1], rows[2]
    assert po1[0] == history.po1.reference
    assert po1[8] == 200.0 and po1[12] == 210.0 and po1[14] == 180.0
    assert po1[1].strftime("%Y-%m-%d %H:%M") == "2026-03-01 09:30"
    assert po2[5] == "=HYPERLINK(1)"
    assert sheet.cell(row=2, column=6).data_type == "s"  # a string, never a formula
    assert ExportFile.objects.get().rows_done == 2


def test_xlsx_says_what_befell_a_payment_in_the_readers_language(history, approver_client):
    url = f"{reverse('reports:export')}?report=payments"
    response = approver_client.post(url, {"format": "xlsx"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][10] == "错误"
    assert rows[1][6] == "付款" and rows[1][10] == "已由上游确认：PAID"


def test_streamed_csv_query_count_does_not_grow_with_rows(
    approver_client, django_assert_max_num_queries, monkeypatch
):
    monkeypatch.setattr(base, "CHUNK", 50)  # several iterator chunks even for a few hundred rows
    PurchaseOrderFactory.create_batch(5)
    with django_assert_max_num_queries(12) as few:
        small = streamed(post_export(approver_client, "csv", report="orders"))
    PurchaseOrderFactory.create_batch(400)
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        big = streamed(post_export(approver_client, "csv", report="orders"))
    assert small.count(b"\n") == 6 and big.count(b"\n") == 406
    assert len(many.captured_queries) == len(few.captured_queries)


def test_row_writer_reads_through_iterator_with_flat_memory(monkeypatch):
    """The row writer holds one chunk at a time: peak memory for 3,000 rows is about that of
    300 rows (the whole file is never in memory)."""
    monkeypatch.setattr(base, "CHUNK", 100)
    monkeypatch.setattr(writers, "BATCH", 100)
    report = REPORTS["lines"]

    def peak(rows: int) -> int:
        PurchaseOrderLineFactory.create_batch(rows - PurchaseOrder.objects.count())
        tracemalloc.start()
        for _chunk in writers.csv_chunks(report, report.queryset({})):
            pass
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return top

    peak(300)  # warm: compiled queries and caches are not what is measured
    small = peak(300)
    large = peak(3000)
    assert large < small * 1.5, (small, large)


def test_an_export_page_names_its_report_and_filters_in_the_reader_s_language(
    history, approver_client, settings, django_capture_on_commit_callbacks
):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=False):
        post_export(approver_client, "csv", report="orders", platform="taobao", status="paid")
    export = ExportFile.objects.get()

    page = visible_text(
        approver_client.get(
            reverse("reports:export_detail", args=[export.pk]), HTTP_ACCEPT_LANGUAGE="zh-CN"
        ).content.decode()
    )
    index = approver_client.get(reverse("reports:index"), HTTP_ACCEPT_LANGUAGE="zh-CN")

    assert "导出：采购单" in page
    assert "平台：淘宝 / 天猫 · 采购单状态：已付款" in page
    assert "platform" not in page and "orders" not in page
    assert "采购单 · CSV" in visible_text(index.content.decode())


def test_big_exports_run_in_the_background_with_progress_and_download(
    history, approver_client, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = post_export(approver_client, "csv", report="orders", platform="taobao")
    export = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:export_detail", args=[export.pk])
    # Queued: the page polls its progress bar.
    progress = approver_client.get(reverse("reports:export_progress", args=[export.pk]))
    assert b'hx-trigger="every 1s"' in progress.content
    assert b"Waiting to start" in progress.content

    ExportFile.objects.filter(pk=export.pk).update(status="running", rows_done=1, rows_total=2)
    progress = approver_client.get(reverse("reports:export_progress", args=[export.pk]))
    assert b'value="50"' in progress.content and b"1 of 2" in progress.content
    ExportFile.objects.filter(pk=export.pk).update(status="queued", rows_done=0, rows_total=1)

    for callback in callbacks:  # the task, run eagerly as Celery runs it in `make run`
        callback()
    export.refresh_from_db()
    assert (export.status, export.mode, export.rows_done) == ("done", "file", 1)
    assert export.expires_at - export.finished_at == timedelta(days=7)
    progress = approver_client.get(reverse("reports:export_progress", args=[export.pk]))
    assert b"hx-trigger" not in progress.content and b"Ready." in progress.content

    download = approver_client.get(reverse("reports:export_download", args=[export.pk]))
    rows = read_csv(b"".join(download.streaming_content))
    assert [row[0] for row in rows[1:]] == [history.po1.reference]


def test_background_task_run_twice_writes_one_file(history, staff_user, settings, tmp_path):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    export = services.export_start(
        actor=staff_user("finance"), data={"report": "lines"}, file_format="xlsx"
    )
    first = services.export_write(export_id=export.pk)
    name = first.file.name
    again = services.export_write(export_id=export.pk)
    assert again.file.name == name and again.status == "done"
    book = openpyxl.load_workbook(first.file.path, read_only=True)
    assert len(list(book.active.iter_rows())) == 1 + 3


def test_every_export_is_logged_with_who_what_filters_and_rows(history, approver_client):
    streamed(post_export(approver_client, "csv", report="orders", platform="1688"))
    log = ExportFile.objects.get()
    assert (log.report, log.format, log.mode, log.status) == ("orders", "csv", "stream", "done")
    assert log.filters == {"report": "orders", "platform": "1688"}
    assert (log.rows_total, log.rows_done) == (1, 1)
    assert log.created_by.groups.get().name == "approver"


def test_expired_files_are_deleted_and_the_log_kept(history, staff_user, settings, tmp_path):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    export = services.export_start(
        actor=staff_user("finance"), data={"report": "orders"}, file_format="csv"
    )
    export = services.export_write(export_id=export.pk)
    path = export.file.path
    assert services.export_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert services.export_purge(now=timezone.now() + timedelta(days=8)) == 1
    export.refresh_from_db()
    assert export.status == "expired" and not export.file
    # Its random folder goes with it: nothing is left under exports/.
    assert not Path(path).exists() and not Path(path).parent.exists()
    assert list((tmp_path / "exports").iterdir()) == []


def test_someone_elses_export_is_not_found(history, client_as, settings, tmp_path):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path)
    owner = client_as("finance")
    post_export(owner, "csv", report="orders")
    export = ExportFile.objects.get()
    other = client_as("approver")
    assert other.get(reverse("reports:export_detail", args=[export.pk])).status_code == 404
    assert other.get(reverse("reports:export_download", args=[export.pk])).status_code == 404


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("slug", list(REPORTS))
def test_copy_writes_exactly_what_the_row_writer_writes(history, slug):
    report = REPORTS[slug]
    rows = report.queryset({})
    by_copy = b"".join(chunk for chunk, _ in writers.copy_chunks(report, rows))
    by_rows = b"".join(chunk for chunk, _ in writers.row_chunks(report, rows))
    assert by_copy == by_rows


def test_a_failed_background_export_says_why(history, staff_user, settings, monkeypatch):
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    export = services.export_start(
        actor=staff_user("finance"), data={"report": "orders"}, file_format="csv"
    )

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(services, "write_csv", broken)
    failed = services.export_write(export_id=export.pk)
    assert (failed.status, failed.error) == ("failed", "disk full")
