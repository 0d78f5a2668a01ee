from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "ttdn.plans"
    label = "plans"
    verbose_name = _("Kế hoạch")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.plans.models import (
            Activity,
            ActivityCategory,
            BudgetLine,
            DeadlineRule,
            Plan,
            StaffPost,
            TrainingCourse,
        )

        auditlog.register(Plan, exclude_fields=["updated_at"], m2m_fields={"bases"})
        auditlog.register(Activity, m2m_fields={"evidence"})
        auditlog.register(BudgetLine)
        auditlog.register(StaffPost)
        auditlog.register(TrainingCourse)
        auditlog.register(ActivityCategory)
        auditlog.register(DeadlineRule)

        from ttdn.plans.selectors import record_values, tracking_evidence
        from ttdn.reporting import sources

        sources.register("plans", record_values)  # approved plans, training courses, dedicated posts
        sources.register_evidence("plans", tracking_evidence)  # approved plans, training courses
