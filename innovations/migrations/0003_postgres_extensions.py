from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    """pg_trgm (similar titles, typo-tolerant search) and unaccent; both are no-ops on SQLite."""

    dependencies = [("innovations", "0002_reference_data")]

    operations = [TrigramExtension(), UnaccentExtension()]
