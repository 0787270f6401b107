"""The "Check arrivals upstream" button: it queues the check and the page polls its progress
(a hundred traces take most of a minute, too long for a request)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from logistics.services.arrivals import arrivals_check_start, arrivals_progress
from logistics.views.common import PERM
from purchasing.permissions import staff_page

JOB_PARAM = "arrivals"  # the query parameter naming the check a page shows


def _sentences(state: dict[str, Any]) -> list[tuple[str, str]]:
    """What a finished check found, as (level, sentence) pairs."""
    said: list[tuple[str, str]] = []
    moved, problems = state["moved"], state["problems"]
    if moved:
        text = ngettext(
            "%(count)d order reached the warehouse: %(refs)s.",
            "%(count)d orders reached the warehouse: %(refs)s.",
            len(moved),
        )
        said.append(("success", text % {"count": len(moved), "refs": ", ".join(moved)}))
    elif state["checked"]:
        text = ngettext(
            "Checked %(count)d shipped Taobao order: none arrived yet.",
            "Checked %(count)d shipped Taobao orders: none arrived yet.",
            state["checked"],
        )
        said.append(("info", text % {"count": state["checked"]}))
    elif not problems:
        said.append(("info", gettext("No shipped Taobao orders are waiting for the warehouse.")))
    if problems:
        text = gettext("The upstream did not answer for %(refs)s; try again later.")
        said.append(("warning", text % {"refs": ", ".join(problems)}))
    if state.get("failed"):
        said.append(
            ("error", gettext("The check stopped before the end; the sweeper checks again soon."))
        )
    return said


def arrivals_context(request: HttpRequest) -> dict[str, Any]:
    """The progress a list page shows under its button (`?arrivals=<job>`), if any."""
    job = request.GET.get(JOB_PARAM, "")
    if not job.isalnum() or len(job) > 64:
        return {}
    return _context(job)


def _context(job: str) -> dict[str, Any]:
    state = arrivals_progress(job)
    percent = 0
    if state and state["total"]:
        percent = round(100 * state["done"] / state["total"])
    return {
        "arrivals_job": job,
        "arrivals": state,
        "arrivals_percent": percent,
        "arrivals_said": _sentences(state) if state and state["finished"] else [],
    }


@require_POST
@staff_page(PERM)
def arrivals_refresh(request: HttpRequest) -> HttpResponse:
    """Queue the check of which shipped Taobao orders were signed for at the warehouse; the page
    it returns to shows its progress."""
    job = arrivals_check_start()
    if request.headers.get("HX-Request"):
        return render(request, "logistics/partials/arrivals_progress.html", _context(job))
    back = "logistics:index" if request.POST.get("next") == "index" else "logistics:warehouse"
    return redirect(f"{reverse(back)}?{JOB_PARAM}={job}")


@require_GET
@staff_page(PERM)
def arrivals_status(request: HttpRequest, job: str) -> HttpResponse:
    """The progress partial the page polls while the check runs."""
    return render(request, "logistics/partials/arrivals_progress.html", _context(job))
