"""Panels of the record page contributed by the replication and sustainability areas."""

from django import template

register = template.Library()


@register.inclusion_tag("innovations/panels/empty.html", takes_context=True)
def replication_panel(context, innovation):
    return {}


@register.inclusion_tag("innovations/panels/empty.html", takes_context=True)
def sustainability_panel(context, innovation):
    return {}
