"""When a task runs again: after its backoff, and never before a lease it waits for has run
out (a run under the lease could only read again)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from purchasing.services.orders.common import Busy, sooner
from purchasing.tasks import EAGER_RETRIES, countdown, run_service
from purchasing.tasks import pay_orders as some_task
from upstream.errors import RetryableError


def test_a_retry_waits_for_the_lease_it_names():
    until = timezone.now() + timedelta(seconds=100)
    assert 100 < countdown(Busy("a call may still land", until=until), 0) <= 103
    # Once the lease is over, or when none is named, the backoff alone (5 s at most at first).
    assert countdown(Busy("over", until=timezone.now() - timedelta(seconds=1)), 0) <= 5
    assert countdown(Busy("come back soon"), 0) <= 5
    assert countdown(RetryableError("busy upstream"), 0) <= 5
    # A backoff longer than the lease wins.
    assert countdown(Busy("a call may still land", until=until), 8) >= 600 * 0.5


def test_of_several_orders_the_soonest_reason_decides():
    later = Busy("b", until=timezone.now() + timedelta(seconds=90))
    soon = Busy("a", until=timezone.now() + timedelta(seconds=10))
    assert sooner(later, soon) is soon
    assert sooner(soon, None) is soon and sooner(None, later) is later
    unbounded = RetryableError("busy upstream")
    assert sooner(later, unbounded) is unbounded


class Calls:
    def __init__(self, *errors: Exception) -> None:
        self.errors, self.count = list(errors), 0

    def __call__(self) -> None:
        self.count += 1
        if self.errors:
            raise self.errors.pop(0)


@pytest.fixture
def eager_task():
    some_task.push_request(is_eager=True, retries=0)
    yield some_task
    some_task.pop_request()


def test_in_process_a_lease_still_running_is_left_to_the_sweeper(eager_task):
    until = timezone.now() + timedelta(seconds=60)
    # Unknown outcome: read again at once; the read finds the lease running: stop there.
    service = Calls(Busy("outcome unknown"), Busy("may still land", until=until), None)
    run_service(eager_task, service)
    assert service.count == 2


def test_in_process_other_retryable_errors_are_retried_a_few_times(eager_task):
    service = Calls(*[RetryableError("busy upstream")] * (EAGER_RETRIES + 1))
    run_service(eager_task, service)
    assert service.count == EAGER_RETRIES + 1
    done = Calls(RetryableError("busy upstream"))
    run_service(eager_task, done)
    assert done.count == 2 and not done.errors
