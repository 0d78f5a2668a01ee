from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ttdn.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.documents.models import Document, Relation

        auditlog.register(
            Document,
            exclude_fields=[
                "search_text",
                "updated_at",
                "text",
                "in_force_from",
                "ceased_on",
                "ceased_by",
                "reported_expired_by",
                "reported_in",
            ],
        )
        auditlog.register(Relation)
