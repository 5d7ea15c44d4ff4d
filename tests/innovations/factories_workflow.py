"""Factories of the workflow area: records in each state, awards, evidence files."""

import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from innovations.models import SDG, Award, Innovation, State, WorkflowEvent
from tests.factories import InstitutionFactory


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Layanan Uji Nomor {n}")
    slug = factory.Sequence(lambda n: f"layanan-uji-{n}")
    state = State.DRAFT
    institution = factory.SubFactory(InstitutionFactory)
    region = factory.LazyAttribute(lambda o: o.institution.region)
    summary = "Ringkasan layanan uji."
    stage = "penerapan"
    kind = "digital"
    form = "pelayanan_publik"
    government_affair = "kesehatan"

    @factory.post_generation
    def sdgs(self, create, extracted, **kwargs):
        if create:
            self.sdgs.set(extracted if extracted is not None else SDG.objects.filter(number=3))


class PublishedInnovationFactory(InnovationFactory):
    state = State.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class SubmittedInnovationFactory(InnovationFactory):
    state = State.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    innovation = factory.SubFactory(InnovationFactory)
    year = 2014
    competition = Award.Competition.KIPP
    rank = Award.Rank.TOP_99


class WorkflowEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkflowEvent

    innovation = factory.SubFactory(InnovationFactory)
    from_state = State.SUBMITTED
    to_state = State.RETURNED
    comment = "Lengkapi ringkasan."


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def pdf_file(name: str = "laporan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def office_file(name: str, inner: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(inner, "<x/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def image_file(name: str = "foto.png", fmt: str = "PNG", size: tuple[int, int] = (1600, 1200)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")
