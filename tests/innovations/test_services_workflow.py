import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from innovations.models import SDG, Award, Evidence, Innovation, InvalidTransitionError, State, WorkflowEvent
from innovations.services.workflow import (
    innovation_archive,
    innovation_create,
    innovation_publish,
    innovation_restore,
    innovation_return,
    innovation_revision_start,
    innovation_submit,
    innovation_update,
)
from tests.innovations.factories_workflow import (
    AwardFactory,
    InnovationFactory,
    PublishedInnovationFactory,
    SubmittedInnovationFactory,
    pdf_file,
)

pytestmark = pytest.mark.django_db


def _create(operator, **fields):
    return innovation_create(by=operator, fields={"title": "Posyandu Digital", **fields})


def test_innovation_create_takes_institution_and_region_of_operator(operator):
    innovation = _create(operator)
    assert (innovation.institution_id, innovation.region_id, innovation.state) == (
        operator.institution_id,
        operator.institution.region_id,
        State.DRAFT,
    )


def test_innovation_create_ignores_state_and_institution_in_fields(operator, other_institution):
    innovation = _create(operator, state=State.PUBLISHED, institution=other_institution)
    assert (innovation.state, innovation.institution_id) == (State.DRAFT, operator.institution_id)


def test_innovation_create_refuses_hub_admin(hub_admin):
    with pytest.raises(PermissionDenied):
        innovation_create(by=hub_admin, fields={"title": "X"})


def test_innovation_create_slug_avoids_reserved_words(operator):
    assert _create(operator, title="Baru").slug == "baru-2"


def test_innovation_create_slug_is_unique(operator):
    first, second = _create(operator), _create(operator)
    assert (first.slug, second.slug) == ("posyandu-digital", "posyandu-digital-2")


def test_innovation_create_records_draft_event(operator):
    innovation = _create(operator)
    assert list(innovation.events.values_list("from_state", "to_state")) == [("", State.DRAFT)]


def test_innovation_update_replaces_awards_and_sdgs(operator):
    innovation = InnovationFactory(institution=operator.institution)
    AwardFactory(innovation=innovation, year=2015)
    innovation_update(
        innovation=innovation,
        by=operator,
        fields={"title": "Baru sekali"},
        sdgs=SDG.objects.filter(number__in=[1, 4]),
        categories=[],
        awards=[{"year": 2020, "competition": "kipp", "rank": "top45", "note": ""}],
    )
    innovation.refresh_from_db()
    assert (
        innovation.title,
        sorted(innovation.sdgs.values_list("number", flat=True)),
        list(innovation.awards.values_list("year", flat=True)),
    ) == ("Baru sekali", [1, 4], [2020])


def test_innovation_update_keeps_locked_awards_whatever_the_form_sends(operator):
    innovation = InnovationFactory(institution=operator.institution)
    AwardFactory(innovation=innovation, year=2025, rank=Award.Rank.TOP_45, locked=True)
    AwardFactory(innovation=innovation, year=2015)
    innovation_update(
        innovation=innovation,
        by=operator,
        fields={},
        sdgs=[],
        categories=[],
        awards=[
            {"year": 2025, "competition": "kipp", "rank": "top45", "note": "again", "locked": False},
            {"year": 2020, "competition": "provincial", "rank": "provincial", "note": "", "locked": True},
        ],
    )
    assert sorted(innovation.awards.values_list("year", "rank", "note", "locked")) == [
        (2020, "provincial", "", False),
        (2025, "top45", "", True),
    ]


def test_innovation_publish_revision_keeps_the_originals_locked_awards(operator, hub_admin):
    original = PublishedInnovationFactory(institution=operator.institution)
    AwardFactory(innovation=original, year=2025, rank=Award.Rank.TOP_45, locked=True)
    revision = innovation_revision_start(innovation=original, by=operator)
    locked_on_revision = list(revision.awards.values_list("year", "locked"))
    innovation_update(
        innovation=revision, by=operator, fields={}, sdgs=SDG.objects.filter(number=5), categories=[], awards=[]
    )
    innovation_submit(innovation=revision, by=operator)
    published = innovation_publish(innovation=revision, by=hub_admin)
    assert (locked_on_revision, list(published.awards.values_list("year", "rank", "locked"))) == (
        [(2025, True)],
        [(2025, Award.Rank.TOP_45, True)],
    )


def test_innovation_update_refuses_other_institution(other_operator, operator):
    innovation = InnovationFactory(institution=operator.institution, title="Asli")
    with pytest.raises(PermissionDenied):
        innovation_update(
            innovation=innovation, by=other_operator, fields={"title": "X"}, sdgs=[], categories=[], awards=[]
        )
    innovation.refresh_from_db()
    assert innovation.title == "Asli"


