import hashlib

from django.apps import AppConfig
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "ttdn.documents"
    label = "documents"
    verbose_name = _("Văn bản")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.documents.models import Correction, Document, Relation

        # The text is logged as its length and fingerprint (not in full), its validity as it changes.
        auditlog.register(
            Document,
            exclude_fields=["search_text", "updated_at"],
            mask_fields=["text", "source_text"],
            mask_callable="ttdn.documents.apps.text_fingerprint",
        )
        auditlog.register(Relation)
        auditlog.register(Correction)


def text_fingerprint(value: str) -> str:
    """How the audit log shows a document's text: its length and the start of its SHA-256."""
    if not value:
        return ""
    digest = hashlib.sha256(value.encode("utf-8")).hexdigest()[:16]
    return gettext("%(n)s ký tự, sha256 %(digest)s") % {"n": len(value), "digest": digest}
