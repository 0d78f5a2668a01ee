from django.contrib import admin

from ttdn.plans.models import ActivityCategory, DeadlineRule


@admin.register(ActivityCategory)
class ActivityCategoryAdmin(admin.ModelAdmin):
    """Activity categories are data: an administrator may add one or reword it."""

    list_display = ("code", "name", "order")
    search_fields = ("code", "name")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    """Plan deadlines per level, for every year (no year) or for one year, configurable here."""

    list_display = ("level", "year", "day", "month", "year_offset")
    list_filter = ("level",)
