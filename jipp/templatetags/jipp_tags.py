"""Template tags of the site shell."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_pause_minutes() -> int:
    """How long a sign-in lockout lasts, as configured (AXES_COOLOFF_MINUTES), in whole minutes."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


@register.simple_tag(takes_context=True)
def query_without_page(context: template.Context) -> str:
    """The request's query string (filters, sort) without its page number: the links to the other
    pages of a list keep what the reader chose."""
    request = context.get("request")
    if request is None:
        return ""
    query = request.GET.copy()
    query.pop("page", None)
    return str(query.urlencode())
