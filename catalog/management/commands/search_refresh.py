from django.core.management.base import BaseCommand

from catalog.services import search_vocabulary_rebuild
from innovations.models import Innovation
from innovations.services.search import innovations_search_refresh


class Command(BaseCommand):
    help = (
        "Rewrite the search documents of the records and rebuild the vocabulary of 'did you mean': after "
        "records were written in bulk (bulk_create, SQL) or the text analysis changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Only records without a search document (much faster)."
        )

    def handle(self, *args, missing: bool, **options):
        records = Innovation.objects.filter(search_title="") if missing else Innovation.objects.all()
        count = innovations_search_refresh(queryset=records)
        words = search_vocabulary_rebuild()
        self.stdout.write(f"Search documents of {count} records rewritten; {words} words to suggest.")
