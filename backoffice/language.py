"""The language of the staff site. Without a choice the browser's language decides (Django's
LocaleMiddleware reads Accept-Language); a person's choice is kept on their account, copied into
the session when they sign in, and read from the session on every request, so it costs no query
per page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backoffice.models import LanguageChoice
from purchasing.views.back import page_of_this_site

SESSION_KEY = "caigou_language"
CODES = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    """After the session and the user: a language the person chose beats the browser's."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.session.get(SESSION_KEY) if request.session.session_key else None
        if chosen in CODES:
            translation.activate(chosen)
            request.LANGUAGE_CODE = chosen
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="backoffice.language.signed_in")
def _chosen_on_sign_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    choice = LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    if choice in CODES and request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = choice


@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Switch the site's language: kept on the account when signed in, in a cookie always (so
    the sign-in page follows too), then back to the page the switch was pressed on (`next`, or
    the Referer), if it is a page of this site."""
    code = request.POST.get("language", "")
    if code not in CODES:
        return HttpResponseBadRequest(_("Choose English or 简体中文."))
    if request.user.is_authenticated:
        LanguageChoice.objects.update_or_create(user=request.user, defaults={"language": code})
        request.session[SESSION_KEY] = code
    # The page it was pressed on, from the browser's Referer (same-origin: the full address),
    # so a page's query (which may hold anything) is not copied into every page's markup.
    target = request.POST.get("next") or request.headers.get("Referer", "")
    response = HttpResponseRedirect(page_of_this_site(request, target) or "/")
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response
