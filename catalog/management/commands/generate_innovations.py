from django.core.management.base import BaseCommand, CommandError

from catalog.generate import generate_innovations, remove_generated


class Command(BaseCommand):
    help = (
        "Write N generated published records in bulk (with SDGs, categories, awards, evidence rows, "
        "sustainability reports, replication chains and search data), for load benchmarks. "
        "Refused outside DEBUG or the embedded profile unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many records to write (0: only remove).")
        parser.add_argument("--replace", action="store_true", help="Remove the generated records first.")
        parser.add_argument("--seed", type=int, default=7, help="Random seed; the same seed gives the same records.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off (a benchmark database).")

    def handle(self, *args, count: int, replace: bool, seed: int, force: bool, **options):
        from django.conf import settings

        if not (settings.DEBUG or settings.EMBEDDED or force):
            raise CommandError("generate_innovations writes fake public records: DEBUG, embedded profile or --force.")
        if count < 0:
            raise CommandError("The count must be 0 or more.")
        if replace:
            removed = remove_generated()
            self.stdout.write(f"Removed {removed} generated records.")
        if not count:
            return
        result = generate_innovations(count=count, seed=seed)
        total = sum(result.seconds.values())
        self.stdout.write(
            f"{result.records} published records, {result.awards} awards, {result.evidence} evidence rows, "
            f"{result.sustainability} sustainability reports, {result.replications} replications, "
            f"{result.vocabulary} words to suggest in {total:.1f} s ({result.seconds})"
        )
