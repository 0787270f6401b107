"""Real-browser tests: Playwright drives the system Chromium against pytest-django's live_server.

Chromium comes from `CHROMIUM_PATH` (default /usr/bin/chromium). Without it a test skips on a
developer's machine and fails in CI (`CI=true`), so CI can never pass without running them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.purchasing.factories import PASSWORD

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not os.path.exists(CHROMIUM_PATH):
        message = f"No Chromium at {CHROMIUM_PATH}: install Debian's chromium or set CHROMIUM_PATH."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop in this thread; the test's ORM calls are still
    # synchronous, so Django's async-safety guard must stand down for the browser tests.
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM_PATH, headless=True, args=LAUNCH_ARGS
            )
            yield chromium
            chromium.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _screenshot_path(request: pytest.FixtureRequest, suffix: str = "") -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("e2e/", 1)[-1])
    return SCREENSHOTS / f"{name}{suffix}.png"


def _page(browser, request: pytest.FixtureRequest, viewport: dict, suffix: str) -> Iterator:
    context = browser.new_context(viewport=viewport, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    try:
        page.screenshot(path=str(_screenshot_path(request, suffix)), full_page=True)
    finally:
        context.close()


@pytest.fixture
def page(browser, request, live_server) -> Iterator:
    """A desktop-sized page (1280 px); a screenshot is saved under var/screenshots/ after."""
    yield from _page(browser, request, DESKTOP, "")


@pytest.fixture
def phone_page(browser, request, live_server) -> Iterator:
    """A phone-sized page (390 px)."""
    yield from _page(browser, request, PHONE, "-phone")


@pytest.fixture
def live_upstream(live_server, settings) -> Iterator[str]:
    """Point the upstream clients at the sandbox served by live_server, with a small catalogue
    (products 0-9 are always orderable). Yields the live server's URL."""
    from upstream import accounts
    from upstream.sandbox.catalogue import seed_catalogue

    settings.PANDAPON_BASE_URL = f"{live_server.url}/sandbox/pandapon"
    settings.DAJISAAS_BASE_URL = f"{live_server.url}/sandbox/dajisaas"
    settings.SANDBOX_CALLBACK_URL = f"{live_server.url}/callbacks/"
    seed_catalogue(products=60)
    yield live_server.url
    # Kept-alive connections would hold live-server threads (and their connections) open.
    accounts.close_sessions(live_server.url)


@pytest.fixture
def sign_in(live_server) -> Callable:
    """Sign a page in through the login form: `sign_in(page, user)`."""

    def do(page, user, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return do
