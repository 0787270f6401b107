"""The request id: taken from an incoming X-Request-ID (a proxy or the caller set it), else
made here; bound with the signed-in user for the log lines of the request, and echoed in the
response so a person can quote it."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from upstream import logcontext

HEADER = "X-Request-ID"
# A header anyone can send: only a short token of safe characters is taken into the logs.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")


class RequestContextMiddleware:
    """First in MIDDLEWARE, so every line of the request carries its id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(HEADER, "")
        request_id = incoming if _ACCEPTED.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # A thread serves many requests: each starts from nothing. The fields stay bound after
        # the response, so Django's own line about it (`django.request`, written once this
        # middleware has returned) and the work done when it is closed carry them too.
        logcontext.clear()
        logcontext.bind(request_id=request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response

    def process_view(self, request: HttpRequest, *args: object) -> None:
        """The user, once the authentication middleware has run. Only a request with a session
        cookie can have one, so callbacks and API calls never load a session for the logs."""
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            logcontext.bind(user=user.get_username())
