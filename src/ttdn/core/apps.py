from auditlog.apps import AuditlogConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ttdn.core"
    label = "core"
    verbose_name = _("Lõi")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.core.models import Attachment

        auditlog.register(Attachment)


class AuditLogConfig(AuditlogConfig):
    """django-auditlog under Vietnamese names in the admin ("Nhật ký thay đổi", not "Audit log").

    Its model's names are set here rather than in a migration of a package this project does not own; the
    migration state reads the model's declared options, so nothing changes for the schema."""

    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        super().ready()
        from auditlog.models import LogEntry

        LogEntry._meta.verbose_name = _("bản ghi thay đổi")
        LogEntry._meta.verbose_name_plural = _("bản ghi thay đổi")
