"""The catalogue's PostgreSQL-only migrations (catalog/migrations)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_search_vector_kept_in_the_row_on_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("storage is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute WHERE attrelid = 'innovations_innovation'::regclass"
            " AND attname = 'search_vector'"
        )
        assert cursor.fetchone() == ("m",)
