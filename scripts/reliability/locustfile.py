"""The visitors of the load test (scripts/reliability/load.py, `make load`): people reading the public
pages and programs reading the open-data API, each waiting a few seconds between requests.

LOAD_SLUGS (a file of published slugs, one a line), LOAD_REGIONS (BPS codes, comma-separated) and
LOAD_WAIT ("min,max" seconds between two requests of one client) come from load.py.
"""

# ruff: noqa: S311 (random picks of pages to visit, no secret)
from __future__ import annotations

import os
import random
from pathlib import Path

from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

SLUGS = Path(os.environ["LOAD_SLUGS"]).read_text().split()
REGIONS = os.environ["LOAD_REGIONS"].split(",")
SEARCHES = ["pelayanan+kesehatan", "desa", "digital", "stunting", "sekolah", "kesehtan"]
WAIT = [float(value) for value in os.environ.get("LOAD_WAIT", "1,5").split(",")]


class Visitor(FastHttpUser):
    wait_time = between(*WAIT)

    def page(self, path: str, name: str) -> None:
        # Locust counts a status of 400 or more, or a failed connection, as a failure.
        self.client.get(path, name=name, headers={"Accept-Language": "id"})

    @task(4)
    def home(self) -> None:
        self.page("/", "home")

    @task(4)
    def catalogue(self) -> None:
        self.page(f"/inovasi/?page={random.randint(1, 20)}", "catalogue")

    @task(2)
    def search(self) -> None:
        self.page(f"/inovasi/?q={random.choice(SEARCHES)}", "catalogue, search")

    @task(2)
    def filters(self) -> None:
        stage = random.choice(["inisiatif", "uji_coba", "penerapan"])
        self.page(
            f"/inovasi/?region={random.choice(REGIONS)}&year={random.randint(2014, 2026)}&stage={stage}",
            "catalogue, three filters",
        )

    @task(6)
    def detail(self) -> None:
        self.page(f"/inovasi/{random.choice(SLUGS)}/", "detail")

    @task(1)
    def statistics(self) -> None:
        self.page("/statistik/", "statistics")

    @task(2)
    def api_list(self) -> None:
        self.page(f"/api/v1/innovations/?page={random.randint(1, 20)}", "API list")

    @task(1)
    def api_search(self) -> None:
        self.page(f"/api/v1/innovations/?search={random.choice(SEARCHES)}", "API search")

    @task(1)
    def feed(self) -> None:
        self.page("/inovasi/feed/", "Atom feed")
