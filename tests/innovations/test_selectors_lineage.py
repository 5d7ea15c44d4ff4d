import pytest

from innovations.models import Innovation, Replication, State
from innovations.selectors import (
    LINEAGE_DEPTH,
    innovation_lineage,
    replications_visible_to,
    with_replication_count,
)
from tests.factories import InstitutionFactory
from tests.innovations.factories_network import NetworkInnovationFactory, ReplicationFactory

pytestmark = pytest.mark.django_db


def chain(generations: int, *, state: str = State.PUBLISHED) -> list[Innovation]:
    """origin -> replica -> replica of the replica ..., each at its own institution."""
    records = [NetworkInnovationFactory()]
    for _generation in range(generations):
        replica = NetworkInnovationFactory(state=state)
        ReplicationFactory(
            origin=records[-1], institution=replica.institution, replica=replica, status=Replication.Status.IMPLEMENTED
        )
        records.append(replica)
    return records


def depth(nodes) -> int:
    return 1 + max((depth(node.children) for node in nodes), default=0) if nodes else 0


def test_lineage_walks_three_generations_down():
    records = chain(3)
    lineage = innovation_lineage(innovation=records[0])
    assert [lineage.descendants[0].innovation, lineage.descendants[0].children[0].children[0].innovation] == [
        records[1],
        records[3],
    ]


def test_lineage_lists_ancestors_oldest_first():
    records = chain(3)
    assert innovation_lineage(innovation=records[3]).ancestors == records[:3]


def test_lineage_hides_unpublished_replica():
    origin, replica = chain(1, state=State.DRAFT)
    node = innovation_lineage(innovation=origin).descendants[0]
    assert (node.innovation, node.institution, node.status) == (None, replica.institution, "implemented")


def test_lineage_does_not_follow_unpublished_replica():
    records = chain(1, state=State.DRAFT)
    grandchild = NetworkInnovationFactory()
    ReplicationFactory(origin=records[1], institution=grandchild.institution, replica=grandchild)
    assert innovation_lineage(innovation=records[0]).descendants[0].children == []


def test_lineage_hides_unpublished_origin():
    origin, replica = chain(1)
    Innovation.objects.filter(pk=origin.pk).update(state=State.ARCHIVED)
    assert innovation_lineage(innovation=replica).ancestors == []


def test_lineage_leaves_out_rejected_replications():
    origin = NetworkInnovationFactory()
    ReplicationFactory(origin=origin, status=Replication.Status.REJECTED)
    assert innovation_lineage(innovation=origin).descendants == []


def test_lineage_stops_at_depth_limit():
    records = chain(LINEAGE_DEPTH + 2)
    assert depth(innovation_lineage(innovation=records[0]).descendants) == LINEAGE_DEPTH


@pytest.mark.parametrize("generations", [2, 4])
def test_lineage_queries_bounded(generations, django_assert_max_num_queries):
    records = chain(generations)
    with django_assert_max_num_queries(2 * LINEAGE_DEPTH):
        innovation_lineage(innovation=records[len(records) // 2])


@pytest.mark.parametrize("width", [3, 30])
def test_lineage_queries_same_for_3_and_30_replicas(width, django_assert_num_queries):
    origin = NetworkInnovationFactory()
    for _index in range(width):
        replica = NetworkInnovationFactory()
        ReplicationFactory(origin=origin, institution=replica.institution, replica=replica, status="implemented")
    with django_assert_num_queries(3):
        innovation_lineage(innovation=origin)


def test_with_replication_count_counts_approved_and_implemented():
    origin = NetworkInnovationFactory()
    for status in ["interest", "agreement", "approved", "implemented", "rejected"]:
        ReplicationFactory(origin=origin, status=status)
    assert with_replication_count(Innovation.objects.filter(pk=origin.pk)).get().replication_count == 2


def test_replications_visible_to_operator_excludes_third_institutions(operator, institution):
    mine = ReplicationFactory(origin=NetworkInnovationFactory(institution=institution))
    ReplicationFactory(origin=NetworkInnovationFactory(institution=InstitutionFactory(code="jauh")))
    assert list(replications_visible_to(user=operator)) == [mine]


def test_replications_visible_to_reviewer_is_empty(reviewer):
    ReplicationFactory()
    assert list(replications_visible_to(user=reviewer)) == []
