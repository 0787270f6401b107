"""The content security policy holds on every main staff page: a real Chromium loads each one
and any blocked script, style, image or handler fails the test, naming the page."""

from __future__ import annotations

import pytest

from tests.orders.conftest import People, submitted_order
from upstream.sandbox.models import Product

pytestmark = pytest.mark.django_db(transaction=True)

# Collected in the page before any of its own scripts run (Playwright's init scripts are not
# subject to the page's policy).
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || "?"}:${e.lineNumber}`);
});
"""

PAGES = [
    "/dashboard/",
    "/goods/?platform={platform}&q={keyword}&mode=keyword",
    "/goods/{platform}/{item}/",
    "/goods/lists/",
    "/carts/",
    "/orders/",
    "/orders/{order}/",
    "/checkout/{order}/preview/",
    "/checkout/new/",
    "/checkout/approvals/",
    "/checkout/pay/",
    "/orders/exceptions/",
    "/aftersales/",
    "/logistics/",
    "/logistics/addresses/",
    "/logistics/freight/",
    "/logistics/parcels/new/",
    "/reports/",
    "/sandbox/console/",
    "/admin/",
    "/admin/purchasing/purchaseorder/",
    "/api/docs/",
]


def test_main_staff_pages_break_no_content_security_policy(
    page, live_upstream, sign_in, staff_user
):
    people = People(
        purchaser=staff_user("purchaser"),
        approver=staff_user("approver"),
        finance=staff_user("finance"),
    )
    order = submitted_order(people)
    admin = staff_user("admin", is_superuser=True)
    console: list[str] = []
    page.on(
        "console",
        lambda message: (
            console.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.add_init_script(COLLECT)

    page.goto(f"{live_upstream}/login/")
    assert page.evaluate("window.__cspViolations") == []
    sign_in(page, admin)
    page.wait_for_url("**/dashboard/")

    line = order.lines.first()
    keyword = Product.objects.get(platform=order.platform, item_id=line.item_id).category_name
    found: dict[str, list[str]] = {}
    for path in PAGES:
        url = path.format(
            order=order.pk, keyword=keyword, platform=order.platform, item=line.item_id
        )
        response = page.goto(live_upstream + url)
        assert response is not None and response.status < 400, path
        assert "content-security-policy" in response.headers
        page.wait_for_timeout(400)  # HTMX loads (hx-trigger="load") and pictures settle
        if path.startswith("/goods/?"):
            assert page.locator(".goods-card img").count() > 0, "the search shows pictures"
        violations = page.evaluate("window.__cspViolations")
        if violations:
            found[path] = violations

    assert found == {}
    assert console == []
