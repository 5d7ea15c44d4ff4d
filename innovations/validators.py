from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_video_url(value: str) -> None:
    """Only https links; YouTube and other video hosts are fine, plain http and other schemes are not."""
    if not value:
        return
    message = _("Give a video link that starts with https://, for example a YouTube link.")
    try:
        parts = urlsplit(value)
    except ValueError as error:  # an unclosed "[" of an IPv6 address, a bad port
        raise ValidationError(message) from error
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError(message)
