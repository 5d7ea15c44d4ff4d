import logging
import sys
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from rest_framework import views as drf_views
from rest_framework.response import Response

from ..forms import PasswordResetForm, SignInForm
from ..health import health_report
from ..models import Role
from ..sections import sections_for
from ..security import client_address, rate_limit_exceeded

logger = logging.getLogger(__name__)

# How long an API client should wait before retrying while the database is unreachable.
RETRY_AFTER_SECONDS = "60"


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "jipp/home.html", {"home_sections": sections_for(request, page="home")})


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, limited per address and per e-mail address typed (known or not, so that the
    limit reveals nothing about which accounts exist)."""

    form_class = PasswordResetForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        window = settings.PASSWORD_RESET_WINDOW_SECONDS
        if rate_limit_exceeded(
            "password-reset-address",
            client_address(self.request),
            limit=settings.PASSWORD_RESET_PER_ADDRESS,
            seconds=window,
        ) or rate_limit_exceeded(
            "password-reset-account",
            form.cleaned_data["email"].lower(),
            limit=settings.PASSWORD_RESET_PER_ACCOUNT,
            seconds=window,
        ):
            form.add_error(None, _("Too many password reset requests. Please wait an hour and try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, resolving `next` in the language of its own prefix.

    Django resolves `next` in the language active for this (unprefixed) request, so an English
    path such as /en/masuk/ is not recognised and the switch back to Indonesian would keep /en/.
    """
    try:
        next_path = urlsplit(request.POST.get("next", "")).path
    except ValueError:  # "http://[::1": Django's own view then ignores the address too
        next_path = ""
    with translation.override(translation.get_language_from_path(next_path) or settings.LANGUAGE_CODE):
        return i18n_views.set_language(request)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    roles = [Role(name).label for name in sorted(request.user.role_names)]
    return render(
        request,
        "jipp/dashboard.html",
        {"user_roles": roles, "dashboard_sections": sections_for(request, page="dashboard")},
    )


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    healthy, report = health_report()
    return JsonResponse({"status": "ok" if healthy else "unavailable", **report}, status=200 if healthy else 503)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/") or (
        request.get_preferred_type(["text/html", "application/json"]) == "application/json"
    )


def _unavailable() -> dict[str, str]:
    return {"detail": _("The service is temporarily unavailable. Please try again in a few minutes.")}


def server_error(request: HttpRequest) -> HttpResponse:
    # Called inside Django's except block, so the exception is at hand.
    if _wants_json(request):
        if isinstance(sys.exc_info()[1], DatabaseError):
            return JsonResponse(_unavailable(), status=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
        detail = _("The server could not finish the request. Please try again in a few minutes.")
        return JsonResponse({"detail": detail}, status=500)
    # No context processors: the failure may lie in one of them.
    from django.template import loader

    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        # The database is unreachable (restarting, failing over, maintenance): say so and when to come
        # back, rather than "something went wrong". Other database errors are bugs and stay 500.
        return HttpResponse(
            loader.get_template("503.html").render(), status=503, headers={"Retry-After": RETRY_AFTER_SECONDS}
        )
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, plus a JSON 503 when the database is unreachable; anything else it does not
    know goes on to Django and `server_error`, which answers API paths in JSON too."""
    response = drf_views.exception_handler(exc, context)
    if response is None and isinstance(exc, DatabaseError):
        logger.error("Database unavailable for an API request", exc_info=exc)
        return Response(_unavailable(), status=503, headers={"Retry-After": RETRY_AFTER_SECONDS})
    return response
