"""Template tags of the site shell."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def sign_in_pause_minutes() -> int:
    """How long a sign-in lockout lasts, as configured (AXES_COOLOFF_MINUTES), in whole minutes."""
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
