"""Caigou on many machines: two gunicorn web processes and a Celery worker, each in an empty
working directory of its own with a MEDIA_ROOT of its own (as if on three machines), sharing only
PostgreSQL, Redis and an S3-compatible server (moto's, tests/storage/s3server.py). A person
signed in behind the load balancer asks web A for a background export, the worker writes it,
and web B hands it over; a payment voucher uploaded through A is shown and downloaded through B.
Nothing is written to any machine's own disk.

Needs PostgreSQL (DATABASE_URL: the test makes and drops a database of its own on that server)
and Redis (REDIS_URL); skipped on a developer machine without them, failed in CI.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.production.stack import ROOT, Stack, free_port, make_database
from tests.security.files import tiny_png
from tests.storage.s3server import S3Server, s3_server
from tests.waiting import wait_until

pytestmark = pytest.mark.integration

ADMIN = "machines-admin"
ADMIN_PASSWORD = secrets.token_urlsafe(18)
# A paid Taobao order of ours and the sandbox's copy of it, so a voucher can be sent upstream.
SEED_ORDER = """
from django.conf import settings
from tests.orders.factories import PurchaseOrderFactory
from upstream.sandbox.models import Order
order = PurchaseOrderFactory(status="paid", upstream_order_id="{upstream_id}")
Order.objects.create(provider="pandapon", platform="taobao", user_id=settings.PANDAPON_USER_ID,
    order_id="{upstream_id}", created_by="test", status="WAIT_SELLER_SEND_GOODS")
print("order", order.pk, order.reference)
"""


class LocalhostSession(requests.Session):
    """Production's cookies are Secure (__Host-); a browser sends them to http://localhost, and
    so does this client (no TLS proxy stands in front of these processes). It follows no
    redirect itself: cookies set on a redirect would be dropped on the way."""

    def send(self, request, **kwargs) -> requests.Response:
        response = super().send(request, **kwargs)
        for cookie in self.cookies:
            cookie.secure = False
        return response


@dataclass
class Machines:
    stack: Stack
    s3: S3Server
    web_a: str
    web_b: str
    dirs: dict[str, Path]


def _missing() -> str:
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return "DATABASE_URL is not a PostgreSQL URL"
    if not os.environ.get("REDIS_URL"):
        return "REDIS_URL is not set"
    return ""


def _machine(stack: Stack, name: str) -> tuple[Path, dict[str, str]]:
    """An empty working directory, its own MEDIA_ROOT, and the code found on PYTHONPATH only."""
    home = stack.work / name
    home.mkdir()
    return home, {"MEDIA_ROOT": str(home / "media"), "PYTHONPATH": str(ROOT)}


def _web(stack: Stack, name: str, port: int) -> None:
    home, env = _machine(stack, name)
    # Two workers: web A also serves the sandbox upstream that its own requests call.
    bind = ["--bind", f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"]
    stack._spawn(name, "gunicorn", "config.wsgi", *bind, cwd=home, env=env)


@pytest.fixture(scope="module")
def machines(tmp_path_factory) -> Iterator[Machines]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the many-machine test needs PostgreSQL and Redis: {missing}")
        pytest.skip(f"many-machine test: {missing}")
    work = tmp_path_factory.mktemp("machines")
    database_name = f"caigou_machines_{os.getpid()}"
    with s3_server(work) as s3, make_database(os.environ["DATABASE_URL"], database_name) as db:
        stack = Stack(
            work=work,
            database_url=db,
            redis_url=os.environ["REDIS_URL"],
            # Every export goes to the worker, however small.
            extra_env={**s3.env(), "CAIGOU_EXPORT_SYNC_MAX_ROWS": "0"},
        )
        try:
            stack.prepare(admin=ADMIN, password=ADMIN_PASSWORD)
            port_b = free_port()
            _web(stack, "web-a", stack.port)
            _web(stack, "web-b", port_b)
            home, env = _machine(stack, "worker")
            worker = ["-A", "config", "worker", "--pool=solo", "--loglevel=INFO"]
            worker += ["--without-gossip", "--without-mingle"]
            worker += ["--queues", ",".join(settings.CAIGOU_QUEUES)]
            worker += ["--hostname", f"machines-{os.getpid()}@%h"]
            stack._spawn("worker", "celery", *worker, cwd=home, env=env)
            web_b = f"http://localhost:{port_b}"
            for url in (stack.url, web_b):
                wait_until(
                    lambda url=url: _ready(stack, url), timeout=60, what=f"{url} ready", every=0.5
                )
            dirs = {name: work / name for name in ("web-a", "web-b", "worker")}
            yield Machines(stack, s3, stack.url, web_b, dirs)
        finally:
            stack.stop()


def _ready(stack: Stack, url: str) -> bool:
    stack.check_alive()
    try:
        return requests.get(f"{url}/healthz/ready", timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def person(machines) -> requests.Session:
    """Signed in on web A; the session (in PostgreSQL) holds on web B as well."""
    session = LocalhostSession()
    page = session.get(f"{machines.web_a}/login/", timeout=10)
    answer = session.post(
        f"{machines.web_a}/login/",
        data={"username": ADMIN, "password": ADMIN_PASSWORD, "csrfmiddlewaretoken": _token(page)},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302 and "/login/" not in answer.headers["Location"], answer.text
    return session


def _token(page: requests.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[-2000:]
    return found.group(1)


def _seeded(machines: Machines) -> tuple[int, str]:
    """A new order (pk, reference), made as an operator's script would make it."""
    upstream_id = str(3_300_000 + secrets.randbelow(100_000))
    printed = machines.stack.manage("shell", "-c", SEED_ORDER.format(upstream_id=upstream_id))
    _, pk, reference = printed.strip().splitlines()[-1].split()
    return int(pk), reference


