"""jipp/templatetags/jipp_tags.py and the shared pagination (templates/_pagination.html)."""

from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory


def get(path, data=None):
    request = RequestFactory().get(path, data)
    request.user = AnonymousUser()  # the site's context processors read it
    return request


def test_pagination_links_keep_the_filters_and_sort_without_the_page():
    request = get("/kelola/", {"state": ["draft", "submitted"], "sort": "-updated", "page": "2"})
    page = Paginator(range(60), 25).page(2)
    html = render_to_string("_pagination.html", {"page": page}, request=request)
    assert (
        'href="?state=draft&amp;state=submitted&amp;sort=-updated&amp;page=1"' in html,
        'href="?state=draft&amp;state=submitted&amp;sort=-updated&amp;page=3"' in html,
    ) == (True, True)


def test_pagination_of_one_page_shows_nothing():
    html = render_to_string("_pagination.html", {"page": Paginator(range(3), 25).page(1)}, request=get("/kelola/"))
    assert html.strip() == ""
