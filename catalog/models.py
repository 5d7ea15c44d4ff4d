"""The catalogue's own data: the vocabulary of the published records, for "did you mean"."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchWord(models.Model):
    """A word of the published records as written (normalised), its root and how many records hold it.

    Rebuilt from the records after every publication or archiving (catalog.services); never edited.
    """

    word = models.CharField(_("word"), max_length=60, unique=True)
    root = models.CharField(_("root"), max_length=60, db_index=True)
    count = models.PositiveIntegerField(_("published records"), default=0)

    class Meta:
        verbose_name = _("search word")
        verbose_name_plural = _("search words")

    def __str__(self) -> str:
        return self.word
