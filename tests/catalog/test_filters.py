from catalog.filters import CatalogFilterSet


def sort_labels(data):
    return {value: str(label) for value, label in CatalogFilterSet(data).form.fields["sort"].choices}


def test_catalog_filter_sort_relevance_explains_itself_without_search():
    assert sort_labels({})["relevance"] == "Paling cocok saat mencari, selain itu terbaru"


def test_catalog_filter_sort_relevance_is_plain_when_searching():
    assert sort_labels({"q": "desa"})["relevance"] == "Relevansi"
