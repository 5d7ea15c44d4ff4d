"""Panels of the record page contributed by the replication and sustainability areas."""

from django import template

from jipp.permissions import can

from ..forms.sustainability import SustainabilityForm
from ..selectors import innovation_replication_panel, replications_visible_to, sustainability_history

register = template.Library()


@register.inclusion_tag("innovations/panels/replication.html", takes_context=True)
def replication_panel(context, innovation):
    user = context["request"].user
    panel = innovation_replication_panel(innovation=innovation, user=user)
    origin_link = panel["origin_link"]
    return {
        **panel,
        "innovation": innovation,
        "origin_visible": origin_link is not None
        and replications_visible_to(user=user).filter(pk=origin_link.pk).exists(),
        "may_request": can(user, "innovations.request_replication", innovation),
    }


@register.inclusion_tag("innovations/panels/sustainability.html", takes_context=True)
def sustainability_panel(context, innovation):
    user = context["request"].user
    may_report = can(user, "innovations.report_sustainability", innovation)
    return {
        "innovation": innovation,
        "updates": sustainability_history(innovation=innovation),
        "form": SustainabilityForm() if may_report else None,
        "may_report": may_report,
        "csrf_token": context.get("csrf_token"),
    }
