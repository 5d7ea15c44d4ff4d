import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from innovations.models import State
from innovations.selectors import (
    evidence_visible_to,
    innovation_changes,
    innovation_return_comment,
    innovation_staff_scope,
    innovation_versions,
    innovations_in_queue,
    innovations_of_institution,
    innovations_returned,
    innovations_similar,
    queue_counts_by_region,
)
from innovations.services.workflow import (
    innovation_publish,
    innovation_return,
    innovation_revision_start,
    innovation_submit,
    innovation_update,
)
from tests.factories import InstitutionFactory, regency
from tests.innovations.factories_workflow import (
    InnovationFactory,
    PublishedInnovationFactory,
    SubmittedInnovationFactory,
)

pytestmark = pytest.mark.django_db


def test_innovations_of_institution_lists_only_own_for_operator(operator, other_institution):
    own = InnovationFactory(institution=operator.institution)
    InnovationFactory(institution=other_institution)
    assert list(innovations_of_institution(user=operator)) == [own]


def test_innovations_of_institution_lists_all_for_hub_admin(hub_admin, operator, other_institution):
    InnovationFactory(institution=operator.institution)
    InnovationFactory(institution=other_institution)
    assert innovations_of_institution(user=hub_admin).count() == 2


def test_innovations_of_institution_filters_state(operator):
    InnovationFactory(institution=operator.institution)
    submitted = SubmittedInnovationFactory(institution=operator.institution)
    assert list(innovations_of_institution(user=operator, state=State.SUBMITTED)) == [submitted]


def test_innovations_of_institution_empty_for_anonymous():
    assert list(innovations_of_institution(user=AnonymousUser())) == []


def test_innovation_staff_scope_empty_for_reviewer(reviewer):
    InnovationFactory()
    assert list(innovation_staff_scope(user=reviewer)) == []


def test_innovations_in_queue_oldest_first_and_only_submitted(hub_admin):
    first = SubmittedInnovationFactory()
    second = SubmittedInnovationFactory()
    InnovationFactory()
    PublishedInnovationFactory()
    assert list(innovations_in_queue(user=hub_admin)) == [first, second]


def test_innovations_in_queue_empty_for_operator(operator):
    SubmittedInnovationFactory(institution=operator.institution)
    assert list(innovations_in_queue(user=operator)) == []


def test_queue_counts_by_region_counts_per_region(hub_admin):
    polman = InstitutionFactory(code="polman-x", region=regency("Polewali Mandar"))
    SubmittedInnovationFactory()
    SubmittedInnovationFactory()
    SubmittedInnovationFactory(institution=polman)
    counts = [(row["region__name"], row["count"]) for row in queue_counts_by_region(user=hub_admin)]
    assert counts == [("Majene", 2), ("Polewali Mandar", 1)]


def test_innovation_return_comment_shown_while_returned(operator, hub_admin):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    innovation_return(innovation=innovation, by=hub_admin, comment="Lengkapi")
    innovation.refresh_from_db()
    assert innovation_return_comment(innovation=innovation).comment == "Lengkapi"


def test_innovation_return_comment_gone_after_resubmission(operator, hub_admin):
    innovation = SubmittedInnovationFactory(institution=operator.institution)
    innovation_return(innovation=innovation, by=hub_admin, comment="Lengkapi")
    innovation = innovation_submit(innovation=innovation, by=operator)
    assert innovation_return_comment(innovation=innovation) is None


def test_evidence_visible_to_anonymous_excludes_draft_files(operator):
    from innovations.models import Evidence

    draft = InnovationFactory(institution=operator.institution)
    published = PublishedInnovationFactory(institution=operator.institution)
    fields = {
        "kind": "document",
        "file": "evidence/a.pdf",
        "caption": "c",
        "original_name": "a",
        "content_type": "x",
        "size": 1,
    }
    Evidence.objects.create(innovation=draft, **fields)
    public = Evidence.objects.create(innovation=published, **fields)
    assert list(evidence_visible_to(user=AnonymousUser())) == [public]


def test_innovations_similar_returns_only_published(operator):
    published = PublishedInnovationFactory(title="Layanan Posyandu Keliling")
    InnovationFactory(title="Layanan Posyandu Keliling Draf")
    SubmittedInnovationFactory(title="Posyandu Keliling Menunggu")
    assert innovations_similar(title="Posyandu keliling", summary="") == [published]


def test_innovations_similar_excludes_record_itself():
    published = PublishedInnovationFactory(title="Layanan Posyandu Keliling")
    assert innovations_similar(title="Posyandu Keliling", exclude_pk=published.pk) == []


