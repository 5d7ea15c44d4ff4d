"""Admin of innovation records: history-aware, workflow events read-only."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from .models import SDG, Award, Category, Evidence, Innovation, WorkflowEvent
from .search import fill_search_document


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["kind", "caption", "original_name", "content_type", "size", "uploaded_by"]
    readonly_fields = ["kind", "original_name", "content_type", "size", "uploaded_by"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Uploads go through the staff page, which checks the file's content.
        return False


class WorkflowEventInline(admin.TabularInline):
    model = WorkflowEvent
    extra = 0
    fields = ["created_at", "actor", "from_state", "to_state", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Innovation)
class InnovationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "institution", "region", "state", "updated_at"]
    list_filter = ["state", "region", "stage", "kind"]
    search_fields = ["title", "slug", "institution__name"]
    list_select_related = ["institution", "region"]
    # The workflow moves records only through the services, which record an event each time.
    readonly_fields = ["state", "submitted_at", "published_at", "revision_of", "created_by"]
    raw_id_fields = ["institution"]
    filter_horizontal = ["sdgs", "categories"]
    inlines = [AwardInline, EvidenceInline, WorkflowEventInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request: HttpRequest, obj: Innovation, form: Any, change: bool) -> None:
        # An edit here bypasses the services: the search document must follow the text all the same.
        fill_search_document(obj)
        super().save_model(request, obj, form, change)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name_id", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_id"]}


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name_id", "name_en"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WorkflowEvent)
class WorkflowEventAdmin(admin.ModelAdmin):
    list_display = ["innovation", "from_state", "to_state", "actor", "created_at"]
    list_filter = ["to_state"]
    list_select_related = ["innovation", "actor"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
