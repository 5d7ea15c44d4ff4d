"""Demo data of the hub network: institutions of the province and regencies, one user per role, and
the Sulawesi Barat hub (KepmenPANRB No. 305/2024) with its members and their contacts.

Every app may have a demo.py with `seed(*, rng, stdout)`; `manage.py seed_demo` calls them in the
order of INSTALLED_APPS. Each seed is idempotent: running it twice changes nothing.
"""

from __future__ import annotations

import datetime
import random
from typing import IO

from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils import timezone

from .models import (
    Activity,
    ActivityAttendance,
    Delivery,
    Hub,
    HubSettings,
    Institution,
    MaturityAnswer,
    MaturityAssessment,
    MaturityQuestion,
    Membership,
    MembershipContact,
    Notice,
    NoticeRecipient,
    Region,
    Role,
    User,
)
from .selectors import notice_addresses
from .services.maturity import maturity_scores

DEMO_PASSWORD = "jipp-demo-2026"

PROVINCIAL_AGENCIES = [
    # code, name, kind
    ("sulbar-pemprov", "Pemerintah Provinsi Sulawesi Barat", Institution.Kind.PEMDA),
    ("sulbar-bapperida", "Bapperida Provinsi Sulawesi Barat", Institution.Kind.OPD),
    ("sulbar-biro-organisasi", "Biro Organisasi Setda Provinsi Sulawesi Barat", Institution.Kind.OPD),
    ("sulbar-dinkes", "Dinas Kesehatan Provinsi Sulawesi Barat", Institution.Kind.OPD),
    ("sulbar-disdikbud", "Dinas Pendidikan dan Kebudayaan Provinsi Sulawesi Barat", Institution.Kind.OPD),
    (
        "sulbar-dp3akb",
        "Dinas Pemberdayaan Perempuan, Perlindungan Anak dan KB Provinsi Sulawesi Barat",
        Institution.Kind.OPD,
    ),
    ("sulbar-bapenda", "Badan Pendapatan Daerah Provinsi Sulawesi Barat", Institution.Kind.OPD),
    ("sulbar-rsud", "RSUD Provinsi Sulawesi Barat", Institution.Kind.UPP),
]

REGENCY_AGENCIES = [
    # code suffix, name pattern, kind
    ("pemkab", "Pemerintah Kabupaten {regency}", Institution.Kind.PEMDA),
    ("dinkes", "Dinas Kesehatan Kabupaten {regency}", Institution.Kind.OPD),
    ("disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil Kabupaten {regency}", Institution.Kind.OPD),
    ("dpmptsp", "DPMPTSP Kabupaten {regency}", Institution.Kind.OPD),
    ("bapperida", "Bapperida Kabupaten {regency}", Institution.Kind.OPD),
    ("rsud", "RSUD Kabupaten {regency}", Institution.Kind.UPP),
]

DEMO_USERS = [
    # username, full name, role, institution code
    ("operator", "Andi Operator", Role.OPERATOR, "majene-dinkes"),
    ("operator2", "Sitti Operator", Role.OPERATOR, "polewali-mandar-dinkes"),
    ("hubadmin", "Rahmat Admin Hub", Role.HUB_ADMIN, "sulbar-bapperida"),
    ("reviewer", "Dr. Nurul Reviewer", Role.REVIEWER, "kemenpanrb"),
    ("panelist", "Prof. Hasan Panelis", Role.PANELIST, "kemenpanrb"),
    ("ministry", "Dewi Sekretariat", Role.MINISTRY_ADMIN, "kemenpanrb"),
]


HUB_SLUG = "sulawesi-barat"
HUB_COORDINATOR = "sulbar-bapperida"
# The day the demo's memberships start; the decree's own date is not recorded here.
MEMBERS_SINCE = datetime.date(2024, 7, 1)
CONTACT_POSITIONS = {
    Institution.Kind.PEMDA: "Kepala Bagian Organisasi",
    Institution.Kind.OPD: "Kepala Subbagian Perencanaan",
    Institution.Kind.UPP: "Kepala Tata Usaha",
}


def _slug(name: str) -> str:
    return name.lower().replace(" ", "-")


