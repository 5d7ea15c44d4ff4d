from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Activity,
    AuditEvent,
    Hub,
    HubSettings,
    Institution,
    MaturityAssessment,
    MaturityOption,
    MaturityQuestion,
    Membership,
    MembershipContact,
    Region,
    User,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "bps_code", "kemendagri_code", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "bps_code", "kemendagri_code"]


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "parent"]
    list_filter = ["kind", "region"]
    list_select_related = ["region", "parent"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "email", "institution", "is_active"]
    list_filter = ["groups", "is_active", "institution__region"]
    list_select_related = ["institution"]
    autocomplete_fields = ["institution"]
    fieldsets = (*DjangoUserAdmin.fieldsets, (_("Hub JIPP"), {"fields": ["institution"]}))
    add_fieldsets = (*DjangoUserAdmin.add_fieldsets, (_("Hub JIPP"), {"fields": ["institution", "email"]}))


class HubSettingsInline(admin.StackedInline):
    model = HubSettings
    can_delete = False


@admin.register(Hub)
class HubAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "decree_number", "decree_date", "status"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [HubSettingsInline]


class MembershipContactInline(admin.TabularInline):
    model = MembershipContact
    extra = 0
    exclude = ["created_by"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["institution", "hub", "role", "starts_on", "ends_on"]
    list_filter = ["hub", "role", "institution__region"]
    list_select_related = ["institution", "hub"]
    search_fields = ["institution__name"]
    autocomplete_fields = ["institution"]
    inlines = [MembershipContactInline]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "hub", "kind", "starts_at", "mode", "cancelled"]
    list_filter = ["hub", "kind", "mode", "cancelled"]
    search_fields = ["title"]
    filter_horizontal = ["invited"]
    exclude = ["created_by"]


class MaturityOptionInline(admin.TabularInline):
    model = MaturityOption
    extra = 1
    fields = ["order", "label_id", "label_en", "score"]


@admin.register(MaturityQuestion)
class MaturityQuestionAdmin(admin.ModelAdmin):
    """Where the self-assessment's questions and their weighted options are configured."""

    list_display = ["__str__", "aspect", "order", "weight", "active"]
    list_filter = ["aspect", "active"]
    list_editable = ["order", "weight", "active"]
    search_fields = ["text_id", "text_en"]
    inlines = [MaturityOptionInline]


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["hub", "year", "status", "submitted_at"]
    list_filter = ["hub", "status"]
    readonly_fields = ["scores"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read only: audit events are never added, changed or deleted by hand."""

    list_display = ["created_at", "actor_name", "action", "target_label", "address"]
    list_filter = ["action"]
    search_fields = ["actor_name", "target_label"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
