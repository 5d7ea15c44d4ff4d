"""manage.py restore <folder>: a backup onto a fresh, empty database and MEDIA_ROOT (jipp/backups.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jipp.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a folder written by `backup` onto a fresh, empty database and into MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a folder written by `manage.py backup`")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            manifest = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored the backup of {manifest['created_at']} from {folder}.")
