"""Full-text search of innovation records on PostgreSQL (nothing happens on SQLite).

- `jipp_indonesian`: the built-in `indonesian` configuration with unaccent before the stemmer, so
  "kesehatan" and "kesehátan" meet and accents in a query do not matter.
- A trigger keeps Innovation.search_vector current on every insert and update, weighted: title A,
  summary B, background/goals/novelty/implementation/significance C, the rest D.
- A GIN index on the vector and a trigram GIN index on the title (typo-tolerant title search).
"""

from django.db import migrations

FORWARD = """
CREATE TEXT SEARCH CONFIGURATION jipp_indonesian (COPY = pg_catalog.indonesian);
ALTER TEXT SEARCH CONFIGURATION jipp_indonesian
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, indonesian_stem;

CREATE FUNCTION catalog_innovation_search_vector() RETURNS trigger AS $$
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

CREATE TRIGGER catalog_innovation_search_vector
    BEFORE INSERT OR UPDATE ON innovations_innovation
    FOR EACH ROW EXECUTE FUNCTION catalog_innovation_search_vector();

CREATE INDEX catalog_innovation_search_gin ON innovations_innovation USING GIN (search_vector);
CREATE INDEX catalog_innovation_title_trgm ON innovations_innovation USING GIN (title gin_trgm_ops);

-- Fill the vector of the records that exist already (the trigger does the work).
UPDATE innovations_innovation SET title = title;
"""

BACKWARD = """
DROP INDEX IF EXISTS catalog_innovation_title_trgm;
DROP INDEX IF EXISTS catalog_innovation_search_gin;
DROP TRIGGER IF EXISTS catalog_innovation_search_vector ON innovations_innovation;
DROP FUNCTION IF EXISTS catalog_innovation_search_vector();
DROP TEXT SEARCH CONFIGURATION IF EXISTS jipp_indonesian;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("innovations", "0003_postgres_extensions")]

    operations = [migrations.RunPython(forward, backward)]
