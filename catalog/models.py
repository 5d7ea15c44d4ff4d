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


class CatalogVersion(models.Model):
    """One row: a token that changes with every write the public pages show, and when it changed.

    The public pages' ETag and Last-Modified, and the keys of what they cache (figures, statistics,
    facet counts, list counts), come from it, so a publication invalidates them all at once; a page
    reads it with one query by primary key. The token is random rather than a counter so that two
    histories of the database (a rolled-back transaction, a restored copy) never share one.
    """

    token = models.CharField(max_length=32)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("catalogue version")
        verbose_name_plural = _("catalogue versions")

    def __str__(self) -> str:
        return self.token