def seed(*, rng: random.Random, stdout: IO[str]) -> None:
    province = Region.objects.get(level=Region.Level.PROVINCE, bps_code="76")
    Institution.objects.update_or_create(
        code="kemenpanrb",
        defaults={"name": "Kementerian PANRB", "kind": Institution.Kind.MINISTRY, "region": None},
    )
    pemprov = None
    for code, name, kind in PROVINCIAL_AGENCIES:
        institution, _created = Institution.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "region": province,
                "parent": pemprov,
                "notice_emails": f"{code}@sulbarprov.go.id",
            },
        )
        pemprov = pemprov or institution
    for regency in Region.objects.filter(level=Region.Level.REGENCY):
        pemkab = None
        for suffix, pattern, kind in REGENCY_AGENCIES:
            code = f"{_slug(regency.name)}-{suffix}"
            institution, _created = Institution.objects.update_or_create(
                code=code,
                defaults={
                    "name": pattern.format(regency=regency.name),
                    "kind": kind,
                    "region": regency,
                    "parent": pemkab,
                    "notice_emails": f"{code}@{_slug(regency.name).replace('-', '')}kab.go.id",
                },
            )
            pemkab = pemkab or institution
    for username, full_name, role, institution_code in DEMO_USERS:
        first, _space, last = full_name.rpartition(" ")
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.jipp.local",
                "institution": Institution.objects.get(code=institution_code),
                "is_active": True,
            },
        )
        if created or not user.has_usable_password():
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
    hub = _seed_hub(province)
    _seed_activities(hub)
    _seed_maturity(hub)
    _seed_notices(hub)
    stdout.write(
        f"  hub network: {Institution.objects.count()} institutions, {len(DEMO_USERS)} demo users, "
        f"{hub.memberships.count()} members of {hub}\n"
    )


def _seed_hub(province: Region) -> Hub:
    """Bapperida coordinates; Biro Organisasi, the other provincial bodies, the six regency governments
    and their agencies are members, each with one contact at its notice address."""
    hub, _created = Hub.objects.update_or_create(
        slug=HUB_SLUG,
        defaults={
            "name": "Hub JIPP Sulawesi Barat",
            "province": province,
            "decree_number": "KepmenPANRB No. 305/2024",
            "status": Hub.Status.DESIGNATED,
            "description": (
                "Simpul Jaringan Inovasi Pelayanan Publik di Provinsi Sulawesi Barat: provinsi membina "
                "inovasi enam kabupaten dan perangkat daerahnya, mengelola data inovasi dan menyebarluaskan "
                "praktik baik untuk direplikasi."
            ),
        },
    )
    HubSettings.objects.get_or_create(hub=hub)
    members = Institution.objects.filter(Q(region=province) | Q(region__parent=province))
    for institution in members.order_by("region__bps_code", "name"):
        role = Membership.Role.COORDINATOR if institution.code == HUB_COORDINATOR else Membership.Role.MEMBER
        membership, _created = Membership.objects.get_or_create(
            hub=hub,
            institution=institution,
            ends_on=None,
            defaults={"role": role, "starts_on": MEMBERS_SINCE},
        )
        for address in institution.notice_email_list[:1]:
            MembershipContact.objects.get_or_create(
                membership=membership,
                email=address,
                active=True,
                defaults={
                    "name": f"Admin {institution.name}"[:150],
                    "position": CONTACT_POSITIONS.get(institution.kind, ""),
                },
            )
    return hub


def _seed_activities(hub: Hub) -> None:
    """The online coaching of 18 March 2025 (held) and a replication clinic a month ahead."""
    regency_governments = list(
        Institution.objects.filter(kind=Institution.Kind.PEMDA, region__level=Region.Level.REGENCY)
    )
    coaching, _created = Activity.objects.get_or_create(
        hub=hub,
        title="Pembinaan Inovasi Pelayanan Publik",
        defaults={
            "kind": Activity.Kind.COACHING,
            "description": "Pembinaan daring bagi pemerintah kabupaten dan perangkat daerah se-Sulawesi Barat.",
            "starts_at": timezone.make_aware(datetime.datetime(2025, 3, 18, 9, 0)),
            "ends_at": timezone.make_aware(datetime.datetime(2025, 3, 18, 12, 0)),
            "mode": Activity.Mode.ONLINE,
            "link": "https://zoom.example.org/j/pembinaan-inovasi",
            "minutes": "Paparan kebijakan JIPP dan KIPP 2025; tiap kabupaten menyiapkan dua inovasi unggulan.",
        },
    )
    coaching.invited.set(regency_governments)
    for institution in regency_governments:
        ActivityAttendance.objects.get_or_create(
            activity=coaching, institution=institution, defaults={"attended": True, "names": "Admin inovasi"}
        )
    clinic_day = timezone.localdate() + datetime.timedelta(days=30)
    clinic, _created = Activity.objects.get_or_create(
        hub=hub,
        title="Klinik Replikasi Inovasi",
        defaults={
            "kind": Activity.Kind.REPLICATION_CLINIC,
            "description": "Pendampingan kabupaten yang akan mereplikasi praktik baik anggota hub.",
            "starts_at": timezone.make_aware(datetime.datetime.combine(clinic_day, datetime.time(9, 0))),
            "ends_at": timezone.make_aware(datetime.datetime.combine(clinic_day, datetime.time(15, 0))),
            "mode": Activity.Mode.ON_SITE,
            "place": "Aula Bapperida Provinsi Sulawesi Barat, Mamuju",
        },
    )
    clinic.invited.set(regency_governments)


