"""axe-core in a Playwright page: the serious and critical violations, for the browser tests that
check a page in a state of its own (the every-page test checks each page as it first loads)."""

from axe_playwright_python.sync_playwright import Axe


def serious_violations(page, context: str | None = None) -> list[tuple]:
    """(rule, impact, first targets) of each serious or critical violation in the page, or in the
    part of it that the `context` selector names."""
    results = Axe().run(page, context=context) if context else Axe().run(page)
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]][:3])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]
