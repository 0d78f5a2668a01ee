from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ttdn.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo và theo dõi")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.reporting.models import Submission, TrackingValue

        auditlog.register(TrackingValue)
        auditlog.register(Submission, exclude_fields=["updated_at"])

        from ttdn.reporting import selectors, sources

        sources.register_evidence("reports", selectors.report_evidence)  # accepted reports
