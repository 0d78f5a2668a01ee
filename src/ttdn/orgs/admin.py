from django.contrib import admin
from django.http import HttpRequest

from ttdn.orgs.models import OrgDesignation, OrgEvent, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    """Corrections by an administrator; structure (code, parent) changes only through events."""

    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("code", "parent", "path")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: OrgUnit | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: OrgUnit, form, change: bool) -> None:  # noqa: ANN001
        obj.refresh_derived()
        super().save_model(request, obj, form, change)


@admin.register(OrgEvent)
class OrgEventAdmin(admin.ModelAdmin):
    list_display = ("effective_on", "kind", "note")
    list_filter = ("kind", "effective_on")
    readonly_fields = ("key",)
    filter_horizontal = ("predecessors", "successors")


admin.site.register(OrgDesignation)
