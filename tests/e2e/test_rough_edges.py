"""Rough edges of issue 20 in a real browser: the arrivals check answers in place, the picture
search pages through GET URLs, and the dashboard's lead-time chart draws with the page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from playwright.sync_api import expect

from tests.purchasing.factories import look_alikes
from tests.reports.conftest import paid_with_events
from upstream.sandbox.models import Product as SandboxProduct

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_arrivals_check_answers_in_place(page, live_upstream, sign_in, staff_user):
    sign_in(page, staff_user("purchaser"))
    page.goto(f"{live_upstream}/logistics/warehouse/")

    page.get_by_test_id("check-arrivals").click()

    progress = page.get_by_test_id("arrivals-progress")
    expect(progress).to_have_attribute("data-finished", "true")
    expect(progress).to_contain_text("No shipped Taobao orders are waiting for the warehouse.")
    assert page.url == f"{live_upstream}/logistics/warehouse/"  # swapped in, no reload


def test_picture_search_pages_by_get_and_a_reload_posts_nothing(
    page, live_upstream, sign_in, staff_user
):
    row = SandboxProduct.objects.filter(platform="taobao").order_by("pk")[3]
    look_alikes(row)  # more than one page of them
    picture = requests.get(f"{live_upstream}/sandbox/images/taobao/{row.item_id}/1.png", timeout=5)
    sign_in(page, staff_user("purchaser"))
    page.goto(f"{live_upstream}/goods/")
    page.get_by_label("Picture to search with").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": picture.content}]
    )
    page.get_by_role("button", name="Search by picture").click()
    expect(page).to_have_url(re.compile(r"/goods/\?picture=[0-9a-f]{32}&platform=taobao$"))
    first_page = page.locator(".goods-card").first.get_attribute("data-item-id")

    page.get_by_role("link", name="Next →").click()
    expect(page).to_have_url(re.compile(r"page=2$"))
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else 0)
    page.reload()
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    assert posts == []
    assert page.locator(".goods-card").first.get_attribute("data-item-id") != first_page


def test_the_lead_time_chart_draws_without_asking_again(page, live_server, sign_in, staff_user):
    paid_with_events(timezone.now() - timedelta(days=8), shipped_days=2, warehouse_days=6)
    # Its endpoint is not asked: the data came with the page.
    asked: list[str] = []
    page.route("**/reports/charts/lead-times.json", lambda route: (asked.append(1), route.abort()))
    sign_in(page, staff_user("approver"))

    chart = page.get_by_test_id("lead-times").locator("canvas")
    expect(chart).to_have_attribute("data-drawn", "true")
    assert asked == []
