"""Search quality on a fixed set of records and queries, the same on SQLite and PostgreSQL.

Each case names the records a query must find (all of them, nothing else) and, where the order is
clear, the record that must come first. `measure` sums the cases up; docs/benchmarks.md keeps the
figures before and after the stemmed search.
"""

from dataclasses import dataclass

import pytest

from catalog.selectors import catalog_innovations
from jipp.models import Region
from tests.catalog.factories import InnovationFactory
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db

# key: (title, summary, other sections, institution, region)
RECORDS: dict[str, tuple[str, str, dict[str, str], str, str]] = {
    "kia": (
        "Pelayanan Kesehatan Ibu Hamil Terpadu",
        "Pemeriksaan kehamilan dan imunisasi anak di satu tempat.",
        {"implementation": "Bidan desa mendatangi rumah ibu hamil."},
        "Dinas Kesehatan Kabupaten Majene",
        "Majene",
    ),
    "keliling": (
        "Layanan Kesehatan Keliling",
        "Mobil puskesmas melayani warga di desa terpencil.",
        {},
        "Puskesmas Tobadak",
        "Mamuju Tengah",
    ),
    "antrian": (
        "Antrian Online Puskesmas",
        "Warga mengambil nomor antrian dari ponsel sebelum datang berobat.",
        {},
        "Dinas Kesehatan Kabupaten Mamuju",
        "Mamuju",
    ),
    "stunting": (
        "Gerakan Cegah Stunting",
        "Pendampingan gizi balita oleh kader.",
        {"collaboration": "Bersama posyandu dan PKK."},
        "Bappeda Kabupaten Majene",
        "Majene",
    ),
    "adminduk": (
        "Jemput Bola Administrasi Penduduk",
        "Petugas merekam data penduduk di kecamatan.",
        {},
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Polewali Mandar",
        "Polewali Mandar",
    ),
    "ektp": (
        "Cetak e-KTP di Kecamatan",
        "KTP elektronik selesai dalam satu hari.",
        {},
        "Kecamatan Tinambung",
        "Polewali Mandar",
    ),
    "izin": (
        "Izin Usaha Sehari Jadi",
        "Pengurusan izin usaha mikro tanpa antre.",
        {},
        "DPMPTSP Kabupaten Pasangkayu",
        "Pasangkayu",
    ),
    "sampah": (
        "Bank Sampah Mandiri",
        "Sampah plastik ditukar tabungan.",
        {"implementation": "Dikelola ibu-ibu di setiap desa."},
        "Dinas Lingkungan Hidup Kabupaten Mamasa",
        "Mamasa",
    ),
    "air": (
        "Air Bersih untuk Pulau",
        "Penyulingan air laut untuk warga pulau kecil.",
        {},
        "Dinas PUPR Kabupaten Majene",
        "Majene",
    ),
    "nelayan": (
        "Asuransi Nelayan Kecil",
        "Perlindungan bagi nelayan tradisional.",
        {},
        "Dinas Kelautan dan Perikanan Provinsi Sulawesi Barat",
        "Sulawesi Barat",
    ),
    "perpus": (
        "Perpustakaan Keliling Sekolah",
        "Buku bacaan dibawa ke sekolah di pedalaman.",
        {"significance": "Minat baca murid naik."},
        "Dinas Perpustakaan Kabupaten Mamuju",
        "Mamuju",
    ),
    "pajak": (
        "Bayar Pajak Daerah dari Rumah",
        "Pembayaran pajak kendaraan lewat aplikasi.",
        {},
        "Badan Pendapatan Daerah Provinsi Sulawesi Barat",
        "Sulawesi Barat",
    ),
    "aduan": (
        "Lapor Warga",
        "Kanal pengaduan masyarakat melalui pesan singkat.",
        {},
        "Inspektorat Kabupaten Mamuju Tengah",
        "Mamuju Tengah",
    ),
    "didik": (
        "Sekolah Rakyat Pesisir",
        "Pendidikan gratis untuk anak nelayan.",
        {},
        "Dinas Pendidikan Kabupaten Pasangkayu",
        "Pasangkayu",
    ),
    "imunisasi": (
        "Pengingat Jadwal Imunisasi",
        "Orang tua menerima pesan sebelum jadwal imunisasi anak.",
        {},
        "RSUD Kabupaten Polewali Mandar",
        "Polewali Mandar",
    ),
    "lansia": (
        "Senam Sehat Lansia",
        "Kegiatan rutin warga lanjut usia.",
        {},
        "Puskesmas Banggae",
        "Majene",
    ),
}


