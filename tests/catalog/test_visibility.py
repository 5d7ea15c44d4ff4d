"""Nothing unpublished is reachable through any public channel."""

import pytest
from django.urls import reverse

from catalog.selectors import catalog_facets, catalog_headline_figures
from innovations.models import Replication
from tests.catalog.factories import InnovationFactory, ReplicationFactory, hidden_records
from tests.factories import InstitutionFactory, regency

pytestmark = pytest.mark.django_db

WORD = "Zyxwiqrahasia"


@pytest.fixture
def hidden():
    return hidden_records(word=WORD)


def test_hidden_records_not_in_catalogue_list(client, hidden):
    response = client.get(reverse("catalog:list"))
    assert (WORD in response.text, response.context["page_obj"].paginator.count) == (False, 1)


def test_hidden_records_not_found_by_search(client, hidden):
    response = client.get(reverse("catalog:list"), {"q": WORD})
    assert response.context["page_obj"].paginator.count == 0


def test_hidden_records_not_in_facet_counts(hidden):
    facets = catalog_facets(values={})
    assert sum(option.count for option in facets.options["stage"]) == 1


def test_hidden_records_detail_pages_are_not_found(client, hidden):
    statuses = {client.get(record.get_absolute_url()).status_code for record in hidden}
    assert statuses == {404}


def test_hidden_records_pdf_is_not_found(client, hidden):
    statuses = {client.get(reverse("catalog:detail_pdf", kwargs={"slug": r.slug})).status_code for r in hidden}
    assert statuses == {404}


def test_hidden_records_not_in_api_list(client, hidden):
    body = client.get("/api/v1/innovations/").json()
    assert (body["count"], WORD in str(body)) == (1, False)


def test_hidden_records_not_in_api_search(client, hidden):
    assert client.get("/api/v1/innovations/", {"search": WORD}).json()["count"] == 0


def test_hidden_records_not_in_api_detail(client, hidden):
    statuses = {client.get(f"/api/v1/innovations/{record.slug}/").status_code for record in hidden}
    assert statuses == {404}


def test_hidden_records_not_in_csv(client, hidden):
    response = client.get("/api/v1/innovations/", {"format": "csv"})
    assert WORD not in response.content.decode()


def test_hidden_records_not_in_feed(client, hidden):
    assert WORD not in client.get(reverse("catalog:feed")).content.decode()


def test_hidden_records_not_in_sitemap(client, hidden):
    text = client.get("/sitemap.xml").content.decode()
    assert [record.slug for record in hidden if record.slug in text] == []


def test_hidden_records_not_in_statistics(client, hidden):
    response = client.get(reverse("catalog:statistics"))
    bars = {bar.label: bar.value for bar in response.context["charts"][0]["chart"].bars}
    assert (bars["Majene"], response.context["figures"].innovations) == (1, 1)


def test_hidden_records_not_in_statistics_csv(client, hidden):
    text = client.get(reverse("catalog:statistics_csv", kwargs={"chart": "regency"})).content.decode()
    assert "Majene,1" in text.splitlines()


def test_hidden_records_not_on_home_page(client, hidden):
    assert WORD not in client.get(reverse("home")).content.decode()


def test_hidden_records_not_in_institution_counts(client, hidden):
    body = client.get("/api/v1/institutions/", {"page_size": 100}).json()
    assert sum(item["innovation_count"] for item in body["results"]) == 1


def test_hidden_records_not_suggested_as_similar(client, hidden):
    published = InnovationFactory(title=f"Terbit {WORD}")
    viewed = InnovationFactory(title=f"{WORD} dilihat")
    response = client.get(viewed.get_absolute_url())
    assert [item.title for item in response.context["similar"]] == [published.title]


def test_replication_of_unpublished_origin_not_counted(hidden):
    ReplicationFactory(origin=hidden[0], status=Replication.Status.IMPLEMENTED)
    assert catalog_headline_figures().replications == 0


def test_unpublished_replica_shown_without_link(client):
    origin = InnovationFactory(title="Asal")
    draft_replica = InnovationFactory(
        title=f"Replika {WORD}", state="draft", institution=InstitutionFactory(region=regency("Mamasa"))
    )
    ReplicationFactory(origin=origin, institution=draft_replica.institution, replica=draft_replica)
    text = client.get(origin.get_absolute_url()).content.decode()
    assert (WORD in text, draft_replica.institution.name in text) == (False, True)
