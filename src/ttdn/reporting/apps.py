from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "ttdn.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo và theo dõi")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.reporting import models

        auditlog.register(models.TrackingValue)
        auditlog.register(models.Submission, exclude_fields=["updated_at"])
        for model in (
            models.TrackingItem,
            models.TrackingImport,
            models.ReportForm,
            models.Indicator,
            models.ValidationRule,
            models.ExpectedReporter,
        ):
            auditlog.register(model)

        from ttdn.reporting import selectors, sources

        sources.register_evidence("reports", selectors.report_evidence)  # accepted reports
