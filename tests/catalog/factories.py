"""Factories of the public catalogue's tests: published records and what hangs on them."""

import datetime

import factory
from django.utils import timezone

from innovations.models import SDG, Innovation, Kind, Replication, Stage, State
from innovations.search import fill_search_document
from tests.factories import InstitutionFactory
from tests.innovations import factories_workflow as workflow_factories


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Innovation
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Inovasi Uji {n}")
    slug = factory.Sequence(lambda n: f"inovasi-uji-{n}")
    state = State.PUBLISHED
    institution = factory.SubFactory(InstitutionFactory)
    region = factory.LazyAttribute(lambda o: o.institution.region)
    summary = "Ringkasan inovasi pelayanan publik."
    stage = Stage.IMPLEMENTATION
    kind = Kind.DIGITAL
    implementation_date = datetime.date(2023, 3, 1)
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # As the services do: the search document is written with the record.
        innovation = model_class(*args, **kwargs)
        fill_search_document(innovation)
        innovation.save()
        return innovation

    @factory.post_generation
    def sdgs(self, create, extracted, **kwargs):
        if create and extracted:
            self.sdgs.set(SDG.objects.filter(number__in=extracted))


class AwardFactory(workflow_factories.AwardFactory):
    innovation = factory.SubFactory(InnovationFactory)


class ReplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Replication

    origin = factory.SubFactory(InnovationFactory)
    institution = factory.SubFactory(InstitutionFactory)
    status = Replication.Status.IMPLEMENTED


def hidden_records(*, word: str) -> list[Innovation]:
    """One record in every non-public situation, each carrying `word` in its title and summary."""
    published = InnovationFactory(title="Induk terbit", summary="Versi yang terbit")
    records = [
        InnovationFactory(title=f"{word} draf", summary=word, state=state, published_at=None)
        for state in (State.DRAFT, State.SUBMITTED, State.RETURNED, State.ARCHIVED)
    ]
    records.append(
        InnovationFactory(
            title=f"{word} revisi",
            summary=word,
            state=State.SUBMITTED,
            revision_of=published,
            institution=published.institution,
            published_at=None,
        )
    )
    return records
