"""Indexes of the public set (published, not a pending change) for the pages at 100,000 records.

PostgreSQL only, each partial on the public set:
- the newest-first order of the catalogue, the feed and the home page (`published_at DESC NULLS
  LAST, id DESC`: the ORM's order, which the older (state, published_at DESC) index cannot give);
- the title order;
- a narrow covering index of every column a facet or a statistic groups by, so that those counts
  read a few megabytes of index instead of the whole table (index-only scans);
- a trigram GiST index on the title: "similar records" on the detail page take the nearest titles
  from it (`<->`, ordered by the index) instead of comparing every published row.
"""

from django.db import migrations

PUBLIC = "WHERE state = 'published' AND revision_of_id IS NULL"
INDEXES = {
    "catalog_public_newest": f"(published_at DESC NULLS LAST, id DESC) {PUBLIC}",
    "catalog_public_title": f"(title, id) {PUBLIC}",
    "catalog_public_facets": (
        "(region_id, stage, kind, form, sustainability_status, implementation_date, institution_id, id) " + PUBLIC
    ),
    "catalog_public_title_gist": f"USING gist (title gist_trgm_ops) {PUBLIC}",
}


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, definition in INDEXES.items():
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON innovations_innovation {definition}")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0004_catalog_version"), ("innovations", "0007_award_locked")]

    operations = [migrations.RunPython(forward, backward)]