def test_innovation_update_refuses_submitted_record(operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        innovation_update(innovation=innovation, by=operator, fields={"title": "X"}, sdgs=[], categories=[], awards=[])


def test_innovation_submit_moves_draft_to_submitted_and_stamps(operator):
    innovation = innovation_submit(innovation=InnovationFactory(institution=operator.institution), by=operator)
    assert (innovation.state, innovation.submitted_at is not None) == (State.SUBMITTED, True)


def test_innovation_submit_refuses_incomplete_record(operator):
    innovation = InnovationFactory(institution=operator.institution, summary="", sdgs=[])
    with pytest.raises(ValidationError):
        innovation_submit(innovation=innovation, by=operator)
    innovation.refresh_from_db()
    assert innovation.state == State.DRAFT


def test_innovation_submit_refuses_other_institution(other_operator, operator):
    innovation = InnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        innovation_submit(innovation=innovation, by=other_operator)


def test_innovation_submit_refuses_hub_admin(hub_admin, operator):
    with pytest.raises(PermissionDenied):
        innovation_submit(innovation=InnovationFactory(institution=operator.institution), by=hub_admin)


def test_innovation_return_keeps_comment_in_event(hub_admin):
    innovation = innovation_return(innovation=SubmittedInnovationFactory(), by=hub_admin, comment=" Tambah data. ")
    event = innovation.events.get()
    assert (innovation.state, event.from_state, event.to_state, event.comment, event.actor) == (
        State.RETURNED,
        State.SUBMITTED,
        State.RETURNED,
        "Tambah data.",
        hub_admin,
    )


def test_innovation_return_requires_comment(hub_admin):
    innovation = SubmittedInnovationFactory()
    with pytest.raises(ValidationError):
        innovation_return(innovation=innovation, by=hub_admin, comment="   ")
    innovation.refresh_from_db()
    assert innovation.state == State.SUBMITTED


def test_innovation_return_refuses_operator(operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        innovation_return(innovation=innovation, by=operator, comment="x")


def test_innovation_resubmit_after_return_keeps_typed_content(operator, hub_admin):
    innovation = SubmittedInnovationFactory(institution=operator.institution, background="Latar asli")
    innovation_return(innovation=innovation, by=hub_admin, comment="Perbaiki")
    innovation = innovation_submit(innovation=innovation, by=operator)
    assert (innovation.state, innovation.background) == (State.SUBMITTED, "Latar asli")


def test_innovation_publish_stamps_published_at(hub_admin):
    innovation = innovation_publish(innovation=SubmittedInnovationFactory(), by=hub_admin)
    assert (innovation.state, innovation.published_at is not None) == (State.PUBLISHED, True)


def test_innovation_publish_refuses_operator(operator):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    with pytest.raises(PermissionDenied):
        innovation_publish(innovation=innovation, by=operator)
    innovation.refresh_from_db()
    assert innovation.state == State.SUBMITTED


def test_innovation_publish_refuses_draft(hub_admin):
    with pytest.raises(InvalidTransitionError):
        innovation_publish(innovation=InnovationFactory(), by=hub_admin)


def test_innovation_archive_then_restore(hub_admin):
    innovation = innovation_archive(innovation=PublishedInnovationFactory(), by=hub_admin)
    assert innovation.state == State.ARCHIVED
    assert innovation_restore(innovation=innovation, by=hub_admin).state == State.PUBLISHED


def test_innovation_archive_refuses_operator(operator):
    with pytest.raises(PermissionDenied):
        innovation_archive(innovation=PublishedInnovationFactory(institution=operator.institution), by=operator)


def test_innovation_revision_start_copies_content(operator):
    original = PublishedInnovationFactory(institution=operator.institution, title="Asli", novelty="Baru")
    AwardFactory(innovation=original)
    revision = innovation_revision_start(innovation=original, by=operator)
    assert (
        revision.revision_of_id,
        revision.state,
        revision.title,
        revision.novelty,
        list(revision.sdgs.values_list("number", flat=True)),
        revision.awards.count(),
        revision.slug,
    ) == (original.pk, State.DRAFT, "Asli", "Baru", [3], 1, f"{original.slug}-perubahan")


def test_innovation_revision_start_twice_returns_same_revision(operator):
    original = PublishedInnovationFactory(institution=operator.institution)
    assert innovation_revision_start(innovation=original, by=operator) == innovation_revision_start(
        innovation=original, by=operator
    )


def test_innovation_revision_start_refuses_other_institution(other_operator):
    with pytest.raises(PermissionDenied):
        innovation_revision_start(innovation=PublishedInnovationFactory(), by=other_operator)


def test_innovation_publish_revision_copies_onto_original_and_removes_revision(operator, hub_admin):
    original = PublishedInnovationFactory(institution=operator.institution, title="Asli")
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_update(
        innovation=revision,
        by=operator,
        fields={"title": "Diubah"},
        sdgs=SDG.objects.filter(number=5),
        categories=[],
        awards=[{"year": 2021, "competition": "kipp", "rank": "top45", "note": "n"}],
    )
    Evidence.objects.create(
        innovation=revision,
        kind="document",
        file="evidence/x.pdf",
        caption="c",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )
    innovation_submit(innovation=revision, by=operator)
    published = innovation_publish(innovation=revision, by=hub_admin)
    assert (
        published.pk,
        published.title,
        list(published.sdgs.values_list("number", flat=True)),
        list(published.awards.values_list("year", "rank")),
        published.evidence.count(),
        Innovation.objects.filter(pk=revision.pk).exists(),
        published.state,
    ) == (original.pk, "Diubah", [5], [(2021, Award.Rank.TOP_45)], 1, False, State.PUBLISHED)


def test_innovation_publish_revision_moves_events_to_original(operator, hub_admin):
    original = PublishedInnovationFactory(institution=operator.institution)
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_submit(innovation=revision, by=operator)
    innovation_publish(innovation=revision, by=hub_admin)
    assert list(WorkflowEvent.objects.filter(innovation=original).values_list("to_state", flat=True)) == [
        State.DRAFT,
        State.SUBMITTED,
        State.PUBLISHED,
    ]


def test_innovation_return_revision_keeps_original_public(operator, hub_admin):
    original = PublishedInnovationFactory(institution=operator.institution, title="Asli")
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_submit(innovation=revision, by=operator)
    innovation_return(innovation=revision, by=hub_admin, comment="Belum")
    original.refresh_from_db()
    revision.refresh_from_db()
    assert (original.state, revision.state) == (State.PUBLISHED, State.RETURNED)


def test_evidence_uploaded_to_revision_ends_on_original(operator, hub_admin):
    from innovations.services.evidence import evidence_add

    original = PublishedInnovationFactory(institution=operator.institution)
    revision = innovation_revision_start(innovation=original, by=operator)
    evidence = evidence_add(innovation=revision, by=operator, upload=pdf_file(), caption="Baru")
    innovation_submit(innovation=revision, by=operator)
    innovation_publish(innovation=revision, by=hub_admin)
    evidence.refresh_from_db()
    assert evidence.innovation_id == original.pk


def _full_record(operator):
    """A published record with every kind of content filled in: profile, dates, budget, SDGs, categories, awards."""
    import datetime as dt
    from decimal import Decimal

    from innovations.models import Category

    original = PublishedInnovationFactory(
        institution=operator.institution,
        unit="Bidang Pelayanan Kesehatan",
        initiator="opd",
        trial_date=dt.date(2019, 1, 1),
        implementation_date=dt.date(2019, 6, 1),
        budget=Decimal(150_000_000),
        budget_source="apbd",
        video_url="https://www.youtube.com/watch?v=abc",
        novelty="Baru",
    )
    original.categories.set(Category.objects.all()[:1])
    AwardFactory(innovation=original)
    return original


def _blank(revision, **fields):
    """What a careless copy did: the pending change lacks what the published record says."""
    Innovation.objects.filter(pk=revision.pk).update(**fields)
    revision.refresh_from_db()
    return revision


def test_innovation_revision_start_copies_every_content_field(operator):
    from innovations.models import CONTENT_FIELDS

    original = _full_record(operator)
    revision = innovation_revision_start(innovation=original, by=operator)
    assert (
        {name: getattr(revision, name) for name in CONTENT_FIELDS},
        list(revision.sdgs.all()),
        list(revision.categories.all()),
        list(revision.awards.values_list("year", "competition", "rank")),
    ) == (
        {name: getattr(original, name) for name in CONTENT_FIELDS},
        list(original.sdgs.all()),
        list(original.categories.all()),
        list(original.awards.values_list("year", "competition", "rank")),
    )


def test_revision_blanked_fields_names_what_the_change_would_empty(operator):
    from innovations.services.workflow import revision_blanked_fields

    original = _full_record(operator)
    revision = _blank(innovation_revision_start(innovation=original, by=operator), initiator="", budget=None)
    revision.categories.clear()
    revision.awards.all().delete()
    assert revision_blanked_fields(revision=revision) == ["initiator", "budget", "categories", "awards"]


def test_revision_blanked_fields_ignores_what_was_already_empty(operator):
    from innovations.services.workflow import revision_blanked_fields

    original = PublishedInnovationFactory(institution=operator.institution, unit="")
    revision = innovation_revision_start(innovation=original, by=operator)
    assert revision_blanked_fields(revision=revision) == []


def test_innovation_publish_refuses_a_revision_that_would_empty_fields(operator, hub_admin):
    from django.utils import translation

    original = _full_record(operator)
    revision = _blank(innovation_revision_start(innovation=original, by=operator), unit="", trial_date=None)
    innovation_submit(innovation=revision, by=operator)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        innovation_publish(innovation=revision, by=hub_admin)
    original.refresh_from_db()
    revision.refresh_from_db()
    assert (
        original.unit,
        original.trial_date is not None,
        revision.state,
        "trial date, unit" in str(refused.value),
    ) == (
        "Bidang Pelayanan Kesehatan",
        True,
        State.SUBMITTED,
        True,
    )


def test_innovation_publish_empties_fields_when_the_hub_confirms(operator, hub_admin):
    original = _full_record(operator)
    revision = _blank(innovation_revision_start(innovation=original, by=operator), video_url="")
    innovation_submit(innovation=revision, by=operator)
    published = innovation_publish(innovation=revision, by=hub_admin, allow_blanking=True)
    assert (published.pk, published.video_url, published.unit) == (original.pk, "", "Bidang Pelayanan Kesehatan")
