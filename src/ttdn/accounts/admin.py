from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from ttdn.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("TTĐN", {"fields": ("role", "org_unit")}))
    list_display = ("username", "first_name", "last_name", "role", "org_unit", "is_active")
    list_filter = ("role", "is_active")
    raw_id_fields = ("org_unit",)
