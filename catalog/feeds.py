"""Atom feed of newly published innovations, optionally of one region (?region=7601 or 76.05)."""

from __future__ import annotations

import re
from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from innovations.models import Innovation
from jipp.models import Region
from jipp.selectors import region_by_code

from . import selectors

FEED_SIZE = 30
# BPS codes are digits (7601), Kemendagri codes digits and dots (76.05).
REGION_CODE = re.compile(r"[0-9.]{1,13}")


class NewInnovationsFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest) -> Region | None:  # type: ignore[override]
        code = request.GET.get("region", "").strip()
        if not code:
            return None
        region = region_by_code(code=code) if REGION_CODE.fullmatch(code) else None
        if region is None:
            raise Http404(_("No region has that code."))
        return region

    def title(self, region: Region | None) -> str:
        if region is None:
            return _("New innovations: Hub JIPP Sulawesi Barat")
        return _("New innovations in %(region)s: Hub JIPP Sulawesi Barat") % {"region": region.name}

    def subtitle(self, region: Region | None) -> str:
        return _("Public-service innovations newly published by the hub.")

    def link(self, region: Region | None) -> str:
        return reverse("catalog:list")

    def items(self, region: Region | None) -> list[Innovation]:
        values = {"region": region, "sort": "newest"} if region is not None else {"sort": "newest"}
        return list(selectors.catalog_innovations(values=values)[:FEED_SIZE])

    def item_title(self, item: Innovation) -> str:
        return item.title

    def item_description(self, item: Innovation) -> str:
        return f"{item.institution.name}, {item.region.name}. {item.summary}"

    def item_pubdate(self, item: Innovation) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Innovation) -> datetime:
        return item.updated_at
