"""Views: the inbox of an institution's users, and the signed links of notice e-mails (acknowledging
receipt, downloading an attachment), which work without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ..markup import markdown_html
from ..models import Delivery, NoticeAttachment
from ..permissions import can
from ..selectors import inbox_deliveries
from ..services.deliveries import (
    attachment_for_token,
    delivery_acknowledge,
    delivery_for_token,
    delivery_mark_read,
)
from .notices import attachment_response

PAGE_SIZE = 20


def _ensure_inbox(request: HttpRequest) -> None:
    if not can(request.user, "jipp.view_inbox"):
        raise PermissionDenied


def _delivery(request: HttpRequest, pk: int) -> Delivery:
    """A notice in the inbox of the user's own institution; any other is not found."""
    return get_object_or_404(inbox_deliveries(user=request.user), pk=pk)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    _ensure_inbox(request)
    page = Paginator(inbox_deliveries(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "jipp/inbox/list.html", {"page": page})


@login_required
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_inbox(request)
    delivery = _delivery(request, pk)
    delivery_mark_read(delivery=delivery)
    notice = delivery.notice
    return render(
        request,
        "jipp/inbox/detail.html",
        {
            "delivery": delivery,
            "notice": notice,
            "body_html": markdown_html(notice.body),
            "attachments": notice.attachments.all(),
        },
    )


@login_required
@require_POST
def inbox_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    _ensure_inbox(request)
    delivery = _delivery(request, pk)
    if delivery_acknowledge(delivery=delivery, by=request.user):
        messages.success(request, _("Receipt confirmed. The hub sees that your institution received the notice."))
    else:
        messages.info(request, _("Your institution had already confirmed receipt of this notice."))
    return redirect("jipp:inbox_detail", pk=delivery.pk)


@login_required
def inbox_attachment(request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
    _ensure_inbox(request)
    delivery = _delivery(request, pk)
    try:
        stored = delivery.notice.attachments.get(pk=attachment)
    except NoticeAttachment.DoesNotExist:
        raise Http404 from None
    return attachment_response(stored)


def _refused(request: HttpRequest, error: Exception) -> HttpResponse:
    expired = isinstance(error, signing.SignatureExpired)
    return render(request, "jipp/inbox/link_refused.html", {"expired": expired}, status=410 if expired else 404)


@require_http_methods(["GET", "POST"])
def acknowledge_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link of a notice e-mail: a page naming the notice and the institution, and a button that
    confirms receipt. Not a GET that acknowledges: mail scanners open every link of an e-mail."""
    try:
        delivery = delivery_for_token(token)
    except (signing.BadSignature, Delivery.DoesNotExist) as error:
        return _refused(request, error)
    if delivery.state not in (Delivery.State.SENT, Delivery.State.ACKNOWLEDGED):
        raise Http404
    acknowledged_now = False
    if request.method == "POST":
        acknowledged_now = bool(delivery_acknowledge(delivery=delivery, by=None))
        delivery.refresh_from_db()
    return render(
        request,
        "jipp/inbox/acknowledge.html",
        {"delivery": delivery, "notice": delivery.notice, "token": token, "acknowledged_now": acknowledged_now},
    )


def attachment_link(request: HttpRequest, token: str) -> HttpResponse:
    try:
        attachment = attachment_for_token(token)
    except (signing.BadSignature, NoticeAttachment.DoesNotExist, ValueError, TypeError) as error:
        return _refused(request, error)
    return attachment_response(attachment)


urlpatterns = [
    path("kotak-masuk/", inbox, name="inbox"),
    path("kotak-masuk/<int:pk>/", inbox_detail, name="inbox_detail"),
    path("kotak-masuk/<int:pk>/terima/", inbox_acknowledge, name="inbox_acknowledge"),
    path("kotak-masuk/<int:pk>/lampiran/<int:attachment>/", inbox_attachment, name="inbox_attachment"),
    path("konfirmasi/<str:token>/", acknowledge_link, name="acknowledge_link"),
    path("lampiran/<str:token>/", attachment_link, name="attachment_link"),
]
