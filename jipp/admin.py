from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Institution, Region, User


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
