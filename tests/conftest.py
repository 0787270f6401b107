"""Fixtures every test can use: a signed-in client per role."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
import responses
from django.test import Client, override_settings

from tests.purchasing.factories import StaffUserFactory
from tests.upstream.factories import Edge


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """In CI every test must run: the skips for a developer's machine (no PostgreSQL, Redis,
    Chromium...) fail there, so a CI that lost a service cannot pass by skipping its tests."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI") and report.skipped:
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped in CI, where every test must run: {reason}"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    """pytest-django's test database, with transactional tests emptying it in one round trip
    on PostgreSQL (tests/quickflush.py).

    At the end, the sessions the live server's request threads still hold are ended: each thread
    keeps its database connection while it waits on a kept-alive connection of a client that
    is gone, and the test database cannot be dropped while a session uses it."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    from tests import quickflush

    with django_db_blocker.unblock():
        undo = quickflush.install()
    yield
    undo()
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(autouse=True)
def _celery_join_flag_reset() -> None:
    """Celery marks "inside a task" with one process-wide flag that eager tasks set and restore.
    Eager tasks overlapping in other threads (live-server requests, callback deliveries left
    over from an earlier test) can restore it in the wrong order and leave it set, and then an
    EagerResult.get() in a test refuses. Every test starts with it cleared."""
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def _action_needed_forgotten() -> None:
    """The navigation's after-sales count is cached across requests, and a test's rollback does
    not clear the cache: every test starts without it."""
    from aftersales.selectors import forget_action_needed

    forget_action_needed()


@pytest.fixture(autouse=True)
def _recent_answers_forgotten() -> None:
    """Product reads and previews are kept for seconds in the process, and a test's sandbox
    changes do not clear them: every test starts without any."""
    from purchasing.routes.recent import recent_previews, recent_products

    recent_products.forget()
    recent_previews.forget()


@pytest.fixture(autouse=True)
def _language_of_the_site() -> Iterator[None]:
    """A request through the test client leaves its language active in the thread (Django's
    LocaleMiddleware activates and never resets): every test starts, and ends, in the site's."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_scratch_folder(tmp_path_factory) -> Iterator[None]:
    """Stored files (exports, vouchers, evidence) go to a folder of the run, not var/media."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture
def staff_user(db) -> Callable:
    """Make a staff user in a role: `staff_user("approver")`."""
    return lambda role, **kwargs: StaffUserFactory(role=role, **kwargs)


@pytest.fixture
def client_as(staff_user) -> Callable[[str], Client]:
    """A test client signed in as a fresh user of the given role."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(staff_user(role))
        return client

    return make


@pytest.fixture
def edge(settings):
    """The clients pointed at a stubbed HTTP edge (`tests.upstream.factories.Edge`)."""
    from upstream import accounts

    settings.PANDAPON_BASE_URL = Edge.BASE["pandapon"]
    settings.DAJISAAS_BASE_URL = Edge.BASE["dajisaas"]
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield Edge(mock)
    for transport in list(accounts._transports.values()):
        transport.session.close()