def _seed_maturity(hub: Hub) -> None:
    """2024 submitted with middling answers, 2025 submitted with better ones: the comparison has two years."""
    questions = list(MaturityQuestion.objects.filter(active=True).prefetch_related("options"))
    for year, level in ((2024, 1), (2025, 2)):
        assessment, created = MaturityAssessment.objects.get_or_create(hub=hub, year=year)
        if not created:
            continue
        for number, question in enumerate(questions):
            options = sorted(question.options.all(), key=lambda option: option.score)
            if not options:
                continue
            chosen = options[min(len(options) - 1, level + number % 2)]
            MaturityAnswer.objects.create(
                assessment=assessment,
                question=question,
                option=chosen,
                score=chosen.score,
                max_score=options[-1].score,
                weight=question.weight,
            )
        assessment.scores = maturity_scores(assessment.answers.select_related("question"))
        assessment.status = MaturityAssessment.Status.SUBMITTED
        assessment.submitted_at = timezone.make_aware(datetime.datetime(year, 12, 15, 10, 0))
        assessment.save()


def _seed_notices(hub: Hub) -> None:
    """The invitation to the coaching of 18 March 2025, delivered to every member (the regency
    governments acknowledged it, the demo operator's agency not yet), and the KIPP 2026 call as a
    draft. Rows are written as they would stand afterwards: seeding sends no e-mail."""
    if Notice.objects.filter(hub=hub, source_key="demo:coaching-2025").exists():
        return
    sent_at = timezone.make_aware(datetime.datetime(2025, 3, 10, 9, 0))
    notice = Notice.objects.create(
        hub=hub,
        kind=Notice.Kind.COACHING_INVITATION,
        subject="Undangan Pembinaan Inovasi Pelayanan Publik, 18 Maret 2025",
        body=(
            "Hub JIPP Sulawesi Barat mengundang instansi Anda mengikuti Pembinaan Inovasi Pelayanan Publik.\n\n"
            "- **Tanggal:** Selasa, 18 Maret 2025\n- **Waktu:** 09.00-12.00 WITA\n- **Tempat:** daring (Zoom)\n\n"
            "Mohon utus dua orang pengelola inovasi, dan konfirmasikan penerimaan undangan ini."
        ),
        link_title="Ikuti pertemuan",
        link_url="https://zoom.example.org/j/pembinaan-inovasi",
        status=Notice.Status.SENT,
        sent_at=sent_at,
        source_key="demo:coaching-2025",
        sent_by=User.objects.filter(username="hubadmin").first(),
    )
    members = [membership.institution for membership in hub.memberships.active().select_related("institution__region")]
    NoticeRecipient.objects.bulk_create(NoticeRecipient(notice=notice, institution=member) for member in members)
    addresses = notice_addresses(hub=hub, institution_ids=[member.pk for member in members])
    deliveries = []
    for member in members:
        regency = member.region is not None and member.region.level == Region.Level.REGENCY
        acknowledged = regency and member.kind == Institution.Kind.PEMDA
        state = Delivery.State.ACKNOWLEDGED if acknowledged else Delivery.State.SENT
        moment = {"sent_at": sent_at, "attempts": 1, "state": state}
        if acknowledged:
            moment["acknowledged_at"] = sent_at + datetime.timedelta(hours=3)
        deliveries.append(Delivery(notice=notice, institution=member, channel=Delivery.Channel.INBOX, **moment))
        deliveries.extend(
            Delivery(
                notice=notice,
                institution=member,
                contact=address.contact,
                channel=Delivery.Channel.EMAIL,
                address=address.email,
                **moment,
            )
            for address in addresses[member.pk]
        )
    Delivery.objects.bulk_create(deliveries)
    Notice.objects.create(
        hub=hub,
        kind=Notice.Kind.KIPP_CALL,
        subject="KIPP 2026 dibuka untuk proposal",
        body="Kompetisi Inovasi Pelayanan Publik (KIPP) 2026 telah dibuka. Mohon daftarkan inovasi unggulan Anda.",
        created_by=User.objects.filter(username="hubadmin").first(),
    )
