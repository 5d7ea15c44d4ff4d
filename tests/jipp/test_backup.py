"""Backups: `manage.py backup` writes the database and the uploaded files; `manage.py restore` brings
them back onto a fresh database, where the same records and files are found (on the database the suite
runs on: SQLite, or PostgreSQL in CI)."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from innovations.models import Evidence, Innovation
from innovations.services.evidence import evidence_add
from tests.factories import UserFactory
from tests.innovations.factories_workflow import InnovationFactory, pdf_file

ROOT = Path(__file__).resolve().parents[2]
QUERIES = {
    "users": "SELECT username, email FROM jipp_user ORDER BY username",
    "records": "SELECT id, title, state FROM innovations_innovation ORDER BY id",
    "evidence": "SELECT id, file, size FROM innovations_evidence ORDER BY id",
}


def read(cursor) -> dict[str, list[tuple]]:
    found = {}
    for name, query in QUERIES.items():
        cursor.execute(query)
        found[name] = [tuple(row) for row in cursor.fetchall()]
    return found


def restore_elsewhere(folder: Path, database_url: str, media: Path) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media), DJANGO_SETTINGS_MODULE="jipp.settings")
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """(URL, opener) of a new, empty database of the suite's engine, dropped afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "restored.sqlite3"
        yield f"sqlite:///{path}", lambda: sqlite3.connect(path)
        return
    import psycopg2

    database = settings.DATABASES["default"]
    name = f"{database['NAME']}_restored"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    credentials = {
        "host": database["HOST"] or "127.0.0.1",
        "port": database["PORT"] or 5432,
        "user": database["USER"],
        "password": database["PASSWORD"],
    }
    user = f"{database['USER']}:{database['PASSWORD']}@" if database["PASSWORD"] else f"{database['USER']}@"
    url = f"postgres://{user}{credentials['host']}:{credentials['port']}/{name}"
    opened = []

    def opener():
        opened.append(psycopg2.connect(dbname=name, **credentials))
        return opened[-1]

    yield url, opener
    for link in opened:
        link.close()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def test_backup_restores_the_same_records_and_files_on_a_fresh_database(
    reference_data, operator, tmp_path, fresh_database
):
    UserFactory(username="cadangan", email="cadangan@example.go.id")
    draft = InnovationFactory(institution=operator.institution, title="Sipakatau Digital")
    evidence = evidence_add(innovation=draft, by=operator, upload=pdf_file("laporan.pdf"), caption="Laporan")
    with connection.cursor() as cursor:
        original = read(cursor)
    content = Path(evidence.file.path).read_bytes()

    folder = tmp_path / "backup"
    call_command("backup", str(folder), stdout=open(os.devnull, "w"))  # noqa: SIM115
    url, opener = fresh_database
    result = restore_elsewhere(folder, url, tmp_path / "restored-media")
    assert result.returncode == 0, result.stderr
    link = opener()
    restored = read(link.cursor())
    assert (
        restored,
        (tmp_path / "restored-media" / evidence.file.name).read_bytes() == content,
        (len(original["records"]), len(original["evidence"])),
    ) == (original, True, (Innovation.objects.count(), Evidence.objects.count()))


def test_backup_refuses_a_folder_that_is_not_empty(db, tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(CommandError, match="is not empty"):
        call_command("backup", str(tmp_path))


def test_restore_refuses_a_database_that_has_tables(db, tmp_path):
    manifest = {"format": 1, "engine": connection.vendor, "created_at": "2026-01-01", "migrations": {}, "files": {}}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", str(tmp_path))


def test_restore_refuses_a_damaged_backup(db, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.4 changed")
    files = {"media/a.pdf": {"size": 16, "sha256": "0" * 64}}
    manifest = {"format": 1, "engine": connection.vendor, "created_at": "2026-01-01", "migrations": {}, "files": files}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(tmp_path))
