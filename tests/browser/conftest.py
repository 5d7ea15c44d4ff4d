import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import require_service

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        require_service(f"Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
        yield browser
        browser.close()
        # While Playwright's event loop runs, asgiref keeps the connections of the tests that ran after
        # the browser started apart from those opened before; left open, one keeps PostgreSQL from
        # dropping the test database at the end of the session.
        from django.db import connections

        connections.close_all()


@pytest.fixture
def page(browser, live_server, reference_data):
    """A fresh browser context; `page.foreign_requests` lists every request that left for another host."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    context.set_default_timeout(15_000)
    page = context.new_page()
    own_host = urlsplit(live_server.url).netloc
    page.foreign_requests = []

    def watch(request):
        netloc = urlsplit(request.url).netloc
        if request.url.startswith(("http://", "https://")) and netloc != own_host:
            page.foreign_requests.append(request.url)

    page.on("request", watch)
    yield page
    context.close()


@pytest.fixture
def demo_data(reference_data):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
