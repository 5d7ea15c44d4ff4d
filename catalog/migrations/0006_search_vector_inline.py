"""Keep each record's search_vector in its row (PostgreSQL's STORAGE MAIN) instead of TOAST.

A record's row carries its long texts, so PostgreSQL moved the vector (about 1.5 KB) out of line,
and a search's ranking, eight `@@` tests of the vector per match, fetched it from the TOAST table
eight times a row: 2.45 million buffer reads and 0.84 s for the first page of a common two-word
search at 100,000 records. With MAIN the other long columns leave the row first and the vector stays
in it: 0.09 s for the same page. Existing vectors are rewritten once (the search trigger is off for
that: the vector is the same, only where it is kept changes).
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("ALTER TABLE innovations_innovation ALTER COLUMN search_vector SET STORAGE MAIN")
    schema_editor.execute("ALTER TABLE innovations_innovation DISABLE TRIGGER catalog_innovation_search_vector")
    # `|| ''` makes a new value, so each vector is stored anew under MAIN (an unchanged one keeps its TOAST copy).
    schema_editor.execute(
        "UPDATE innovations_innovation SET search_vector = search_vector || ''::tsvector WHERE search_vector IS NOT NULL"
    )
    schema_editor.execute("ALTER TABLE innovations_innovation ENABLE TRIGGER catalog_innovation_search_vector")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE innovations_innovation ALTER COLUMN search_vector SET STORAGE EXTENDED")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_public_indexes")]

    operations = [migrations.RunPython(forward, backward, elidable=True)]