def _stored_on_machines(machines: Machines) -> list[Path]:
    return [path for home in machines.dirs.values() for path in home.rglob("*")]


def test_an_export_asked_on_web_a_is_written_by_the_worker_and_downloaded_from_web_b(
    machines, person
):
    _, reference = _seeded(machines)
    reports = person.get(f"{machines.web_a}/reports/?report=orders", timeout=10)
    started = person.post(
        f"{machines.web_a}/reports/export/?report=orders",
        data={"format": "csv", "csrfmiddlewaretoken": _token(reports)},
        allow_redirects=False,
        timeout=10,
    )
    assert started.status_code == 302, started.text[-2000:]
    export_page = started.headers["Location"]
    pk = int(re.search(r"/reports/exports/(\d+)/", export_page).group(1))

    def ready_on_b() -> bool:
        progress = person.get(
            f"{machines.web_b}/reports/exports/{pk}/progress/", allow_redirects=False, timeout=10
        )
        assert progress.status_code == 200, "web B does not know the session of web A"
        return "Ready." in progress.text

    wait_until(ready_on_b, timeout=60, what="the worker to write the export", every=0.3)
    download = person.get(f"{machines.web_b}/reports/exports/{pk}/download/", timeout=10)

    assert download.status_code == 200 and reference in download.text
    [key] = machines.s3.keys("exports/")
    assert machines.s3.read(key) == download.content
    assert download.headers["Cache-Control"] == "private, no-store"
    assert _stored_on_machines(machines) == []


def test_a_voucher_uploaded_through_web_a_shows_and_downloads_on_web_b(machines, person):
    pk, _ = _seeded(machines)
    order_a = person.get(f"{machines.web_a}/orders/{pk}/", timeout=10)
    picture = tiny_png()

    sent = person.post(
        f"{machines.web_a}/orders/{pk}/voucher/",
        data={"csrfmiddlewaretoken": _token(order_a)},
        files={"voucher": ("slip.png", picture, "image/png")},
        allow_redirects=False,
        timeout=30,
    )
    assert sent.status_code == 302, sent.text[-3000:]

    order_b = person.get(f"{machines.web_b}/orders/{pk}/", timeout=10).text
    assert "Payment voucher slip.png uploaded." in order_b  # the message, too, is shared
    link = re.search(rf'href="(/orders/{pk}/vouchers/\d+/)"', order_b)
    assert link, "web B does not show the voucher"
    download = person.get(f"{machines.web_b}{link.group(1)}", timeout=10)
    assert download.status_code == 200
    [key] = machines.s3.keys("vouchers/")
    assert machines.s3.read(key) == download.content and download.content[:4] == b"\x89PNG"
    assert _stored_on_machines(machines) == []
