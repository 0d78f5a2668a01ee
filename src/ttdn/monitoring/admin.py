from django.contrib import admin

from ttdn.monitoring.models import Item, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "url", "active", "last_success_at"]
    list_filter = ["kind", "active", "foreign"]
    search_fields = ["name", "url"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "published_at", "language", "sentiment", "duplicate_of"]
    list_filter = ["language", "sentiment", "source"]
    search_fields = ["title", "url"]
    raw_id_fields = ["duplicate_of"]
    readonly_fields = ["url_key", "title_key", "search_text"]

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        from ttdn.monitoring.services import delete_items

        delete_items(Item.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset) -> None:  # noqa: ANN001
        from ttdn.monitoring.services import delete_items

        delete_items(queryset)
