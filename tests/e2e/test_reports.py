"""Reports in a real browser: the dashboard's charts, filter a report, export it as CSV and
XLSX (streamed), and a background export with its progress bar; the files are opened."""

from __future__ import annotations

import csv
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.reports.conftest import make_history

pytestmark = pytest.mark.django_db(transaction=True)


def download(page, button_name: str, tmp_path) -> str:
    with page.expect_download() as info:
        page.get_by_test_id("export-form").get_by_role("button", name=button_name).click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    return str(target)


def test_filter_export_and_open_the_files(page, live_server, sign_in, staff_user, tmp_path):
    make_history()
    approver = staff_user("approver")
    sign_in(page, approver)

    expect(page.get_by_test_id("manager-figures")).to_be_visible()
    for canvas in page.locator("canvas[data-chart-url]").all():
        expect(canvas).to_have_attribute("data-drawn", "true")

    page.goto(f"{live_server.url}/reports/")
    page.get_by_label("Report", exact=True).select_option("lines")
    page.get_by_label("Storefront").select_option("Shop A")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("report-row")).to_have_count(2)
    expect(page.get_by_test_id("report-totals")).to_contain_text("210.00")

    path = download(page, "CSV", tmp_path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[5] for row in rows[1:]] == ["1001", "1002"]
    header = rows[0]
    assert rows[1][header.index("Margin (¥)")] == "45.00"

    path = download(page, "Excel (XLSX)", tmp_path)
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 3 and values[1][header.index("Landed cost (¥)")] == 105.0


def test_background_export_shows_progress_then_downloads(
    page,
    live_server,
    sign_in,
    staff_user,
    tmp_path,
    settings,
):
    history = make_history()
    settings.CAIGOU_EXPORT_SYNC_MAX_ROWS = 0
    settings.MEDIA_ROOT = str(tmp_path / "media")
    sign_in(page, staff_user("finance"))
    page.goto(f"{live_server.url}/reports/?report=orders&platform=1688")
    expect(page.get_by_test_id("report-row")).to_have_count(1)
    page.get_by_test_id("export-form").get_by_role("button", name="CSV").click()

    expect(page).to_have_url(re.compile(r"/reports/exports/\d+/$"))
    expect(page.get_by_test_id("export-progress")).to_have_attribute("data-status", "done")
    with page.expect_download() as info:
        page.get_by_test_id("export-download").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    with open(target, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [row[0] for row in rows[1:]] == [history.po2.reference]
    assert rows[1][5] == "'=HYPERLINK(1)"


def test_reports_page_fits_a_phone(phone_page, live_server, sign_in, staff_user):
    make_history()
    sign_in(phone_page, staff_user("approver"))
    phone_page.goto(f"{live_server.url}/reports/")
    expect(phone_page.get_by_test_id("report-row")).to_have_count(2)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
