"""Backups of the portal: the database (pg_dump on PostgreSQL, SQLite's online backup API) and the
uploaded files under MEDIA_ROOT, in one folder with a manifest; and their restoration onto a fresh
database. Used by `manage.py backup` and `manage.py restore` (README: "Backups").

A backup folder holds:
- database.dump (PostgreSQL, pg_dump's custom format: one consistent snapshot) or database.sqlite3;
- media/: a copy of MEDIA_ROOT, taken after the database, so that every file a row of the dump names
  is there (a file added meanwhile is copied too and is harmless);
- manifest.json: when, which engine, the last migration of each app, and the size and SHA-256 of
  every file, checked before anything is restored.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess  # pg_dump and pg_restore, with argument lists, never a shell
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = 1
MANIFEST = "manifest.json"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _postgres_environment() -> tuple[dict[str, str], str]:
    """pg_dump's and pg_restore's environment (the password never on a command line) and database."""
    database = settings.DATABASES["default"]
    environment = dict(os.environ)
    for variable, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD")):
        if database.get(key):
            environment[variable] = str(database[key])
    return environment, str(database["NAME"])


def _run(arguments: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=environment, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{arguments[0]} failed: {result.stderr.strip()}")


def _migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in MigrationRecorder(connection).migration_qs.order_by("app", "name").values_list("app", "name"):
        latest[app] = name
    return latest


def backup(folder: Path) -> dict[str, Any]:
    """Write a backup into `folder` (created; it must not hold a backup already). Returns the manifest."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give each backup a folder of its own.")
    engine = connection.vendor
    if engine == "postgresql":
        environment, name = _postgres_environment()
        target = folder / POSTGRES_DUMP
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", name], environment)
    elif engine == "sqlite":
        target = folder / SQLITE_COPY
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent copy, even while others write
        finally:
            copy.close()
    else:
        raise BackupError(f"No backup for the {engine} database.")
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.is_dir():
        shutil.copytree(media_root, folder / MEDIA, symlinks=False)
    else:
        (folder / MEDIA).mkdir()
    files = {
        str(path.relative_to(folder)): {"size": path.stat().st_size, "sha256": _sha256(path)}
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "migrations": _migrations(),
        "files": files,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return manifest


def _verified_manifest(folder: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} holds no readable {MANIFEST}: {error}") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != expected["size"] or _sha256(path) != expected["sha256"]:
            raise BackupError(f"{name} is missing or differs from the manifest: the backup is damaged.")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def restore(folder: Path) -> dict[str, Any]:
    """Bring back the backup in `folder` onto the configured database, which must be fresh (no
    table at all), and its files into MEDIA_ROOT. Returns the manifest."""
    manifest = _verified_manifest(folder)
    engine = connection.vendor
    if manifest["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['engine']} database, not {engine}.")
    if not _database_is_empty():
        raise BackupError(
            "The database already has tables: restore only onto a fresh, empty database "
            "(PostgreSQL: createdb; SQLite: a new file), then point DATABASE_URL at it."
        )
    if engine == "postgresql":
        environment, name = _postgres_environment()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={name}",
                str(folder / POSTGRES_DUMP),
            ],
            environment,
        )
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    connection.close()  # the next query sees the restored schema
    media_root = Path(settings.MEDIA_ROOT)
    shutil.copytree(folder / MEDIA, media_root, dirs_exist_ok=True)
    return manifest
