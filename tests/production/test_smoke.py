"""The production shape, started as README describes it: production settings, `collectstatic`,
`migrate`, gunicorn, a Celery worker and Celery beat, on PostgreSQL and Redis. A real browser
signs in as an administrator and opens the sign-in page, every page of the navigation and the
admin; any answer of 500 or more, any static file that does not load and any content security
policy violation fails the test.

Needs PostgreSQL (DATABASE_URL: the test makes and drops a database of its own on that server),
Redis (REDIS_URL) and Chromium; skipped on a developer machine without them, failed in CI.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from celery import Celery
from django.conf import settings

from tests.production.stack import Stack, make_database
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]
ADMIN = "smoke-admin"
ADMIN_PASSWORD = secrets.token_urlsafe(18)
# The navigation an administrator sees (purchasing/context_processors.py), the sandbox on.
NAVIGATION = {
    "Dashboard",
    "Goods",
    "My basket",
    "My work",
    "Upstream cart",
    "Orders",
    "After-sales",
    "Logistics",
    "Reports",
    "Sandbox",
    "Admin",
}


def _missing() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    if not os.path.exists(CHROMIUM_PATH):
        return f"no Chromium at {CHROMIUM_PATH}"
    return ""


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the production smoke needs PostgreSQL, Redis and Chromium: {missing}")
        pytest.skip(f"production smoke test: {missing}")
    work = tmp_path_factory.mktemp("production")
    with make_database(os.environ["DATABASE_URL"], f"caigou_smoke_{os.getpid()}") as database:
        running = Stack(work=work, database_url=database, redis_url=os.environ["REDIS_URL"])
        try:
            running.prepare(admin=ADMIN, password=ADMIN_PASSWORD)
            running.start()
            yield running
        finally:
            running.stop()


@pytest.fixture(scope="module")
def celery_client(stack) -> Iterator[Celery]:
    """A Celery client on the stack's broker and result store (not the tests' own app)."""
    client = Celery("smoke", broker=stack.redis_url, backend=stack.redis_url)
    client.conf.task_queues = settings.CELERY_TASK_QUEUES
    client.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    yield client
    client.close()


def test_the_worker_and_beat_run(stack, celery_client):
    wait_until(
        lambda: celery_client.control.ping(timeout=1.0),
        timeout=60,
        what="the worker's answer",
        every=0.5,
    )
    # A task round-trip through the broker and the result store, on every queue.
    for n, queue in enumerate(settings.CAIGOU_QUEUES):
        result = celery_client.send_task(
            "celery.accumulate", args=(7, n), kwargs={"index": 1}, queue=queue
        )
        assert result.get(timeout=30) == n, queue
    wait_until(
        lambda: "beat: Starting" in stack.log("beat"),
        timeout=30,
        what="Celery beat to start",
        every=0.5,
    )
    stack.check_alive()
    assert "Traceback" not in stack.log("beat")


def test_every_page_an_administrator_can_reach_renders(stack):
    seen = in_a_thread_of_its_own(browse_as_admin, stack.url)

    assert seen.problems == []
    assert seen.statuses == dict.fromkeys(seen.statuses, 200), seen.statuses
    assert seen.navigation == NAVIGATION
    assert seen.static_loaded, "no page loaded a static file"
    stack.check_alive()
    served = stack.log("gunicorn")
    assert "Internal Server Error" not in served and "Traceback" not in served, served[-3000:]


@dataclass
class Seen:
    navigation: set[str] = field(default_factory=set)
    statuses: dict[str, int] = field(default_factory=dict)
    static_loaded: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def in_a_thread_of_its_own(work: Callable[[str], Seen], url: str) -> Seen:
    """Playwright's sync API refuses a thread where another test's browser already runs an
    event loop (tests/e2e keeps one for the whole session); a thread of its own has none."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["seen"] = work(url)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's own thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="production-smoke-browser")
    thread.start()
    thread.join(timeout=300)
    if "error" in outcome:
        raise outcome["error"]
    assert "seen" in outcome, "the browser did not finish within 300 s"
    return outcome["seen"]


def browse_as_admin(url: str) -> Seen:
    """Sign in through the form, then open every link of the navigation and the admin index."""
    from playwright.sync_api import sync_playwright

    seen = Seen()

    def on_response(response) -> None:
        if response.status >= 500:
            seen.problems.append(f"{response.status} {response.url}")
        elif "/static/" in response.url:
            if response.status >= 400:
                seen.problems.append(f"static {response.status} {response.url}")
            else:
                seen.static_loaded.append(response.url)

    def on_console(message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            seen.problems.append(f"CSP: {message.text}")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=LAUNCH_ARGS
        )
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.on("response", on_response)
            page.on("console", on_console)
            page.on("requestfailed", lambda r: seen.problems.append(f"failed {r.url}: {r.failure}"))

            login = page.goto(f"{url}/login/")
            seen.statuses["Sign-in"] = login.status if login else 0
            page.get_by_label("Username").fill(ADMIN)
            page.get_by_label("Password").fill(ADMIN_PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(lambda address: "/login/" not in address)

            links = page.locator("#main-nav a")
            targets = {}
            for i in range(links.count()):
                # The first line is the label; a badge (a count of cases) may follow it.
                label = links.nth(i).inner_text().splitlines()[0].strip()
                targets[label] = links.nth(i).get_attribute("href")
            seen.navigation = set(targets)
            for label, href in [*targets.items(), ("Admin index", "/admin/")]:
                response = page.goto(f"{url}{href}")
                seen.statuses[label] = response.status if response else 0
                page.wait_for_load_state("networkidle")
        finally:
            browser.close()
    return seen
