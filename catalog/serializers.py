"""Open-data shapes of published records, regions and institutions (read-only)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from innovations.models import Award, Evidence, Innovation, SustainabilityUpdate
from innovations.selectors import LineageNode, innovation_lineage
from jipp.models import Institution, Region


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class RegionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["name", "bps_code", "kemendagri_code"]


class RegionSerializer(serializers.ModelSerializer):
    parent = RegionBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["name", "level", "bps_code", "kemendagri_code", "capital", "parent"]


class InstitutionBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["code", "name"]


class InstitutionSerializer(serializers.ModelSerializer):
    region = RegionBriefSerializer(read_only=True, allow_null=True)
    innovation_count = serializers.IntegerField(read_only=True, help_text="Published innovations.")

    class Meta:
        model = Institution
        fields = ["code", "name", "kind", "region", "innovation_count"]


class AwardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Award
        fields = ["year", "competition", "rank", "note"]


class InnovationListSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="implementation_year", read_only=True, allow_null=True)
    region = RegionBriefSerializer(read_only=True)
    institution = InstitutionBriefSerializer(read_only=True)
    sdgs = serializers.SlugRelatedField(many=True, read_only=True, slug_field="number")
    awards = AwardSerializer(many=True, read_only=True)
    replication_count = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Innovation
        fields = [
            "slug",
            "title",
            "summary",
            "stage",
            "kind",
            "form",
            "year",
            "region",
            "institution",
            "sdgs",
            "awards",
            "replication_count",
            "url",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, innovation: Innovation) -> str:
        return _absolute(self.context.get("request"), innovation.get_absolute_url())


class EvidenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    preview_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["kind", "caption", "content_type", "size", "url", "preview_url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, evidence: Evidence) -> str:
        return _absolute(self.context.get("request"), reverse("innovations:evidence_file", kwargs={"pk": evidence.pk}))

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True, "description": "Photos only."})
    def get_preview_url(self, evidence: Evidence) -> str | None:
        if evidence.kind != Evidence.Kind.PHOTO or not evidence.preview:
            return None
        return _absolute(
            self.context.get("request"), reverse("innovations:evidence_preview", kwargs={"pk": evidence.pk})
        )


class SustainabilityUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = SustainabilityUpdate
        fields = ["year", "status", "reason"]


class LineageRecordSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class LineageNodeSerializer(serializers.Serializer):
    institution = serializers.CharField(source="institution.name")
    region = serializers.CharField(source="region.name", allow_null=True, default=None)
    status = serializers.CharField()
    innovation = LineageRecordSerializer(allow_null=True)
    children = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"type": "object"}})
    def get_children(self, node: LineageNode) -> list[dict[str, Any]]:
        return LineageNodeSerializer(node.children, many=True, context=self.context).data


class LineageSerializer(serializers.Serializer):
    ancestors = LineageRecordSerializer(many=True)
    descendants = LineageNodeSerializer(many=True)


class InnovationDetailSerializer(InnovationListSerializer):
    evidence = EvidenceSerializer(many=True, read_only=True)
    sustainability_updates = SustainabilityUpdateSerializer(many=True, read_only=True)
    categories = serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")
    lineage = serializers.SerializerMethodField()

    class Meta(InnovationListSerializer.Meta):
        fields = [
            *InnovationListSerializer.Meta.fields,
            "unit",
            "background",
            "goals",
            "novelty",
            "implementation",
            "significance",
            "adaptability",
            "resources",
            "sustainability",
            "collaboration",
            "initiator",
            "government_affair",
            "trial_date",
            "implementation_date",
            "budget",
            "budget_source",
            "video_url",
            "sustainability_status",
            "categories",
            "published_at",
            "evidence",
            "sustainability_updates",
            "lineage",
        ]

    @extend_schema_field(LineageSerializer)
    def get_lineage(self, innovation: Innovation) -> dict[str, Any]:
        return LineageSerializer(innovation_lineage(innovation=innovation), context=self.context).data
