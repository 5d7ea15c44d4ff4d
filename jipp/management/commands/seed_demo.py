import importlib
import random
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Load deterministic demo data (regions, institutions, one user per role, and each app's data)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024, help="Random seed; the same seed gives the same data.")

    def handle(self, *args, seed: int, **options):
        if not (settings.DEBUG or settings.EMBEDDED):
            raise CommandError(
                "seed_demo creates accounts with published passwords: it runs only with DEBUG on "
                "or in the embedded profile."
            )
        self.stdout.write(f"Seeding demo data (seed {seed})")
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if config.name.startswith("django.") or find_spec(module_name) is None:
                    continue
                # Each app gets its own generator so that adding data to one app leaves the others unchanged.
                importlib.import_module(module_name).seed(
                    rng=random.Random(f"{seed}:{config.label}"), stdout=self.stdout
                )
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
