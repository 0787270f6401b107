"""The "Check arrivals upstream" button queues a task and the page polls its progress (no live
upstream needed: with no shipped Taobao order the check has nothing to read)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from logistics.services.arrivals import (
    RUNNING_KEY,
    Arrivals,
    _progress,
    arrivals_check_start,
    arrivals_progress,
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_the_button_queues_the_check_and_the_page_polls_until_it_ends(
    client_as, django_capture_on_commit_callbacks
):
    client = client_as("purchaser")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        answer = client.post(reverse("logistics:arrivals_refresh"), {"next": "index"})

    job = answer["Location"].split("?arrivals=")[1]
    assert answer["Location"] == reverse("logistics:index") + f"?arrivals={job}"
    assert len(queued) == 1  # the task, sent once the transaction commits
    waiting = client.get(answer["Location"]).content.decode()
    assert "Waiting to start" in waiting
    assert f'hx-get="{reverse("logistics:arrivals_status", args=[job])}"' in waiting

    queued[0]()  # the worker runs it (eager in tests)

    done = client.get(reverse("logistics:arrivals_status", args=[job])).content.decode()
    assert "No shipped Taobao orders are waiting for the warehouse." in done
    assert 'data-finished="true"' in done and "hx-get" not in done
    assert arrivals_progress(job)["finished"] is True
    assert cache.get(RUNNING_KEY) is None


def test_htmx_gets_the_progress_partial_in_place(client_as, django_capture_on_commit_callbacks):
    client = client_as("purchaser")
    with django_capture_on_commit_callbacks(execute=False):
        answer = client.post(reverse("logistics:arrivals_refresh"), headers={"HX-Request": "true"})
    body = answer.content.decode()
    assert answer.status_code == 200 and 'id="arrivals-progress"' in body
    assert "<html" not in body


def test_a_second_press_while_one_runs_shows_the_running_one(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = arrivals_check_start()
        second = arrivals_check_start()
    assert first == second and len(queued) == 1


def test_progress_counts_as_it_goes(db):
    found = Arrivals(moved=["CG1"], checked=3, problems=["CG2"])
    _progress("abc", found, total=10, done=4)
    state = arrivals_progress("abc")
    assert (state["done"], state["total"], state["finished"]) == (4, 10, False)
    assert state["moved"] == ["CG1"] and state["problems"] == ["CG2"]


def test_a_forgotten_or_hostile_job_is_a_sentence_not_an_error(client_as):
    client = client_as("purchaser")
    gone = client.get(reverse("logistics:arrivals_status", args=["0" * 32]))
    assert gone.status_code == 200 and "no longer kept" in gone.content.decode()
    page = client.get(reverse("logistics:warehouse") + "?arrivals=%3Cscript%3E")
    assert page.status_code == 200 and "arrivals-progress" not in page.content.decode()


def test_the_check_is_routed_to_a_queue(settings):
    assert settings.CELERY_TASK_ROUTES["logistics.check_arrivals"] == {"queue": "default"}


def test_a_check_not_heard_from_stops_the_polling_and_frees_the_button(
    db, monkeypatch, django_capture_on_commit_callbacks
):
    from logistics.services import arrivals

    with django_capture_on_commit_callbacks(execute=False):
        lost = arrivals_check_start()  # its worker died: it never reports
    later = arrivals.time.time() + arrivals.STALE_SECONDS + 1
    monkeypatch.setattr(arrivals.time, "time", lambda: later)

    state = arrivals_progress(lost)
    assert state["finished"] is True and state["failed"] is True
    with django_capture_on_commit_callbacks(execute=False) as queued:
        again = arrivals_check_start()
    assert again != lost and len(queued) == 1
