from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "ttdn.monitoring"
    label = "monitoring"
    verbose_name = _("Theo dõi dư luận")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.monitoring.models import Alert, AlertRule, Claim, Source

        auditlog.register(Claim, exclude_fields=["updated_at"])
        auditlog.register(AlertRule)
        auditlog.register(Alert, m2m_fields={"items"})
        auditlog.register(
            Source,
            exclude_fields=[
                "etag",
                "last_modified",
                "last_polled_at",
                "last_success_at",
                "last_error",
                "last_error_at",
                "last_warning",
            ],
        )
