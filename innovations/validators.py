from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_video_url(value: str) -> None:
    """Only https links; YouTube and other video hosts are fine, plain http and other schemes are not."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc:
        raise ValidationError(_("Give a video link that starts with https://, for example a YouTube link."))
