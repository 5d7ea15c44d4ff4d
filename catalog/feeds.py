"""Atom feed of newly published innovations, optionally of one region (?region=7601 or 76.05)."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotFound
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from innovations.models import Innovation
from jipp.models import Region
from jipp.selectors import region_by_code
from jipp.text import xml_safe

from . import selectors

FEED_SIZE = 30
AUTHOR = "Hub JIPP Sulawesi Barat"
# BPS codes are digits (7601), Kemendagri codes digits and dots (76.05).
REGION_CODE = re.compile(r"[0-9.]{1,13}")


class XmlSafeGenerator(SimplerXMLGenerator):
    """Writes only what XML 1.0 can carry: text stored before input was cleaned must not take the
    feed down for everyone (Django's generator refuses control characters with an error)."""

    def characters(self, content: str) -> None:
        super().characters(xml_safe(content))

    def startElement(self, name: str, attrs: dict[str, str]) -> None:
        super().startElement(name, {key: xml_safe(str(value)) for key, value in (attrs or {}).items()})


class PlainTextAtomFeed(Atom1Feed):
    """Atom whose entry summaries are plain text: a record's summary is what an official typed, and
    markup in it must reach feed readers as characters, never as HTML they render."""

    def write(self, outfile, encoding: str) -> None:  # type: ignore[no-untyped-def]
        handler = XmlSafeGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


def feed_path(region: Region | None) -> str:
    """The address of the feed of `region` (of every region when None), in the active language."""
    path = reverse("catalog:feed")
    return path if region is None else f"{path}?{urlencode({'region': region.bps_code})}"


class NewInnovationsFeed(Feed):
    feed_type = PlainTextAtomFeed
    author_name = AUTHOR

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        try:
            return super().__call__(request, *args, **kwargs)
        except Http404 as error:
            # A feed reader shows a short text it can read, not the site's HTML error page.
            return HttpResponseNotFound(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request: HttpRequest) -> Region | None:  # type: ignore[override]
        code = request.GET.get("region", "").strip()
        if not code:
            return None
        region = region_by_code(code=code) if REGION_CODE.fullmatch(code) else None
        if region is None:
            raise Http404(_("No region has that code. Use a BPS code such as 7601 or a Kemendagri code such as 76.05."))
        return region

    def get_feed(self, obj: Region | None, request: HttpRequest) -> Atom1Feed:
        feed = super().get_feed(obj, request)
        if obj is not None:
            # Each region's feed is a feed of its own: its id is its own address, not the catalogue's.
            feed.feed["id"] = feed.feed["feed_url"]
        return feed

    def title(self, region: Region | None) -> str:
        if region is None:
            return _("New innovations: Hub JIPP Sulawesi Barat")
        return _("New innovations in %(region)s: Hub JIPP Sulawesi Barat") % {"region": region.name}

    def subtitle(self, region: Region | None) -> str:
        return _("Public-service innovations newly published by the hub.")

    def link(self, region: Region | None) -> str:
        path = reverse("catalog:list")
        return path if region is None else f"{path}?{urlencode({'region': region.bps_code})}"

    def feed_url(self, region: Region | None) -> str:
        return feed_path(region)

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
