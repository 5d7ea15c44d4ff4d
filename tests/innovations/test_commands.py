import pytest
from django.core.management import CommandError, call_command

from innovations.models import ImportBatch, Innovation
from tests.innovations.factories_network import import_csv, import_xlsx

pytestmark = pytest.mark.django_db


def write(tmp_path, content: bytes, name: str = "data.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_import_innovations_imports_file(tmp_path, institution, capsys):
    path = write(tmp_path, import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code}]))
    call_command("import_innovations", str(path))
    assert Innovation.objects.count() == 1


def test_import_innovations_uses_institution_option(tmp_path, institution):
    path = write(tmp_path, import_xlsx([{"judul": "Posyandu Digital"}]), name="data.xlsx")
    call_command("import_innovations", str(path), "--institution", institution.code)
    assert Innovation.objects.get().institution == institution


def test_import_innovations_bad_row_reports_row_and_column_in_indonesian(tmp_path, institution, capsys):
    path = write(tmp_path, import_csv([{"judul": "X", "kode_instansi": "tidak-ada"}]))
    with pytest.raises(CommandError):
        call_command("import_innovations", str(path))
    assert "baris 2, kolom kode_instansi" in capsys.readouterr().err


def test_import_innovations_bad_row_writes_nothing(tmp_path, institution):
    rows = [{"judul": "Baik", "kode_instansi": institution.code}, {"judul": "", "kode_instansi": institution.code}]
    with pytest.raises(CommandError):
        call_command("import_innovations", str(write(tmp_path, import_csv(rows))))
    assert Innovation.objects.count() == 0


def test_import_innovations_dry_run_writes_nothing(tmp_path, institution):
    path = write(tmp_path, import_csv([{"judul": "Posyandu Digital", "kode_instansi": institution.code}]))
    call_command("import_innovations", str(path), "--dry-run")
    assert (Innovation.objects.count(), ImportBatch.objects.get().dry_run) == (0, True)


def test_import_innovations_unknown_institution_option_fails(tmp_path, db):
    path = write(tmp_path, import_csv([{"judul": "X"}]))
    with pytest.raises(CommandError):
        call_command("import_innovations", str(path), "--institution", "tidak-ada")


def test_import_innovations_missing_file_fails(tmp_path, db):
    with pytest.raises(CommandError):
        call_command("import_innovations", str(tmp_path / "tidak-ada.csv"))
