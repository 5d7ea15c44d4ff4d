import pytest

from tests.catalog.html import select, select_one, text

pytestmark = pytest.mark.django_db

DOCS = ["/api/docs/", "/api/redoc/"]


def external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


@pytest.mark.parametrize("path", DOCS)
def test_api_docs_reference_no_external_host(client, path):
    html = client.get(path).text
    urls = [element.get(name) for name in ("src", "href") for element in select(html, f"[{name}]")]
    assert ([url for url in urls if external(url)], "fonts.googleapis" in html) == ([], False)


@pytest.mark.parametrize("path", DOCS)
def test_api_docs_have_the_site_header_with_a_way_back(client, path):
    html = client.get(path).text
    header = select_one(html, "header.api-docs-header")
    links = {link.get("href") for link in select(header, "a")}
    assert {"/", "/api/docs/", "/api/redoc/", "/api/schema/"} <= links


@pytest.mark.parametrize("path", DOCS)
def test_api_docs_mark_the_current_view(client, path):
    current = select_one(client.get(path).text, "header.api-docs-header a[aria-current=page]")
    assert current.get("href") == path


@pytest.mark.parametrize("path", DOCS)
def test_api_docs_declare_their_language(client, path):
    html = client.get(path).text
    assert (select_one(html, "html").get("lang"), text(select_one(html, "title")) != "") == ("en", True)
