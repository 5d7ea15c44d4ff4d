"""manage.py backup <folder>: the database and the uploaded files, with a manifest (jipp/backups.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jipp.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database (pg_dump or SQLite's backup API) and MEDIA_ROOT into a new folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path, help="a new or empty folder")

    def handle(self, *args: Any, folder: Path, **options: Any) -> None:
        try:
            manifest = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from error
        size = sum(entry["size"] for entry in manifest["files"].values())
        self.stdout.write(
            f"Backed up the {manifest['engine']} database and {len(manifest['files']) - 1} files "
            f"({size} bytes) into {folder}."
        )
