"""Generated published records in bulk, for load benchmarks (`manage.py generate_innovations N`).

Realistic in shape, not in content: titles, sections and places are drawn from a pool of
sentences in the province's words, spread over every institution (so every region), years, stages,
kinds, forms, SDG goals and categories, with awards, evidence rows (no files behind them),
sustainability reports and replication chains. The search documents are written with the rows
(each pool sentence is analysed once, so a record's document is the union of its sentences'
roots: the same strings innovations.search would write) and the "did you mean" vocabulary is
rebuilt once at the end.

On PostgreSQL the rows go in with COPY (100,000 records with everything hanging on them in about
a minute); elsewhere with bulk_create, for the small numbers a test uses. Generated records are
recognised by their slug (ending in `-g<number>`) and removed with `remove_generated`.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import random
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from innovations.models import (
    SDG,
    SECTION_LIMITS,
    Award,
    BudgetSource,
    Category,
    Evidence,
    Form,
    GovernmentAffair,
    Initiator,
    Innovation,
    Kind,
    Replication,
    Stage,
    State,
    SustainabilityStatus,
    SustainabilityUpdate,
)
from innovations.search import DOCUMENT_FIELDS, roots
from jipp.models import Institution

from .services import search_vocabulary_rebuild

GENERATED_SLUG = re.compile(r"-g[0-9]+$")
# SQL LIKE of the same: PostgreSQL's regular expression operator would not use an index either.
GENERATED_SLUG_SQL = r"-g[0-9]+$"
CHUNK = 5_000

SERVICES = [
    "Pelayanan",
    "Sistem",
    "Aplikasi",
    "Gerakan",
    "Program",
    "Layanan",
    "Klinik",
    "Posko",
    "Sekolah",
    "Rumah",
]
TOPICS = [
    "Antrian Online Puskesmas",
    "Posyandu Keliling",
    "Air Bersih Desa",
    "Bank Sampah Sekolah",
    "Perizinan Satu Pintu",
    "Kependudukan Jemput Bola",
    "Pencegahan Stunting",
    "Ibu Hamil Risiko Tinggi",
    "Lansia Sehat Mandiri",
    "Pangan Lokal Bergizi",
    "Pasar Rakyat Digital",
    "Nelayan Sejahtera",
    "Irigasi Tersier Terpadu",
    "Perpustakaan Keliling",
    "Pajak Daerah Elektronik",
    "Beasiswa Anak Nelayan",
    "Tenun Sekomandi",
    "Kakao Berkelanjutan",
    "Mangrove Pesisir",
    "Ambulans Desa",
    "Kartu Sehat Keluarga",
    "Literasi Digital Desa",
    "Pengaduan Masyarakat Terpadu",
    "Data Desa Presisi",
    "Sanitasi Berbasis Masyarakat",
    "Vaksinasi Anak",
    "Pemadam Kebakaran Cepat",
    "Transportasi Sekolah Gratis",
    "Arsip Digital Kantor",
    "Kepegawaian Tanpa Kertas",
]
PLACES = ["Mamuju", "Majene", "Polewali", "Mamasa", "Pasangkayu", "Tobadak", "Tinambung", "Wonomulyo", "Kalukku"]
SENTENCES = [
    "Inovasi ini mempercepat pelayanan kesehatan bagi warga desa terpencil",
    "Antrian di puskesmas berkurang karena pasien mendaftar dari rumah",
    "Petugas posyandu mengunjungi ibu hamil dan balita setiap bulan",
    "Air bersih kini mengalir ke rumah warga melalui jaringan pipa desa",
    "Sampah plastik dipilah oleh siswa dan ditabung di bank sampah sekolah",
    "Perizinan usaha selesai dalam satu hari melalui layanan terpadu",
    "Petugas kependudukan datang ke desa untuk merekam data warga",
    "Angka stunting turun setelah pendampingan gizi keluarga berisiko",
    "Lansia mendapat pemeriksaan rutin dan senam bersama setiap pekan",
    "Pangan lokal seperti sagu dan jagung diolah menjadi makanan bergizi",
    "Pedagang pasar menerima pembayaran digital tanpa uang tunai",
    "Nelayan mendapat informasi cuaca dan harga ikan melalui pesan singkat",
    "Saluran irigasi diperbaiki bersama kelompok tani setempat",
    "Perpustakaan keliling membawa buku bacaan ke sekolah di pegunungan",
    "Wajib pajak membayar pajak daerah secara elektronik",
    "Anak nelayan memperoleh beasiswa untuk melanjutkan sekolah",
    "Penenun sekomandi dibina agar motif tradisional tetap lestari",
    "Petani kakao belajar teknik sambung samping untuk meningkatkan hasil",
    "Masyarakat pesisir menanam mangrove untuk menahan abrasi",
    "Ambulans desa siaga mengantar warga ke rumah sakit terdekat",
    "Data desa diperbarui setiap bulan oleh operator yang terlatih",
    "Pengaduan masyarakat dijawab dalam tiga hari kerja",
    "Kader kesehatan dilatih membaca grafik pertumbuhan anak",
    "Pemerintah desa mengalokasikan dana untuk keberlanjutan program",
    "Dinas terkait menyusun standar operasional prosedur yang jelas",
    "Kolaborasi dengan perguruan tinggi memperkuat evaluasi dampak",
    "Biaya pelayanan berkurang separuh dibanding cara lama",
    "Warga menilai layanan lebih cepat menurut survei kepuasan",
    "Inovasi telah direplikasi oleh kabupaten lain di Sulawesi Barat",
    "Tim pelaksana terdiri dari aparatur sipil negara dan relawan",
    "Aplikasi dapat dipakai tanpa sinyal internet yang kuat",
    "Sekolah menyediakan transportasi gratis bagi siswa dari dusun jauh",
    "Arsip kantor dipindai sehingga dokumen mudah ditemukan kembali",
    "Pelaporan kepegawaian dilakukan tanpa kertas",
    "Vaksinasi anak mencapai cakupan di atas sembilan puluh persen",
    "Kebakaran di permukiman padat ditangani lebih cepat",
    "Sanitasi berbasis masyarakat menghentikan buang air sembarangan",
    "Anggaran berasal dari APBD dan dana desa",
    "Pelatihan diberikan kepada petugas di setiap kecamatan",
    "Hasil pemantauan dilaporkan kepada bupati setiap triwulan",
]
# One record in a hundred carries this word: a selective search, as most real ones are.
RARE_WORD = "tenunsekomandi"
SECTION_SENTENCES = {"summary": (2, 4), "background": (2, 3), "implementation": (2, 4)}
OTHER_SENTENCES = (1, 2)
WEIGHTS = ("A", "B", "C", "D")


@dataclass
class Generated:
    records: int = 0
    awards: int = 0
    evidence: int = 0
    sustainability: int = 0
    replications: int = 0
    vocabulary: int = 0
    seconds: dict[str, float] = field(default_factory=dict)


def _analysed(texts: Sequence[str]) -> list[list[str]]:
    return [roots(text) for text in texts]


def _document(parts: Iterable[list[str]]) -> str:
    found = list(dict.fromkeys(root for part in parts for root in part))
    return f" {' '.join(found)} " if found else ""


class _Pool:
    """Every piece of text a record is made of, with its roots worked out once."""

    def __init__(self) -> None:
        self.sentences = [f"{sentence}." for sentence in SENTENCES]
        self.sentence_roots = _analysed(self.sentences)
        self.services_roots = _analysed(SERVICES)
        self.topics_roots = _analysed(TOPICS)
        self.places_roots = _analysed(PLACES)
        self.rare_roots = roots(RARE_WORD)


def _sections(rng: random.Random, pool: _Pool, rare: bool) -> tuple[dict[str, str], list[str], list[str]]:
    """The text sections of one record, and the roots of its summary and of its other sections."""
    values: dict[str, str] = {}
    summary_roots: list[list[str]] = []
    body_roots: list[list[str]] = []
    for name in SECTION_LIMITS:
        low, high = SECTION_SENTENCES.get(name, OTHER_SENTENCES)
        chosen = rng.sample(range(len(pool.sentences)), rng.randint(low, high))
        text = " ".join(pool.sentences[index] for index in chosen)
        parts = [pool.sentence_roots[index] for index in chosen]
        if name == "summary" and rare:
            text = f"{text} Motif {RARE_WORD} dipakai."
            parts = [*parts, roots(f"Motif {RARE_WORD} dipakai.")]
        values[name] = text[: SECTION_LIMITS[name]]
        (summary_roots if name == "summary" else body_roots).extend(parts)
    return values, [r for part in summary_roots for r in part], [r for part in body_roots for r in part]


def _weighted(rng: random.Random, choices: Sequence[Any], weights: Sequence[int]) -> Any:
    return rng.choices(choices, weights=weights, k=1)[0]


def _records(
    *, count: int, first_id: int, rng: random.Random, institutions: list[Institution], now: dt.datetime
) -> Iterator[dict[str, Any]]:
    pool = _Pool()
    place_roots = {
        institution.pk: roots(f"{institution.name} {institution.region.name}") for institution in institutions
    }
    stages, kinds, forms = list(Stage.values), list(Kind.values), list(Form.values)
    initiators, affairs = list(Initiator.values), list(GovernmentAffair.values)
    budget_sources, statuses = list(BudgetSource.values), ["", *SustainabilityStatus.values]
    for offset in range(count):
        pk = first_id + offset
        # Every institution (so every region) has at least one record; the rest at random.
        institution = institutions[offset] if offset < len(institutions) else rng.choice(institutions)
        service, topic, place = (rng.randrange(len(SERVICES)), rng.randrange(len(TOPICS)), rng.randrange(len(PLACES)))
        title = f"{SERVICES[service]} {TOPICS[topic]} {PLACES[place]}"
        sections, summary_roots, body_roots = _sections(rng, pool, rare=offset % 100 == 0)
        year = rng.randint(2015, 2026)
        trial = dt.date(year - 1, rng.randint(1, 12), 1)
        implementation = trial + dt.timedelta(days=rng.randint(60, 360))
        published = now - dt.timedelta(minutes=count - offset)
        title_roots = [*pool.services_roots[service], *pool.topics_roots[topic], *pool.places_roots[place]]
        yield {
            "id": pk,
            "created_at": published,
            "updated_at": published,
            "title": title,
            "slug": f"{slugify(title)[:200]}-g{pk}",
            "state": State.PUBLISHED,
            "unit": "",
            **sections,
            "stage": _weighted(rng, stages, (1, 2, 5)),
            "kind": _weighted(rng, kinds, (3, 2)),
            "form": _weighted(rng, forms, (2, 5, 1)),
            "initiator": rng.choice(initiators),
            "government_affair": rng.choice(affairs),
            "trial_date": trial,
            "implementation_date": implementation,
            "budget": rng.randint(5, 120) * 10_000_000,
            "budget_source": rng.choice(budget_sources),
            "video_url": "",
            "sustainability_status": _weighted(rng, statuses, (3, 4, 2, 1)),
            "submitted_at": published,
            "published_at": published,
            "created_by_id": None,
            "institution_id": institution.pk,
            "region_id": institution.region_id,
            "revision_of_id": None,
            "search_title": _document([title_roots]),
            "search_summary": _document([summary_roots]),
            "search_body": _document([body_roots]),
            "search_place": _document([place_roots[institution.pk]]),
        }


def search_vector_text(record: dict[str, Any]) -> str:
    """The search_vector the catalogue's trigger would compute from the four documents, as tsvector
    input: each root of a document with its position and the document's weight (setweight of
    to_tsvector('simple', ...) joined with ||, which shifts each part past the previous one)."""
    lexemes = []
    offset = 0
    for name, weight in zip(DOCUMENT_FIELDS, WEIGHTS, strict=True):
        found = record[name].split()
        lexemes.extend(f"'{root}':{offset + position}{weight}" for position, root in enumerate(found, start=1))
        offset += len(found)
    return " ".join(lexemes)


def _copy(table: str, columns: list[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY rows into `table` in chunks (PostgreSQL); None is NULL."""
    written = 0
    chunk: list[Sequence[Any]] = []

    def flush() -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        for row in chunk:
            writer.writerow(["\\N" if value is None else value for value in row])
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer
            )

    for row in rows:
        chunk.append(row)
        if len(chunk) == CHUNK:
            flush()
            written += len(chunk)
            chunk = []
    if chunk:
        flush()
        written += len(chunk)
    return written


