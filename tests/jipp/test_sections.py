import pytest
from django.test import RequestFactory

from jipp import sections
from jipp.sections import PageSection, sections_for


@pytest.fixture
def isolated_registry(monkeypatch):
    monkeypatch.setattr(sections, "_sections", [])


def test_sections_for_keeps_page_order_and_skips_empty(isolated_registry):
    sections.register(PageSection("home", "b.html", lambda request: {"n": 2}, order=20))
    sections.register(PageSection("home", "a.html", lambda request: {"n": 1}, order=10))
    sections.register(PageSection("home", "none.html", lambda request: None, order=15))
    sections.register(PageSection("dashboard", "d.html", lambda request: {}, order=1))
    assert sections_for(RequestFactory().get("/"), page="home") == [
        {"template_name": "a.html", "n": 1},
        {"template_name": "b.html", "n": 2},
    ]


def test_sections_register_twice_keeps_one(isolated_registry):
    section = PageSection("home", "a.html", lambda request: {}, order=10)
    sections.register(section)
    sections.register(section)
    assert len(sections_for(RequestFactory().get("/"), page="home")) == 1
