"""The portal's audit log for its administrators: searchable, filtered, paginated, read-only."""

from __future__ import annotations

import ipaddress

import django_filters
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ..audit import other_trails
from ..models import AuditEvent
from ..permissions import can, ensure_can
from ..text import clean_text

PAGE_SIZE = 50


class AuditEventFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_words")
    action = django_filters.ChoiceFilter(
        label=_("Action"), choices=AuditEvent.Action.choices, empty_label=_("All actions")
    )
    address = django_filters.CharFilter(label=_("Address"), method="filter_address")
    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []

    def filter_words(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        # Every word must appear in the user's name or the object's.
        for word in clean_text(value).split()[:8]:
            queryset = queryset.filter(Q(actor_name__icontains=word) | Q(target_label__icontains=word))
        return queryset

    def filter_address(self, queryset: QuerySet[AuditEvent], name: str, value: str) -> QuerySet[AuditEvent]:
        # The address column is text on SQLite and inet on PostgreSQL: compare exact text only, and only an
        # address (PostgreSQL refuses to compare inet with anything else: a 500).
        value = value.strip()
        if not value:
            return queryset
        try:
            ipaddress.ip_address(value)
        except ValueError:
            return queryset.none()
        return queryset.filter(address=value)


def _trails_for(request: HttpRequest) -> list[dict[str, object]]:
    trails = []
    for label, url_name, permission in other_trails():
        if not can(request.user, permission):
            continue
        try:
            trails.append({"label": label, "url": reverse(url_name)})
        except NoReverseMatch:
            continue
    return trails


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    ensure_can(request.user, "jipp.view_audit")
    events = AuditEvent.objects.select_related(None).only(
        "created_at", "actor_name", "action", "address", "target_type", "target_label", "data"
    )
    audit_filter = AuditEventFilter(request.GET, queryset=events)
    page = Paginator(audit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jipp/audit_log.html",
        {"filter": audit_filter, "page": page, "query": query.urlencode(), "trails": _trails_for(request)},
    )
