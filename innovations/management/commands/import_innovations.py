import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from innovations.models import ImportBatch
from innovations.services.imports import MAX_FILE_BYTES, error_message, import_batch_create, import_batch_run
from jipp.models import Institution

# Imports that write run one at a time; this one asks again this often while another is written.
WAIT_SECONDS = 2


class Command(BaseCommand):
    help = "Import innovation records from a CSV or XLSX file in the template of docs/import.md (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--institution", help="Code of the institution for rows without kode_instansi.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row; write nothing.")
        parser.add_argument("--lang", choices=["id", "en"], default="id", help="Language of the messages.")

    def handle(self, *args, file: Path, institution: str | None, dry_run: bool, lang: str, **options):
        with translation.override(lang):
            self._import(file, institution, dry_run)

    def _import(self, file: Path, institution_code: str | None, dry_run: bool) -> None:
        from django.utils.translation import gettext as _

        if not file.is_file():
            raise CommandError(_("The file %(name)s does not exist.") % {"name": file})
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(_("The file is larger than 5 MB."))
        institution = None
        if institution_code:
            institution = Institution.objects.filter(code=institution_code).first()
            if institution is None:
                raise CommandError(
                    _("There is no institution with the code “%(value)s”.") % {"value": institution_code}
                )
        batch = import_batch_create(
            name=file.name, content=file.read_bytes(), by=None, institution=institution, dry_run=dry_run
        )
        batch = import_batch_run(batch_id=batch.pk)
        if batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
            self.stdout.write(_("Another import is being written; this one starts when it has finished."))
        while batch.status in (ImportBatch.Status.PENDING, ImportBatch.Status.RUNNING):
            time.sleep(WAIT_SECONDS)
            batch = import_batch_run(batch_id=batch.pk)
        if batch.status != ImportBatch.Status.DONE:
            for error in batch.errors:
                where = (
                    _("row %(row)s, column %(column)s: ") % {"row": error["row"], "column": error["column"]}
                    if error.get("row")
                    else ""
                )
                self.stderr.write(f"{where}{error_message(error)}")
            raise CommandError(_("Nothing was imported: %(count)s problem(s).") % {"count": len(batch.errors)})
        if batch.dry_run:
            message = _("Check passed: %(created)s record(s) would be imported, %(skipped)s already exist.")
        else:
            message = _("Imported %(created)s record(s); %(skipped)s already existed and were skipped.")
        self.stdout.write(
            self.style.SUCCESS(message % {"created": batch.created_count, "skipped": batch.skipped_count})
        )
