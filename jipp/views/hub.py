"""Views: the public hub profile and the hub administrator's pages for memberships and contacts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..forms.hub import ContactForm, MembershipAddForm, MembershipChangeForm, MembershipEndForm
from ..models import Hub, Institution, Membership, MembershipContact
from ..permissions import can
from ..sections import sections_for
from ..selectors import (
    activities_inviting,
    activities_past,
    activities_upcoming,
    hub_ids_administered_by,
    hub_members_by_region,
    hub_memberships,
    hubs_administered,
    hubs_of_member,
    hubs_visible_to,
    membership_history,
)
from ..services.hub import contact_add, contact_change, membership_add, membership_change, membership_end

PROFILE_ACTIVITIES = 10


def hub_for(request: HttpRequest, slug: str) -> Hub:
    """The hub at `slug` if the user may see it at all; otherwise 404."""
    return get_object_or_404(hubs_visible_to(user=request.user), slug=slug)


def managed_hub(request: HttpRequest, slug: str) -> Hub:
    """The hub at `slug` for its administrators; 404 if unseen, 403 for anybody else."""
    hub = hub_for(request, slug)
    if not can(request.user, "jipp.manage_hub", hub):
        raise PermissionDenied
    return hub


def apply_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    """Show a service's refusal on the form, on its field when it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def hub_list(request: HttpRequest) -> HttpResponse:
    hubs = list(hubs_visible_to(user=request.user).order_by("name"))
    if len(hubs) == 1:
        return redirect(hubs[0].get_absolute_url())
    return render(request, "jipp/hub/list.html", {"hubs": hubs})


def hub_profile(request: HttpRequest, slug: str) -> HttpResponse:
    hub = hub_for(request, slug)
    return render(
        request,
        "jipp/hub/profile.html",
        {
            "hub": hub,
            "members_by_region": hub_members_by_region(hub=hub),
            "upcoming": list(activities_upcoming(hub=hub, limit=PROFILE_ACTIVITIES)),
            "past": list(activities_past(hub=hub, limit=PROFILE_ACTIVITIES)),
            "can_manage": can(request.user, "jipp.manage_hub", hub),
            "can_see_maturity": can(request.user, "jipp.view_maturity", hub),
            "profile_sections": sections_for(request, page="hub_profile", hub=hub),
        },
    )


@login_required
def hub_manage_index(request: HttpRequest) -> HttpResponse:
    hubs = list(hubs_administered(user=request.user).order_by("name"))
    if not hubs:
        raise PermissionDenied
    if len(hubs) == 1:
        return redirect("jipp:membership_list", slug=hubs[0].slug)
    return render(request, "jipp/hub/manage_index.html", {"hubs": hubs})


@login_required
def membership_list(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    show_ended = request.GET.get("semua") == "1"
    memberships = hub_memberships(hub=hub, active_only=not show_ended).prefetch_related("contacts")
    return render(
        request,
        "jipp/hub/membership_list.html",
        {"hub": hub, "memberships": memberships, "show_ended": show_ended},
    )


def _institutions_to_add(hub: Hub):  # type: ignore[no-untyped-def]
    open_members = hub.memberships.filter(ends_on__isnull=True).values("institution_id")
    return (
        Institution.objects.exclude(pk__in=open_members).select_related("region").order_by("region__bps_code", "name")
    )


@login_required
def membership_add_view(request: HttpRequest, slug: str) -> HttpResponse:
    hub = managed_hub(request, slug)
    form = MembershipAddForm(request.POST or None, institutions=_institutions_to_add(hub))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = membership_add(
                hub=hub,
                institution=data["institution"],
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("%(institution)s is now a member of the hub.") % {"institution": membership.institution}
            )
            return redirect("jipp:membership_detail", slug=hub.slug, pk=membership.pk)
    return render(request, "jipp/hub/membership_add.html", {"hub": hub, "form": form})


def _membership(hub: Hub, pk: int) -> Membership:
    try:
        return hub.memberships.select_related("institution__region", "hub").get(pk=pk)
    except Membership.DoesNotExist:
        raise Http404 from None


@login_required
def membership_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The membership with its contacts and history; POST changes its role or period."""
    hub = managed_hub(request, slug)
    membership = _membership(hub, pk)
    initial = {
        "role": membership.role,
        "starts_on": membership.starts_on,
        "ends_on": membership.ends_on,
        "note": membership.note,
    }
    form = MembershipChangeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership_change(
                membership=membership,
                role=data["role"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The membership was changed."))
            return redirect("jipp:membership_detail", slug=hub.slug, pk=membership.pk)
    return render(
        request,
        "jipp/hub/membership_detail.html",
        {
            "hub": hub,
            "membership": membership,
            "form": form,
            "end_form": MembershipEndForm(),
            "contact_form": ContactForm(),
            "contacts": membership.contacts.all(),
            "history": membership_history(membership=membership),
        },
    )


@login_required
@require_POST
def membership_end_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    membership = _membership(hub, pk)
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            membership_end(
                membership=membership,
                ends_on=form.cleaned_data["ends_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The membership ends on %(day)s.") % {"day": form.cleaned_data["ends_on"]})
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("jipp:membership_detail", slug=hub.slug, pk=membership.pk)


@login_required
def contact_add_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    membership = _membership(hub, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_add(
                membership=membership,
                name=data["name"],
                position=data["position"],
                email=data["email"],
                phone=data["phone"],
                by=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contact was added."))
            return redirect("jipp:membership_detail", slug=hub.slug, pk=membership.pk)
    return render(request, "jipp/hub/contact_form.html", {"hub": hub, "membership": membership, "form": form})


@login_required
def contact_edit_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    hub = managed_hub(request, slug)
    contact = get_object_or_404(
        MembershipContact.objects.select_related("membership__institution"), pk=pk, membership__hub=hub
    )
    initial = {
        "name": contact.name,
        "position": contact.position,
        "email": contact.email,
        "phone": contact.phone,
        "active": contact.active,
    }
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_change(contact=contact, by=request.user, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The contact was changed."))
            return redirect(reverse("jipp:membership_detail", kwargs={"slug": hub.slug, "pk": contact.membership_id}))
    return render(
        request,
        "jipp/hub/contact_form.html",
        {"hub": hub, "membership": contact.membership, "contact": contact, "form": form},
    )


def dashboard_context(request: HttpRequest) -> dict[str, object] | None:
    """The dashboard's hub panel for members and administrators: their hubs and the activities
    their institution is invited to."""
    hubs = list(hubs_of_member(user=request.user))
    if not hubs:
        return None
    return {
        "hubs": hubs,
        "invitations": list(activities_inviting(user=request.user)),
        "managed": hub_ids_administered_by(user=request.user),
    }
