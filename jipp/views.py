from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n as i18n_views
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .forms import PasswordResetForm, SignInForm
from .health import health_report
from .models import Role
from .sections import sections_for
from .security import client_address, rate_limit_exceeded


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
    next_path = urlsplit(request.POST.get("next", "")).path
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


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors: the failure may lie in one of them.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
