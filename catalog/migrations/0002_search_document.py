"""Search on the stemmed document of each record, the same on PostgreSQL and SQLite.

The services write a record's roots (innovations.search) into search_title, search_summary,
search_body and search_place. On PostgreSQL the trigger now builds search_vector from those with
the 'simple' configuration (no second stemmer), weighted A to D, and only when they change.
Existing records get their document here.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION catalog_innovation_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', NEW.search_title), 'A')
        || setweight(to_tsvector('simple', NEW.search_summary), 'B')
        || setweight(to_tsvector('simple', NEW.search_body), 'C')
        || setweight(to_tsvector('simple', NEW.search_place), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER catalog_innovation_search_vector ON innovations_innovation;
CREATE TRIGGER catalog_innovation_search_vector
    BEFORE INSERT OR UPDATE OF search_title, search_summary, search_body, search_place
    ON innovations_innovation
    FOR EACH ROW EXECUTE FUNCTION catalog_innovation_search_vector();
"""

BACKWARD = """
CREATE OR REPLACE FUNCTION catalog_innovation_search_vector() RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('jipp_indonesian', coalesce(NEW.title, '')), 'A')
        || setweight(to_tsvector('jipp_indonesian', coalesce(NEW.summary, '')), 'B')
        || setweight(to_tsvector('jipp_indonesian', concat_ws(' ',
            NEW.background, NEW.goals, NEW.novelty, NEW.implementation, NEW.significance)), 'C')
        || setweight(to_tsvector('jipp_indonesian', concat_ws(' ',
            NEW.adaptability, NEW.resources, NEW.sustainability, NEW.collaboration, NEW.unit)), 'D');
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

DROP TRIGGER catalog_innovation_search_vector ON innovations_innovation;
CREATE TRIGGER catalog_innovation_search_vector
    BEFORE INSERT OR UPDATE ON innovations_innovation
    FOR EACH ROW EXECUTE FUNCTION catalog_innovation_search_vector();
UPDATE innovations_innovation SET title = title;
"""


def trigger_forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def trigger_backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


def fill_documents(apps, schema_editor):
    from innovations.search import DOCUMENT_FIELDS, fill_search_document

    Innovation = apps.get_model("innovations", "Innovation")
    batch = []
    for innovation in Innovation.objects.select_related("institution", "region").iterator(chunk_size=500):
        fill_search_document(innovation)
        batch.append(innovation)
        if len(batch) == 500:
            Innovation.objects.bulk_update(batch, list(DOCUMENT_FIELDS))
            batch = []
    Innovation.objects.bulk_update(batch, list(DOCUMENT_FIELDS))


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_search"),
        ("innovations", "0005_innovation_search_document"),
    ]

    operations = [
        migrations.RunPython(trigger_forward, trigger_backward),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
    ]
