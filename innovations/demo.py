"""Demo innovation records of the hub: every workflow state, awards, sustainability reports, replications.

Called by `manage.py seed_demo` after jipp's demo (which creates the institutions and users).
Idempotent: records are found by slug, replications by (origin, institution); nothing is duplicated.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.utils import timezone
from django.utils.text import slugify

from jipp.models import Institution, User

from .models import (
    SDG,
    Award,
    BudgetSource,
    Category,
    Form,
    GovernmentAffair,
    Initiator,
    Innovation,
    Kind,
    Replication,
    ReplicationEvent,
    Stage,
    State,
    SustainabilityStatus,
    SustainabilityUpdate,
    WorkflowEvent,
)
from .services.workflow import innovation_revision_start, innovation_submit


@dataclass(frozen=True)
class DemoRecord:
    code: str  # institution code
    title: str
    affair: str
    category: str
    sdgs: tuple[int, ...]
    kind: str = Kind.NON_DIGITAL
    state: str = State.PUBLISHED
    what: str = ""  # one sentence: what the innovation does


H, E, C, S, W, D = (
    GovernmentAffair.HEALTH,
    GovernmentAffair.EDUCATION,
    GovernmentAffair.CIVIL_REGISTRY,
    GovernmentAffair.SOCIAL,
    GovernmentAffair.WOMEN_CHILDREN,
    Kind.DIGITAL,
)
P, DR, SU, RE, AR = State.PUBLISHED, State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED

RECORDS: list[DemoRecord] = [
    # Provincial agencies, including the 2025 KIPP entries named by the hub.
    DemoRecord(
        "sulbar-dp3akb",
        "Ma'silambi: Gerakan Bersama Cegah Stunting",
        W,
        "kesehatan",
        (2, 3, 5),
        what="kader desa, bidan dan penyuluh KB mendampingi keluarga berisiko stunting sejak masa kehamilan",
    ),
    DemoRecord(
        "sulbar-rsud",
        "MALABBI: Manajemen Layanan Berbasis Informasi Pasien",
        H,
        "kesehatan",
        (3, 16),
        D,
        what="antrean, rekam medis dan rujukan pasien rumah sakit provinsi terhubung dalam satu sistem",
    ),
    DemoRecord(
        "sulbar-bapenda",
        "SIPADA: Sistem Informasi Pajak Daerah",
        GovernmentAffair.FINANCE,
        "tata-kelola",
        (16, 17),
        D,
        what="wajib pajak kendaraan bermotor membayar dan memantau tagihan pajak secara daring",
    ),
    DemoRecord(
        "sulbar-disdikbud",
        "SIDAYA: Sistem Informasi Data Pendidikan dan Kebudayaan",
        E,
        "pendidikan",
        (4,),
        D,
        what="data sekolah, guru dan cagar budaya provinsi dihimpun dan diperbarui oleh sekolah sendiri",
    ),
    DemoRecord(
        "sulbar-bapperida",
        "I-BANUA: Inovasi Bangun Desa Berbasis Data",
        GovernmentAffair.PLANNING,
        "tata-kelola",
        (1, 11, 17),
        D,
        what="perencanaan pembangunan desa memakai data potensi dan masalah desa",
    ),
    DemoRecord(
        "sulbar-biro-organisasi",
        "La-PATUH: Layanan Pemantauan Kepatuhan Standar Pelayanan",
        GovernmentAffair.PERSONNEL,
        "tata-kelola",
        (16,),
        D,
        what="unit pelayanan menilai sendiri kepatuhan standar pelayanan dan hasilnya diverifikasi biro",
    ),
    DemoRecord(
        "sulbar-dinkes",
        "Sulbar Sehat Bergerak: Layanan Kesehatan Bergerak Pulau Terluar",
        H,
        "kesehatan",
        (3, 10),
        what="tim kesehatan keliling melayani pulau dan dusun terpencil secara terjadwal",
    ),
    DemoRecord(
        "sulbar-dp3akb",
        "Rumah Aman Perempuan dan Anak",
        W,
        "perlindungan-sosial",
        (5, 16),
        what="korban kekerasan mendapat tempat aman, pendampingan hukum dan psikolog dalam satu layanan",
    ),
    DemoRecord(
        "sulbar-disdikbud",
        "Guru Berbagi Praktik Baik Daring",
        E,
        "pendidikan",
        (4,),
        D,
        DR,
        what="guru di daerah terpencil mengikuti komunitas belajar daring untuk berbagi praktik mengajar",
    ),
    DemoRecord(
        "sulbar-bapenda",
        "Samsat Keliling Desa",
        GovernmentAffair.FINANCE,
        "tata-kelola",
        (16,),
        state=AR,
        what="pembayaran pajak kendaraan dilayani mobil samsat yang berkeliling ke desa",
    ),
    DemoRecord(
        "sulbar-rsud",
        "Rujukan Terintegrasi Ibu Hamil Risiko Tinggi",
        H,
        "kesehatan",
        (3,),
        D,
        SU,
        what="puskesmas merujuk ibu hamil risiko tinggi dengan notifikasi langsung ke rumah sakit",
    ),
    DemoRecord(
        "sulbar-pemprov",
        "Sulbar Satu Data",
        GovernmentAffair.STATISTICS,
        "transformasi-digital",
        (16, 17),
        D,
        what="perangkat daerah menerbitkan data sektoral dalam satu portal dengan standar metadata",
    ),
    # Majene (the demo operator works at majene-dinkes).
    DemoRecord(
        "majene-pemkab",
        "Peningkatan Kualitas Pelayanan Publik",
        GovernmentAffair.PERSONNEL,
        "tata-kelola",
        (16,),
        what="standar pelayanan, maklumat dan survei kepuasan diterapkan serentak di seluruh unit",
    ),
    DemoRecord(
        "majene-dinkes",
        "Posyandu Prima Berbasis Aplikasi",
        H,
        "kesehatan",
        (2, 3),
        D,
        what="kader posyandu mencatat penimbangan balita di aplikasi sehingga gizi buruk cepat terdeteksi",
    ),
    DemoRecord(
        "majene-dinkes",
        "Rumah Tunggu Kelahiran Desa",
        H,
        "kesehatan",
        (3, 5),
        what="ibu hamil dari desa jauh menunggu persalinan di rumah dekat puskesmas",
    ),
    DemoRecord(
        "majene-dinkes",
        "Ambulans Desa Siaga 24 Jam",
        H,
        "kesehatan",
        (3,),
        state=DR,
        what="kendaraan desa dan relawan siaga mengantar warga gawat darurat ke puskesmas",
    ),
    DemoRecord(
        "majene-dinkes",
        "Skrining Hipertensi di Tempat Kerja",
        H,
        "kesehatan",
        (3, 8),
        state=RE,
        what="petugas puskesmas memeriksa tekanan darah pegawai kantor dan pasar setiap bulan",
    ),
    DemoRecord(
        "majene-dinkes",
        "Kelas Ibu Balita Keliling",
        H,
        "kesehatan",
        (2, 3, 4),
        state=SU,
        what="bidan desa menggelar kelas pengasuhan dan gizi balita bergiliran di dusun",
    ),
    DemoRecord(
        "majene-disdukcapil",
        "Akta Lahir Jemput Bola",
        C,
        "kependudukan",
        (16,),
        what="petugas menjemput berkas dan mengantar akta kelahiran ke rumah warga desa terpencil",
    ),
    DemoRecord(
        "majene-dpmptsp",
        "Izin Usaha Mikro Sehari Jadi",
        GovernmentAffair.INVESTMENT,
        "perizinan-investasi",
        (8,),
        D,
        what="pelaku usaha mikro menerima nomor induk berusaha dan izin dalam satu hari kerja",
    ),
    DemoRecord(
        "majene-rsud",
        "Pendaftaran Pasien Lewat WhatsApp",
        H,
        "kesehatan",
        (3,),
        D,
        what="pasien mendaftar rawat jalan melalui pesan WhatsApp dan datang sesuai jam layanan",
    ),
    DemoRecord(
        "majene-bapperida",
        "Musrenbang Anak dan Perempuan",
        GovernmentAffair.PLANNING,
        "tata-kelola",
        (5, 16),
        what="usulan anak dan perempuan dibahas dalam forum khusus sebelum musrenbang kecamatan",
    ),
    # Polewali Mandar.
    DemoRecord(
        "polewali-mandar-disdukcapil",
        "Akta Lahir Jemput Bola Polewali Mandar",
        C,
        "kependudukan",
        (16,),
        what="replikasi layanan jemput bola akta kelahiran dengan jadwal kunjungan per kecamatan",
    ),
    DemoRecord(
        "polewali-mandar-dinkes",
        "Sayang Ibu: Pendampingan Ibu Hamil",
        H,
        "kesehatan",
        (3, 5),
        what="setiap ibu hamil didampingi satu kader yang memantau pemeriksaan kehamilannya",
    ),
    DemoRecord(
        "polewali-mandar-dinkes",
        "Posyandu Remaja Sadar Gizi",
        H,
        "kesehatan",
        (2, 3),
        state=DR,
        what="remaja putri mendapat tablet tambah darah dan edukasi gizi di posyandu remaja",
    ),
    DemoRecord(
        "polewali-mandar-dpmptsp",
        "Mal Pelayanan Publik Terpadu",
        GovernmentAffair.INVESTMENT,
        "perizinan-investasi",
        (16,),
        what="layanan perizinan, kependudukan dan perbankan tersedia di satu gedung",
    ),
    DemoRecord(
        "polewali-mandar-rsud",
        "Resep Elektronik Rawat Jalan",
        H,
        "kesehatan",
        (3,),
        D,
        SU,
        what="dokter mengirim resep ke farmasi secara elektronik sehingga antrean obat lebih singkat",
    ),
    DemoRecord(
        "polewali-mandar-pemkab",
        "Desa Digital Polewali Mandar",
        GovernmentAffair.COMMUNICATION,
        "transformasi-digital",
        (9, 17),
        D,
        what="kantor desa melayani surat keterangan secara daring",
    ),
    DemoRecord(
        "polewali-mandar-bapperida",
        "Bank Sampah Sekolah",
        GovernmentAffair.ENVIRONMENT,
        "lingkungan",
        (11, 12),
        state=AR,
        what="siswa menabung sampah terpilah yang dijual ke pengepul",
    ),
    DemoRecord(
        "polewali-mandar-pemkab",
        "Kampung Nelayan Sehat",
        GovernmentAffair.FISHERIES,
        "pangan-pertanian",
        (1, 14),
        state=RE,
        what="kampung nelayan mendapat air bersih, sanitasi dan koperasi hasil tangkapan",
    ),
    # Mamasa.
    DemoRecord(
        "mamasa-dinkes",
        "Posyandu Prima Mamasa",
        H,
        "kesehatan",
        (2, 3),
        D,
        what="replikasi pencatatan penimbangan balita berbasis aplikasi di desa pegunungan",
    ),
    DemoRecord(
        "mamasa-disdukcapil",
        "KTP Elektronik Keliling Pegunungan",
        C,
        "kependudukan",
        (16,),
        what="perekaman KTP elektronik dilakukan dengan perangkat bergerak di desa pegunungan",
    ),
    DemoRecord(
        "mamasa-pemkab",
        "Kopi Mamasa Naik Kelas",
        GovernmentAffair.AGRICULTURE,
        "ekonomi-umkm",
        (1, 8),
        what="petani kopi dilatih pascapanen dan dihubungkan langsung dengan pembeli",
    ),
    DemoRecord(
        "mamasa-rsud",
        "Telekonsultasi Dokter Spesialis",
        H,
        "kesehatan",
        (3, 10),
        D,
        SU,
        what="puskesmas berkonsultasi dengan dokter spesialis rumah sakit melalui video",
    ),
    DemoRecord(
        "mamasa-bapperida",
        "Peta Rawan Longsor Desa",
        GovernmentAffair.PUBLIC_ORDER,
        "lingkungan",
        (11, 13),
        state=DR,
        what="warga memetakan titik rawan longsor dan jalur evakuasi desanya",
    ),
    DemoRecord(
        "mamasa-dpmptsp",
        "Izin Homestay Wisata Desa",
        GovernmentAffair.TOURISM,
        "perizinan-investasi",
        (8,),
        what="pemilik rumah di desa wisata mendapat pendampingan izin dan standar homestay",
    ),
    # Mamuju (provincial capital).
    DemoRecord(
        "mamuju-disdukcapil",
        "Dukcapil Goes to School",
        C,
        "kependudukan",
        (4, 16),
        what="siswa kelas akhir mendapat KTP elektronik dan kartu identitas anak di sekolah",
    ),
    DemoRecord(
        "mamuju-rsud",
        "MALABBI Mamuju: Informasi Pasien Terpadu",
        H,
        "kesehatan",
        (3,),
        D,
        what="replikasi sistem informasi pasien rumah sakit provinsi di rumah sakit kabupaten",
    ),
    DemoRecord(
        "mamuju-dinkes",
        "Gerakan Minum Tablet Tambah Darah",
        H,
        "kesehatan",
        (2, 3, 5),
        what="remaja putri minum tablet tambah darah bersama setiap pekan di sekolah",
    ),
    DemoRecord(
        "mamuju-dpmptsp",
        "Perizinan Antar ke Rumah",
        GovernmentAffair.INVESTMENT,
        "perizinan-investasi",
        (8, 16),
        state=AR,
        what="dokumen izin yang selesai diantar ke alamat pemohon",
    ),
    DemoRecord(
        "mamuju-pemkab",
        "Pengaduan Warga Satu Pintu",
        GovernmentAffair.COMMUNICATION,
        "tata-kelola",
        (16,),
        D,
        what="pengaduan dari media sosial, telepon dan SMS dikelola dalam satu dasbor tindak lanjut",
    ),
    DemoRecord(
        "mamuju-bapperida",
        "Sekolah Lapang Iklim Petani",
        GovernmentAffair.AGRICULTURE,
        "pangan-pertanian",
        (2, 13),
        state=DR,
        what="petani belajar membaca prakiraan musim untuk menentukan waktu tanam",
    ),
    DemoRecord(
        "mamuju-dinkes",
        "Ma'silambi Mamuju",
        W,
        "kesehatan",
        (2, 3),
        what="replikasi pendampingan keluarga berisiko stunting oleh tim pendamping desa",
    ),
    # Pasangkayu.
    DemoRecord(
        "pasangkayu-disdukcapil",
        "Akta Lahir Jemput Bola Pasangkayu",
        C,
        "kependudukan",
        (16,),
        what="replikasi jemput bola akta kelahiran bagi desa transmigrasi",
    ),
    DemoRecord(
        "pasangkayu-dinkes",
        "Puskesmas Ramah Lansia",
        H,
        "kesehatan",
        (3, 10),
        what="loket, ruang tunggu dan pemeriksaan khusus bagi warga lanjut usia di puskesmas",
    ),
    DemoRecord(
        "pasangkayu-pemkab",
        "Sawit Rakyat Bersertifikat",
        GovernmentAffair.AGRICULTURE,
        "pangan-pertanian",
        (8, 15),
        what="kebun sawit rakyat didampingi menuju sertifikasi keberlanjutan",
    ),
    DemoRecord(
        "pasangkayu-rsud",
        "Antrean Daring Rawat Jalan",
        H,
        "kesehatan",
        (3,),
        D,
        RE,
        what="pasien mengambil nomor antrean dari ponsel dan memantau giliran layanan",
    ),
    DemoRecord(
        "pasangkayu-dpmptsp",
        "Klinik Investasi Desa",
        GovernmentAffair.INVESTMENT,
        "perizinan-investasi",
        (8, 9),
        state=SU,
        what="calon investor dan BUMDes bertemu dalam klinik konsultasi bulanan",
    ),
    DemoRecord(
        "pasangkayu-bapperida",
        "Data Desa Presisi",
        GovernmentAffair.PLANNING,
        "tata-kelola",
        (17,),
        D,
        what="data penduduk dan keluarga dikumpulkan ulang oleh kader desa dengan tablet",
    ),
    # Mamuju Tengah.
    DemoRecord(
        "mamuju-tengah-disdukcapil",
        "Akta Lahir Jemput Bola Mamuju Tengah",
        C,
        "kependudukan",
        (16,),
        what="replikasi jemput bola akta kelahiran melalui kantor desa dan posyandu",
    ),
    DemoRecord(
        "mamuju-tengah-dinkes",
        "Desa Stop Buang Air Besar Sembarangan",
        H,
        "lingkungan",
        (3, 6),
        what="desa dipicu membangun jamban sehat secara swadaya hingga bebas buang air besar sembarangan",
    ),
    DemoRecord(
        "mamuju-tengah-pemkab",
        "Lumbung Pangan Desa",
        GovernmentAffair.FOOD,
        "pangan-pertanian",
        (1, 2),
        what="desa menyimpan cadangan gabah untuk masa paceklik dan bencana",
    ),
    DemoRecord(
        "mamuju-tengah-rsud",
        "Pelayanan Darah Terpadu",
        H,
        "kesehatan",
        (3,),
        state=DR,
        what="stok darah rumah sakit dan donor sukarela dipantau bersama PMI",
    ),
    DemoRecord(
        "mamuju-tengah-dpmptsp",
        "Izin Usaha Lewat Desa",
        GovernmentAffair.INVESTMENT,
        "perizinan-investasi",
        (8,),
        state=SU,
        what="kantor desa menjadi titik pendaftaran izin usaha mikro",
    ),
    DemoRecord(
        "mamuju-tengah-bapperida",
        "Beasiswa Anak Petani",
        E,
        "pendidikan",
        (1, 4),
        state=AR,
        what="anak keluarga petani kurang mampu mendapat beasiswa dan pendampingan belajar",
    ),
    DemoRecord(
        "majene-disdukcapil",
        "Kartu Identitas Anak di Posyandu",
        C,
        "kependudukan",
        (16,),
        state=RE,
        what="kartu identitas anak diterbitkan saat balita datang ke posyandu",
    ),
    DemoRecord(
        "majene-pemkab",
        "Pasar Rakyat Tertib Timbangan",
        GovernmentAffair.TRADE,
        "ekonomi-umkm",
        (12,),
        what="timbangan pedagang pasar ditera ulang gratis dan diawasi bersama",
    ),
    DemoRecord(
        "sulbar-dinkes",
        "Sistem Informasi Rujukan Terpadu",
        H,
        "kesehatan",
        (3,),
        D,
        DR,
        what="rujukan antar-fasilitas kesehatan dipantau dalam satu sistem provinsi",
    ),
    DemoRecord(
        "mamasa-pemkab",
        "Sekolah Adat Mamasa",
        GovernmentAffair.CULTURE,
        "pendidikan",
        (4, 11),
        what="tetua adat mengajar bahasa dan tradisi Mamasa bagi pelajar setiap pekan",
    ),
]

AWARDS = {
    "Peningkatan Kualitas Pelayanan Publik": [(2014, Award.Competition.KIPP, Award.Rank.TOP_99, "")],
    "Posyandu Prima Berbasis Aplikasi": [(2019, Award.Competition.PROVINCIAL, Award.Rank.PROVINCIAL, "")],
    "Akta Lahir Jemput Bola": [
        (2018, Award.Competition.PROVINCIAL, Award.Rank.PROVINCIAL, ""),
        (2021, Award.Competition.KIPP, Award.Rank.TOP_99, ""),
    ],
    "Mal Pelayanan Publik Terpadu": [(2022, Award.Competition.IGA, Award.Rank.IGA, "")],
    "Rumah Aman Perempuan dan Anak": [(2023, Award.Competition.KIPP, Award.Rank.TOP_99, "")],
}
KIPP_2025_ENTRIES = {"Ma'silambi", "MALABBI:", "SIPADA:", "SIDAYA:", "I-BANUA:", "La-PATUH:"}

# (origin title, replicating institution, status, replica title or None). Generations in order.
REPLICATIONS = [
    (
        "Akta Lahir Jemput Bola",
        "polewali-mandar-disdukcapil",
        Replication.Status.IMPLEMENTED,
        "Akta Lahir Jemput Bola Polewali Mandar",
    ),
    (
        "Akta Lahir Jemput Bola Polewali Mandar",
        "mamuju-tengah-disdukcapil",
        Replication.Status.IMPLEMENTED,
        "Akta Lahir Jemput Bola Mamuju Tengah",
    ),
    (
        "Akta Lahir Jemput Bola Mamuju Tengah",
        "pasangkayu-disdukcapil",
        Replication.Status.IMPLEMENTED,
        "Akta Lahir Jemput Bola Pasangkayu",
    ),
    ("Akta Lahir Jemput Bola", "mamasa-disdukcapil", Replication.Status.AGREEMENT, None),
    ("Posyandu Prima Berbasis Aplikasi", "mamasa-dinkes", Replication.Status.IMPLEMENTED, "Posyandu Prima Mamasa"),
    ("Posyandu Prima Berbasis Aplikasi", "polewali-mandar-dinkes", Replication.Status.INTEREST, None),
    ("Posyandu Prima Berbasis Aplikasi", "mamuju-dinkes", Replication.Status.REJECTED, None),
    (
        "MALABBI: Manajemen Layanan Berbasis Informasi Pasien",
        "mamuju-rsud",
        Replication.Status.IMPLEMENTED,
        "MALABBI Mamuju: Informasi Pasien Terpadu",
    ),
    ("Ma'silambi: Gerakan Bersama Cegah Stunting", "mamuju-dinkes", Replication.Status.APPROVED, "Ma'silambi Mamuju"),
    ("Mal Pelayanan Publik Terpadu", "majene-dpmptsp", Replication.Status.INTEREST, None),
]
STEP_PATH = [
    Replication.Status.INTEREST,
    Replication.Status.AGREEMENT,
    Replication.Status.APPROVED,
    Replication.Status.IMPLEMENTED,
]
STATE_PATH = {
    State.DRAFT: [State.DRAFT],
    State.SUBMITTED: [State.DRAFT, State.SUBMITTED],
    State.RETURNED: [State.DRAFT, State.SUBMITTED, State.RETURNED],
    State.PUBLISHED: [State.DRAFT, State.SUBMITTED, State.PUBLISHED],
    State.ARCHIVED: [State.DRAFT, State.SUBMITTED, State.PUBLISHED, State.ARCHIVED],
}
RETURN_COMMENT = "Lengkapi data dampak dengan angka sebelum dan sesudah inovasi, serta lampirkan SK penetapan."
STOP_REASON = "Anggaran operasional tidak lagi tersedia setelah perubahan struktur organisasi."


UNITS_BY_AFFAIR = {
    GovernmentAffair.HEALTH: "Bidang Pelayanan Kesehatan",
    GovernmentAffair.CIVIL_REGISTRY: "Bidang Pelayanan Pendaftaran Penduduk",
    GovernmentAffair.INVESTMENT: "Bidang Pelayanan Perizinan",
    GovernmentAffair.EDUCATION: "Bidang Pembinaan Sekolah",
    GovernmentAffair.PERSONNEL: "Bagian Organisasi",
}


def _unit_for(affair: str) -> str:
    return UNITS_BY_AFFAIR.get(affair, "Sekretariat")


def _sections(record: DemoRecord, institution: Institution) -> dict[str, str]:
    what = record.what
    place = institution.region.name if institution.region else "Sulawesi Barat"
    return {
        "summary": f"{record.title} adalah inovasi {institution.name}: {what}. Inovasi ini menjawab keluhan warga "
        f"tentang jarak, waktu dan biaya layanan di {place}, dan kini menjadi bagian dari layanan rutin.",
        "background": f"Sebelum inovasi, warga {place} harus datang berkali-kali ke kantor layanan dan menunggu lama. "
        "Data layanan tercatat di buku dan sulit dipantau pimpinan.",
        "goals": "Mendekatkan layanan kepada warga, mempercepat waktu layanan dan menyediakan data yang dapat "
        "dipantau setiap bulan.",
        "novelty": f"Untuk pertama kalinya di {place}, {what}.",
        "implementation": "Inovasi ditetapkan dengan keputusan kepala perangkat daerah, diuji coba di dua kecamatan, "
        "lalu diperluas ke seluruh wilayah dengan pelatihan petugas dan sosialisasi melalui kepala desa.",
        "significance": "Waktu layanan turun lebih dari separuh dan jumlah warga yang terlayani naik setiap tahun. "
        "Survei kepuasan masyarakat menunjukkan nilai baik.",
        "adaptability": "Langkah kerja, formulir dan materi pelatihan terdokumentasi sehingga dapat diterapkan "
        "perangkat daerah lain dengan sumber daya yang ada.",
        "resources": "Petugas layanan yang ada, anggaran operasional tahunan dan dukungan pemerintah desa.",
        "sustainability": "Ditetapkan dalam peraturan kepala daerah dan dianggarkan setiap tahun.",
        "collaboration": "Pemerintah desa, puskesmas, tokoh masyarakat dan organisasi perempuan.",
    }


def _record_slug(title: str) -> str:
    return slugify(title.replace("'", ""))[:200]


def seed(*, rng: random.Random, stdout: IO[str]) -> None:
    institutions = {i.code: i for i in Institution.objects.select_related("region")}
    operator = User.objects.filter(username="operator").first()
    hub_admin = User.objects.filter(username="hubadmin").first()
    sdgs = {s.number: s for s in SDG.objects.all()}
    categories = {c.slug: c for c in Category.objects.all()}
    by_title: dict[str, Innovation] = {}
    created_count = 0
    now = timezone.now()
    for record in RECORDS:
        institution = institutions[record.code]
        trial = dt.date(rng.randint(2014, 2022), rng.randint(1, 12), 1)
        implementation = trial + dt.timedelta(days=rng.randint(90, 400))
        innovation, created = Innovation.objects.get_or_create(
            slug=_record_slug(record.title),
            defaults={
                **_sections(record, institution),
                "title": record.title,
                "state": record.state,
                "institution": institution,
                "region": institution.region,
                # Records of an agency name the unit that runs them; a unit (UPP) is its own unit.
                "unit": "" if institution.kind == institution.Kind.UPP else _unit_for(record.affair),
                "stage": Stage.IMPLEMENTATION if record.state in (P, AR) else rng.choice(list(Stage.values)),
                "kind": record.kind,
                "form": Form.PUBLIC_SERVICE if record.affair != GovernmentAffair.PERSONNEL else Form.GOVERNANCE,
                "initiator": rng.choice([Initiator.OPD, Initiator.ASN, Initiator.REGIONAL_HEAD]),
                "government_affair": record.affair,
                "trial_date": trial,
                "implementation_date": implementation,
                "budget": Decimal(rng.randint(5, 120) * 10_000_000),
                "budget_source": rng.choice([BudgetSource.APBD, BudgetSource.APBD, BudgetSource.VILLAGE]),
                "submitted_at": now if record.state != DR else None,
                "published_at": now if record.state in (P, AR) else None,
                "created_by": operator if record.code == "majene-dinkes" else None,
            },
        )
        by_title[record.title] = innovation
        if not created:
            continue
        created_count += 1
        # One history version per demo record is enough; a version per m2m change made seeding 3x slower.
        innovation.skip_history_when_saving = True
        innovation.sdgs.set([sdgs[number] for number in record.sdgs if number in sdgs])
        if record.category in categories:
            innovation.categories.set([categories[record.category]])
        del innovation.skip_history_when_saving
        _workflow_events(innovation, record.state, operator, hub_admin)
        for year, competition, rank, note in AWARDS.get(record.title, []):
            Award.objects.create(innovation=innovation, year=year, competition=competition, rank=rank, note=note)
        if any(record.title.startswith(name) for name in KIPP_2025_ENTRIES) and record.code.startswith("sulbar-"):
            Award.objects.create(
                innovation=innovation,
                year=2025,
                competition=Award.Competition.KIPP,
                rank=Award.Rank.OTHER,
                note="Lolos seleksi administrasi KIPP 2025",
            )
        if record.state in (P, AR):
            _sustainability(innovation, rng, hub_admin, stopped=record.state == AR)

    _pending_revision(by_title["Posyandu Prima Berbasis Aplikasi"], operator)
    replications = _replications(by_title, institutions, hub_admin)
    stdout.write(
        f"  innovations: {created_count} new records ({len(RECORDS)} in the demo), {replications} new replications\n"
    )


def _workflow_events(innovation: Innovation, state: str, operator: User | None, hub_admin: User | None) -> None:
    previous = ""
    for step in STATE_PATH[state]:
        WorkflowEvent.objects.create(
            innovation=innovation,
            actor=operator if step in (State.DRAFT, State.SUBMITTED) else hub_admin,
            from_state=previous,
            to_state=step,
            comment=RETURN_COMMENT if step == State.RETURNED else "",
        )
        previous = step


def _sustainability(innovation: Innovation, rng: random.Random, by: User | None, *, stopped: bool) -> None:
    start = (innovation.implementation_date or dt.date(2020, 1, 1)).year + 1
    status = SustainabilityStatus.CONTINUES
    for year in range(start, 2026):
        if stopped and year == 2025:
            status = SustainabilityStatus.STOPPED
        elif rng.random() < 0.3:
            status = SustainabilityStatus.DEVELOPED
        SustainabilityUpdate.objects.create(
            innovation=innovation,
            year=year,
            status=status,
            reason=STOP_REASON
            if status == SustainabilityStatus.STOPPED
            else ("Layanan diperluas ke kecamatan baru." if status == SustainabilityStatus.DEVELOPED else ""),
            reported_by=by,
        )
    Innovation.objects.filter(pk=innovation.pk).update(sustainability_status=status)


def _pending_revision(published: Innovation, operator: User | None) -> None:
    """A published record with a change waiting for verification, made the way an operator makes one.

    The services open the change as a full copy of the record (a hand-made copy once left out the
    initiator, dates, budget, unit, SDGs and categories, so that publishing it would have emptied them).
    """
    if operator is None or Innovation.objects.filter(revision_of=published).exists():
        return
    revision = innovation_revision_start(innovation=published, by=operator)
    revision.summary += " Sejak 2024 aplikasi juga mengirim pengingat jadwal imunisasi kepada orang tua."
    revision.save(update_fields=["summary"])
    innovation_submit(innovation=revision, by=operator)


def _replications(by_title: dict[str, Innovation], institutions: dict[str, Institution], hub_admin: User | None) -> int:
    created_count = 0
    for origin_title, code, status, replica_title in REPLICATIONS:
        origin = by_title[origin_title]
        institution = institutions[code]
        replication, created = Replication.objects.get_or_create(
            origin=origin,
            institution=institution,
            defaults={
                "status": status,
                "scope": "Seluruh tahapan layanan",
                "replica": by_title[replica_title] if replica_title else None,
                "created_by": institution.users.first(),
            },
        )
        if not created:
            continue
        created_count += 1
        path = [Replication.Status.INTEREST, Replication.Status.REJECTED] if status == "rejected" else STEP_PATH
        for step in path[: path.index(status) + 1]:
            ReplicationEvent.objects.create(
                replication=replication,
                status=step,
                actor=hub_admin,
                note="Belum siap secara anggaran tahun ini." if step == Replication.Status.REJECTED else "",
            )
    return created_count
