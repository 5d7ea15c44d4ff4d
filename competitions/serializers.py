"""Open-data shapes of published KIPP results (read-only). No score, rank or note ever appears here."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from innovations.models import State

from .models import Decision, Edition, EditionCategory, EntryGroup, Stage


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class PublishedStageSerializer(serializers.ModelSerializer):
    stage = serializers.ChoiceField(source="kind", choices=Stage.Kind.choices, read_only=True)

    class Meta:
        model = Stage
        fields = ["stage", "results_published_at"]


class EditionSerializer(serializers.ModelSerializer):
    published = PublishedStageSerializer(source="published_stages", many=True, read_only=True)
    results = serializers.SerializerMethodField(help_text="This edition's published results in the API.")
    page = serializers.SerializerMethodField(help_text="The public results page.")

    class Meta:
        model = Edition
        fields = ["year", "theme", "published", "results", "page"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_results(self, edition: Edition) -> str:
        path = reverse("competitions_api:results", kwargs={"year": edition.year})
        return _absolute(self.context.get("request"), path)

    @extend_schema_field(OpenApiTypes.URI)
    def get_page(self, edition: Edition) -> str:
        return _absolute(self.context.get("request"), reverse("competitions:results", kwargs={"year": edition.year}))


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = EditionCategory
        fields = ["code", "name_id", "name_en"]


class ResultSerializer(serializers.ModelSerializer):
    entry = serializers.CharField(source="entry.code", read_only=True, help_text="KIPP-<year>-<number>")
    group = serializers.ChoiceField(source="entry.group", choices=EntryGroup.choices, read_only=True)
    category = CategorySerializer(source="entry.category", read_only=True)
    title = serializers.SerializerMethodField()
    institution = serializers.SerializerMethodField()
    region = serializers.SerializerMethodField()
    innovation = serializers.SerializerMethodField(help_text="The published record in the catalogue, if it still is.")

    class Meta:
        model = Decision
        fields = ["entry", "outcome", "group", "category", "title", "institution", "region", "innovation"]

    def get_title(self, decision: Decision) -> str:
        return str(getattr(decision, "entry_title", "") or decision.entry.title)

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}})
    def get_institution(self, decision: Decision) -> dict[str, str]:
        institution = decision.entry.institution
        return {"code": institution.code, "name": institution.name}

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "name": {"type": "string"},
                "bps_code": {"type": "string"},
                "kemendagri_code": {"type": "string"},
            },
        }
    )
    def get_region(self, decision: Decision) -> dict[str, str] | None:
        region = decision.entry.institution.region
        if region is None:
            return None
        return {"name": region.name, "bps_code": region.bps_code, "kemendagri_code": region.kemendagri_code}

    @extend_schema_field(OpenApiTypes.URI)
    def get_innovation(self, decision: Decision) -> str | None:
        innovation = decision.entry.innovation
        if innovation.state != State.PUBLISHED:
            return None
        return _absolute(self.context.get("request"), innovation.get_absolute_url())


class StageResultSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(source="stage.kind", choices=Stage.Kind.choices)
    results_published_at = serializers.DateTimeField(source="stage.results_published_at")
    objections_close_at = serializers.DateTimeField(source="stage.objections_close_at", allow_null=True)
    results = serializers.SerializerMethodField()

    @extend_schema_field(ResultSerializer(many=True))
    def get_results(self, section: Any) -> list[dict[str, Any]]:
        decisions = [decision for group in section.groups for item in group.categories for decision in item.decisions]
        return list(ResultSerializer(decisions, many=True, context=self.context).data)


class EditionResultsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    theme = serializers.CharField()
    page = serializers.URLField()
    stages = StageResultSerializer(many=True, help_text="Published stages, the latest first.")