def test_innovations_similar_at_most_five():
    for number in range(7):
        PublishedInnovationFactory(title=f"Posyandu Keliling {number}")
    assert len(innovations_similar(title="Posyandu Keliling")) == 5


def test_innovations_similar_empty_for_short_text():
    PublishedInnovationFactory(title="ab")
    assert innovations_similar(title="ab") == []


def test_innovation_changes_of_revision_against_original(operator):
    original = PublishedInnovationFactory(institution=operator.institution, title="Asli")
    revision = innovation_revision_start(innovation=original, by=operator)
    innovation_update(
        innovation=revision, by=operator, fields={"title": "Diubah"}, sdgs=revision.sdgs.all(), categories=[], awards=[]
    )
    revision.refresh_from_db()
    baseline, changes = innovation_changes(innovation=revision)
    assert (baseline, [(c.name, c.before, c.after) for c in changes]) == ("published", [("title", "Asli", "Diubah")])


def test_innovation_changes_of_resubmission_against_previous_submission(operator, hub_admin):
    innovation = InnovationFactory(institution=operator.institution, summary="Lama")
    innovation_submit(innovation=innovation, by=operator)
    innovation_return(innovation=innovation, by=hub_admin, comment="x")
    innovation_update(
        innovation=innovation,
        by=operator,
        fields={"summary": "Baru"},
        sdgs=innovation.sdgs.all(),
        categories=[],
        awards=[],
    )
    innovation = innovation_submit(innovation=innovation, by=operator)
    baseline, changes = innovation_changes(innovation=innovation)
    assert (baseline, [(c.name, c.before, c.after) for c in changes]) == ("submission", [("summary", "Lama", "Baru")])


def test_innovation_changes_against_last_published_version(operator, hub_admin):
    innovation = SubmittedInnovationFactory(institution=operator.institution, title="Terbit")
    innovation = innovation_publish(innovation=innovation, by=hub_admin)
    innovation.title = "Sesudah"
    innovation.state = State.SUBMITTED
    innovation.save()
    baseline, changes = innovation_changes(innovation=innovation)
    assert (baseline, [(c.name, c.before, c.after) for c in changes]) == ("published", [("title", "Terbit", "Sesudah")])


def test_innovation_changes_first_submission_has_no_baseline(operator):
    innovation = innovation_submit(innovation=InnovationFactory(institution=operator.institution), by=operator)
    assert innovation_changes(innovation=innovation) == ("", [])


def test_innovation_versions_lists_changed_fields_newest_first(operator, hub_admin):
    innovation = InnovationFactory(institution=operator.institution)
    innovation_submit(innovation=innovation, by=operator)
    with translation.override("en"):
        versions = innovation_versions(innovation=innovation)
    assert (versions[0].changed, versions[0].record.history_user, versions[-1].changed) == (
        ["state", "submitted at"],
        None,
        ["created"],
    )


def test_innovations_similar_ranks_title_match_first():
    PublishedInnovationFactory(title="Sistem Data Pendidikan", summary="Data sekolah dan adat istiadat")
    exact = PublishedInnovationFactory(title="Sekolah Adat Mamasa", summary="Belajar budaya")
    assert innovations_similar(title="Sekolah Adat")[0] == exact


@pytest.mark.django_db
def test_innovation_state_counts_cover_only_own_institution(operator, other_institution):
    from innovations.selectors import innovation_state_counts

    InnovationFactory.create_batch(2, institution=operator.institution)
    SubmittedInnovationFactory(institution=operator.institution)
    InnovationFactory(institution=other_institution)
    assert innovation_state_counts(user=operator) == {
        "draft": 2,
        "submitted": 1,
        "returned": 0,
        "published": 0,
        "archived": 0,
    }


def test_innovations_returned_lists_own_returned_records_oldest_return_first(operator, hub_admin, other_institution):
    first, second = SubmittedInnovationFactory.create_batch(2, institution=operator.institution)
    elsewhere = SubmittedInnovationFactory(institution=other_institution)
    for record in (second, first, elsewhere):
        innovation_return(innovation=record, by=hub_admin, comment="Lengkapi.")
    InnovationFactory(institution=operator.institution)
    assert list(innovations_returned(user=operator)) == [second, first]


def test_innovations_returned_empty_for_hub_admin(hub_admin):
    record = SubmittedInnovationFactory()
    innovation_return(innovation=record, by=hub_admin, comment="Lengkapi.")
    assert list(innovations_returned(user=hub_admin)) == []