@dataclass(frozen=True)
class Case:
    query: str
    expected: frozenset[str]
    first: str | None = None


def case(query: str, *expected: str, first: str | None = None) -> Case:
    return Case(query, frozenset(expected), first)


CASES = [
    # every word, in any form and order, anywhere in the record, its institution or its region
    case("pelayanan kesehatan", "kia", "keliling"),
    case("kesehatan", "kia", "keliling", "antrian", "lansia"),
    case("kependudukan", "adminduk"),
    case("penduduk", "adminduk"),
    case("puskesmas antrian", "antrian"),
    case("sampah desa", "sampah"),
    case("stunting majene", "stunting"),
    case("perizinan", "izin"),
    case("pengaduan masyarakat", "aduan"),
    case("air bersih", "air"),
    case("nelayan", "nelayan", "didik", first="nelayan"),
    case("perpustakaan keliling", "perpus"),
    case("posyandu", "stunting"),
    case("mamuju tengah", "keliling", "aduan"),
    case("e-ktp", "ektp"),
    case("anak imunisasi", "imunisasi", "kia", first="imunisasi"),
    case("stúnting", "stunting"),
    case("pembayaran pajak", "pajak"),
    case("KESEHATAN IBU", "kia"),
    case("usaha mikro", "izin"),
    case("lanjut usia", "lansia"),
    case("pendidikan anak", "didik"),
    case("rumah", "kia", "pajak", first="pajak"),
]


@pytest.fixture
def records():
    keys = {}
    for key, (title, summary, sections, institution, region) in RECORDS.items():
        owner = InstitutionFactory(code=f"quality-{key}", name=institution, region=Region.objects.get(name=region))
        innovation = InnovationFactory(
            title=title, slug=f"quality-{key}", summary=summary, institution=owner, **sections
        )
        keys[innovation.pk] = key
    return keys


def found(records: dict[int, str], query: str) -> list[str]:
    return [records[innovation.pk] for innovation in catalog_innovations(values={"q": query, "sort": "relevance"})]


def case_holds(records: dict[int, str], item: Case) -> bool:
    keys = found(records, item.query)
    return set(keys) == item.expected and (item.first is None or keys[:1] == [item.first])


def measure(records: dict[int, str]) -> dict[str, str]:
    """Cases that hold exactly, and micro-averaged recall and precision over all cases."""
    exact = relevant = retrieved = hits = 0
    for item in CASES:
        keys = set(found(records, item.query))
        exact += case_holds(records, item)
        relevant += len(item.expected)
        retrieved += len(keys)
        hits += len(keys & item.expected)
    return {
        "exact": f"{exact}/{len(CASES)}",
        "recall": f"{hits / relevant:.2f}",
        "precision": f"{hits / retrieved if retrieved else 0:.2f}",
    }


@pytest.mark.parametrize("item", CASES, ids=[item.query for item in CASES])
def test_search_quality_case(records, item):
    assert (item.query, found(records, item.query)) == (item.query, sorted_as(item, found(records, item.query)))


def sorted_as(item: Case, keys: list[str]) -> list[str]:
    """The expected keys in the order found (unknown order last), the first one pinned if given."""
    expected = [key for key in keys if key in item.expected] + sorted(item.expected - set(keys))
    if item.first:
        expected.remove(item.first)
        expected.insert(0, item.first)
    return expected


def test_search_quality_summary(records):
    assert measure(records) == {"exact": f"{len(CASES)}/{len(CASES)}", "recall": "1.00", "precision": "1.00"}
