"""Factories of the network area: records, replications and their files."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from innovations.models import Innovation, Replication, ReplicationEvent, State
from tests.factories import InstitutionFactory


class NetworkInnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation

    title = factory.Sequence(lambda n: f"Inovasi Uji {n}")
    slug = factory.Sequence(lambda n: f"inovasi-uji-{n}")
    state = State.PUBLISHED
    institution = factory.SubFactory(InstitutionFactory)
    region = factory.LazyAttribute(lambda o: o.institution.region)
    summary = "Ringkasan inovasi uji."


class ReplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Replication
        skip_postgeneration_save = True

    origin = factory.SubFactory(NetworkInnovationFactory)
    institution = factory.SubFactory(InstitutionFactory)
    status = Replication.Status.INTEREST

    @factory.post_generation
    def event(self, create, extracted, **kwargs):
        if create:
            ReplicationEvent.objects.create(replication=self, status=self.status)


def pdf_upload(name: str = "kesepakatan.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n" + b"0" * size + b"\n%%EOF", content_type="application/pdf")


def docx_upload(name: str = "kesepakatan.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def png_named_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("kesepakatan.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="application/pdf")


def import_csv(rows: list[dict[str, str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    import csv

    columns = list(dict.fromkeys(column for row in rows for column in row)) or ["judul"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def import_xlsx(rows: list[dict[str, str]]) -> bytes:
    from openpyxl import Workbook

    columns = list(dict.fromkeys(column for row in rows for column in row)) or ["judul"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(column, "") for column in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