def _reserve_ids(model: type, count: int) -> int:
    """The first of `count` consecutive ids for `model` (PostgreSQL: taken from its identity sequence)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
        ids = [row[0] for row in cursor.fetchall()]
    if ids != list(range(ids[0], ids[0] + count)):
        # Another writer took ids at the same time: move the sequence past both and start there.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(%s, (SELECT coalesce(max(id), 0) FROM {table}) + %s)",  # noqa: S608
                [sequence, count + 1],
            )
            return cursor.fetchone()[0] - count
    return ids[0]


def _write(model: type, rows: list[dict[str, Any]], *, postgres: bool) -> None:
    if not rows:
        return
    if postgres:
        columns = list(rows[0])
        _copy(model._meta.db_table, columns, ([row[name] for name in columns] for row in rows))
    else:
        model.objects.bulk_create([model(**row) for row in rows], batch_size=500)


def _timed(seconds: dict[str, float], name: str, function: Callable[[], Any]) -> Any:
    import time

    start = time.perf_counter()
    result = function()
    seconds[name] = round(time.perf_counter() - start, 2)
    return result


def generate_innovations(*, count: int, seed: int = 7) -> Generated:
    """Write `count` published records and what hangs on them; returns what was written and how long each part took."""
    rng = random.Random(seed)  # noqa: S311 (generated data, not secrets)
    postgres = connection.vendor == "postgresql"
    institutions = list(Institution.objects.filter(region__isnull=False).select_related("region").order_by("pk"))
    if not institutions:
        raise ValueError("No institution: load the reference data first (manage.py migrate; seed_demo).")
    sdgs = list(SDG.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    now = timezone.now()
    result = Generated(records=count)
    # Hundreds of thousands of small objects: the cyclic collector would walk them again and again.
    gc.disable()
    try:
        _generate(
            result,
            count=count,
            rng=rng,
            postgres=postgres,
            institutions=institutions,
            sdgs=sdgs,
            categories=categories,
            now=now,
        )
    finally:
        gc.enable()
    result.vocabulary = _timed(result.seconds, "vocabulary", search_vocabulary_rebuild)
    if postgres:
        _timed(result.seconds, "analyze", _analyze)
    from .freshness import catalog_changed

    catalog_changed()
    return result


def _generate(
    result: Generated,
    *,
    count: int,
    rng: random.Random,
    postgres: bool,
    institutions: list[Institution],
    sdgs: list[int],
    categories: list[int],
    now: dt.datetime,
) -> None:
    with transaction.atomic():
        first_id = _reserve_ids(Innovation, count) if postgres else _next_id(Innovation)
        records = _timed(
            result.seconds,
            "build",
            lambda: list(_records(count=count, first_id=first_id, rng=rng, institutions=institutions, now=now)),
        )
        _timed(result.seconds, "records", lambda: _write_records(records, postgres=postgres))
        ids = [record["id"] for record in records]
        owner = {record["id"]: record["institution_id"] for record in records}

        def related() -> None:
            links_sdg = [
                {"innovation_id": pk, "sdg_id": sdg} for pk in ids for sdg in rng.sample(sdgs, rng.randint(1, 3))
            ]
            _write(Innovation.sdgs.through, links_sdg, postgres=postgres)
            if categories:
                links_category = [
                    {"innovation_id": pk, "category_id": category}
                    for pk in ids
                    for category in rng.sample(categories, rng.randint(1, min(2, len(categories))))
                ]
                _write(Innovation.categories.through, links_category, postgres=postgres)
            awards = _awards(rng, ids, now)
            evidence = _evidence(rng, ids, now)
            reports = _sustainability(rng, ids, now)
            replications = _replications(rng, ids, owner, institutions, now)
            for model, rows in (
                (Award, awards),
                (Evidence, evidence),
                (SustainabilityUpdate, reports),
                (Replication, replications),
            ):
                _write(model, rows, postgres=postgres)
            result.awards, result.evidence = len(awards), len(evidence)
            result.sustainability, result.replications = len(reports), len(replications)

        _timed(result.seconds, "related", related)


def _next_id(model: type) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


# Indexes rebuilt once after a bulk load instead of updated row by row (GIN especially).
BULK_INDEXES = ("catalog_innovation_search_gin", "catalog_innovation_title_trgm")


def _index_definitions() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'innovations_innovation' "
            "AND indexname = ANY(%s)",
            [list(BULK_INDEXES)],
        )
        return list(cursor.fetchall())


def _write_records(records: list[dict[str, Any]], *, postgres: bool) -> None:
    if postgres:
        # The trigger would compute each vector again from the documents (half the time of the
        # COPY): write the same vector directly, with the trigger off for this transaction only.
        table = Innovation._meta.db_table
        with connection.cursor() as cursor:
            # ALTER TABLE refuses to run while deferred foreign-key checks are pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER catalog_innovation_search_vector")
        for record in records:
            record["search_vector"] = search_vector_text(record)
        indexes = _index_definitions() if len(records) >= 20_000 else []
        with connection.cursor() as cursor:
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {name}")
        _write(Innovation, records, postgres=True)
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER catalog_innovation_search_vector")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        return
    # bulk_create on SQLite: the search strings are fields like the others.
    Innovation.objects.bulk_create([Innovation(**record) for record in records], batch_size=200)


def _analyze() -> None:
    with connection.cursor() as cursor:
        for table in (
            "innovations_innovation",
            "innovations_innovation_sdgs",
            "innovations_innovation_categories",
            "innovations_award",
            "innovations_evidence",
            "innovations_sustainabilityupdate",
            "innovations_replication",
        ):
            cursor.execute(f"ANALYZE {table}")


def _awards(rng: random.Random, ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    ranks = [
        (Award.Competition.KIPP, Award.Rank.TOP_99),
        (Award.Competition.KIPP, Award.Rank.TOP_45),
        (Award.Competition.KIPP, Award.Rank.OUTSTANDING),
        (Award.Competition.PROVINCIAL, Award.Rank.PROVINCIAL),
        (Award.Competition.IGA, Award.Rank.IGA),
    ]
    rows = []
    for pk in ids:
        if rng.random() >= 0.04:
            continue
        competition, rank = rng.choice(ranks)
        rows.append(
            {
                "created_at": now,
                "updated_at": now,
                "year": rng.randint(2017, 2025),
                "competition": competition,
                "rank": rank,
                "note": "",
                "innovation_id": pk,
                "locked": False,
            }
        )
    return rows


def _evidence(rng: random.Random, ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for pk in ids:
        for kind, suffix, content_type in (
            (Evidence.Kind.DOCUMENT, "pdf", "application/pdf"),
            (Evidence.Kind.PHOTO, "jpg", "image/jpeg"),
        ):
            if kind == Evidence.Kind.PHOTO and rng.random() < 0.5:
                continue
            rows.append(
                {
                    "created_at": now,
                    "updated_at": now,
                    "kind": kind,
                    "file": f"evidence/generated-{pk}.{suffix}",
                    "preview": "",
                    "caption": "Dokumentasi pelaksanaan" if kind == Evidence.Kind.PHOTO else "Surat keputusan",
                    "original_name": f"bukti-{pk}.{suffix}",
                    "content_type": content_type,
                    "size": rng.randint(50_000, 2_000_000),
                    "uploaded_by_id": None,
                    "innovation_id": pk,
                }
            )
    return rows


def _sustainability(rng: random.Random, ids: list[int], now: dt.datetime) -> list[dict[str, Any]]:
    rows = []
    for pk in ids:
        if rng.random() >= 0.3:
            continue
        for year in range(2024, 2024 + rng.randint(1, 2)):
            status = _weighted(rng, list(SustainabilityStatus.values), (5, 3, 1))
            rows.append(
                {
                    "created_at": now,
                    "updated_at": now,
                    "year": year,
                    "status": status,
                    "reason": "Anggaran daerah berhenti" if status == SustainabilityStatus.STOPPED else "",
                    "innovation_id": pk,
                    "reported_by_id": None,
                }
            )
    return rows


def _replications(
    rng: random.Random, ids: list[int], owner: dict[int, int], institutions: list[Institution], now: dt.datetime
) -> list[dict[str, Any]]:
    """About one record in twenty replicated one to three times; a third of the replications name a
    replica record of the replicating institution, some of which are replicated in turn (chains)."""
    statuses = list(Replication.Status.values)
    used_replicas: set[int] = set()
    rows = []
    for pk in ids:
        if rng.random() >= 0.05:
            continue
        taken = {owner[pk]}
        for _ in range(rng.randint(1, 3)):
            replica = rng.choice(ids) if rng.random() < 0.35 else None
            if replica is not None and (replica == pk or replica in used_replicas or owner[replica] in taken):
                replica = None
            if replica is not None:
                institution_id = owner[replica]
                used_replicas.add(replica)
            else:
                institution_id = rng.choice(institutions).pk
                if institution_id in taken:
                    continue
            taken.add(institution_id)
            rows.append(
                {
                    "created_at": now,
                    "updated_at": now,
                    "status": _weighted(rng, statuses, (1, 1, 3, 4, 1)),
                    "scope": "",
                    "note": "",
                    "agreement_document": "",
                    "created_by_id": None,
                    "institution_id": institution_id,
                    "origin_id": pk,
                    "replica_id": replica,
                }
            )
    return rows


@transaction.atomic
def remove_generated() -> int:
    """Delete every generated record and what the generator hung on it; returns how many records.

    Without the ORM's collector (which would load and signal every row): a generated record that
    something else now refers to (a competition entry, an import) makes it fail, and nothing is removed.
    """
    generated = Innovation.objects.filter(slug__regex=GENERATED_SLUG_SQL).values("pk")
    count = generated.count()
    if not count:
        return 0
    Replication.objects.filter(replica__in=generated).update(replica=None)
    for queryset in (
        Replication.objects.filter(origin__in=generated),
        Innovation.sdgs.through.objects.filter(innovation__in=generated),
        Innovation.categories.through.objects.filter(innovation__in=generated),
        Award.objects.filter(innovation__in=generated),
        Evidence.objects.filter(innovation__in=generated),
        SustainabilityUpdate.objects.filter(innovation__in=generated),
    ):
        queryset._raw_delete(connection.alias)  # type: ignore[attr-defined]
    Innovation.objects.filter(slug__regex=GENERATED_SLUG_SQL)._raw_delete(connection.alias)  # type: ignore[attr-defined]
    search_vocabulary_rebuild()
    from .freshness import catalog_changed

    catalog_changed()
    return count
