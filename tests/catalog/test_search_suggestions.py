"""Typo tolerance: "did you mean" from the words of the published records, the same on both databases."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from catalog import signals
from catalog.models import SearchWord
from catalog.selectors import catalog_suggestion, search_suggestion
from catalog.services import search_vocabulary_rebuild
from innovations.models import State
from innovations.services.workflow import innovation_archive, innovation_publish
from jipp.models import Role
from tests.catalog.factories import InnovationFactory
from tests.factories import InstitutionFactory, regency, user_with_role
from tests.innovations.factories_workflow import SubmittedInnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def health_records():
    InnovationFactory(title="Pelayanan Kesehatan Ibu", summary="Kunjungan rumah oleh bidan.")
    InnovationFactory(title="Layanan Kesehatan Keliling", summary="Mobil puskesmas di desa.")
    InnovationFactory(title="Bank Sampah", summary="Tabungan dari sampah plastik.")
    search_vocabulary_rebuild()


def test_vocabulary_counts_the_published_records_holding_each_word(health_records):
    InnovationFactory(title="Kesehatan Draf", state=State.DRAFT, published_at=None)
    search_vocabulary_rebuild()
    counts = dict(SearchWord.objects.filter(word__in=["kesehatan", "sampah", "draf"]).values_list("word", "count"))
    assert counts == {"kesehatan": 2, "sampah": 1}


def test_vocabulary_keeps_roots_and_leaves_out_short_words_and_numbers():
    InnovationFactory(title="Pelayanan KB 2023", summary="")
    search_vocabulary_rebuild()
    assert dict(SearchWord.objects.filter(word__startswith="pela").values_list("word", "root")) == {
        "pelayanan": "layan"
    }
    assert SearchWord.objects.filter(word__in=["kb", "2023"]).count() == 0


def test_suggestion_replaces_a_misspelt_word(health_records):
    assert search_suggestion("kesehtan") == "kesehatan"


def test_suggestion_keeps_the_other_words_as_typed(health_records):
    assert search_suggestion("Pelayanan di kesehtan!") == "Pelayanan di kesehatan!"


def test_suggestion_none_for_a_form_of_a_known_root(health_records):
    # "melayani" is not in the vocabulary, but its root "layan" is: search finds it, nothing to correct.
    assert search_suggestion("melayani kesehatan") is None


def test_suggestion_none_when_nothing_is_close(health_records):
    assert search_suggestion("zxqwv") is None


def test_suggestion_prefers_the_word_more_records_hold():
    InnovationFactory(title="Pasar Desa", summary="")
    InnovationFactory(title="Pasar Ikan", summary="")
    InnovationFactory(title="Pajar", summary="")
    search_vocabulary_rebuild()
    assert search_suggestion("pasbr") == "pasar"


def test_suggestion_for_a_region_name():
    InnovationFactory(title="Program", institution=InstitutionFactory(region=regency("Pasangkayu")))
    search_vocabulary_rebuild()
    assert search_suggestion("pasangkyu") == "pasangkayu"


def test_catalog_suggestion_counts_what_the_correction_finds_with_the_filters(health_records):
    assert catalog_suggestion(values={"q": "kesehtan"}) == catalog_suggestion(values={"q": "kesehtan", "stage": ""})
    suggestion = catalog_suggestion(values={"q": "kesehtan"})
    assert (suggestion.query, suggestion.count) == ("kesehatan", 2)
    assert catalog_suggestion(values={"q": "kesehtan", "stage": "uji_coba"}) is None


def test_catalog_suggestion_only_when_the_correction_finds_more():
    InnovationFactory(title="Tambang Rakyat", implementation="Penambangan pasir sungai.")
    InnovationFactory(title="Sampah Pasar")
    search_vocabulary_rebuild()
    # "pasir" is only in a long section, so not in the vocabulary, yet the search as typed is right.
    assert search_suggestion("pasir") == "pasar"
    assert catalog_suggestion(values={"q": "pasir"}, found=1) is None


# Transactional: the rebuild runs after the service's commit, as it does in production (eager Celery here).
def test_publish_rebuilds_the_vocabulary(reference_data):
    hub_admin = user_with_role(Role.HUB_ADMIN, username="hub")
    innovation_publish(innovation=SubmittedInnovationFactory(title="Irigasi Tetes"), by=hub_admin)
    assert search_suggestion("irigsi") == "irigasi"


def test_import_rebuilds_the_vocabulary(reference_data):
    from innovations.services.imports import import_batch_create, import_batch_run, template_csv

    institution = InstitutionFactory(code="majene-disdukcapil")
    batch = import_batch_create(name="data.csv", content=template_csv(), by=None, institution=institution)
    import_batch_run(batch_id=batch.pk)
    assert search_suggestion("jemptu") == "jemput"


def test_archive_rebuilds_the_vocabulary(reference_data):
    hub_admin = user_with_role(Role.HUB_ADMIN, username="hub")
    record = InnovationFactory(title="Irigasi Tetes")
    InnovationFactory(title="Irigasi Sawah")
    assert SearchWord.objects.get(word="tetes").count == 1
    innovation_archive(innovation=record, by=hub_admin)
    assert (SearchWord.objects.filter(word="tetes").exists(), SearchWord.objects.get(word="irigasi").count) == (
        False,
        1,
    )


def test_one_rebuild_per_transaction_however_many_records_it_publishes(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        InnovationFactory()
        InnovationFactory()
    assert callbacks.count(signals._rebuild_vocabulary) == 1


def test_search_refresh_command_rebuilds_documents_and_vocabulary():
    record = InnovationFactory(title="Irigasi Tetes")
    type(record).objects.filter(pk=record.pk).update(search_title="")
    call_command("search_refresh", "--missing", stdout=StringIO())
    assert (search_suggestion("irigsi"), type(record).objects.get(pk=record.pk).search_title) == (
        "irigasi",
        " irigasi tetes ",
    )


def test_catalog_page_offers_the_corrected_search(client, health_records):
    with translation.override("en"):
        response = client.get("/en/inovasi/", {"q": "kesehtan"})
    suggestion = response.context["suggestion"]
    assert (suggestion.query, suggestion.count, response.context["suggestion_url"]) == (
        "kesehatan",
        2,
        "/en/inovasi/?q=kesehatan",
    )
    assert 'href="/en/inovasi/?q=kesehatan"' in response.content.decode()
