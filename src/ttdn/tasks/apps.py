from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "ttdn.tasks"
    label = "tasks"
    verbose_name = _("Nhiệm vụ")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.tasks.models import Duty, ProgressEntry, Task, TaskOccurrence

        auditlog.register(Duty, m2m_fields={"leads", "coordinators"})
        auditlog.register(Task, m2m_fields={"coordinators"})
        auditlog.register(TaskOccurrence, exclude_fields=["updated_at"])
        auditlog.register(ProgressEntry, m2m_fields={"attachments", "documents"})

        from ttdn.reporting import sources
        from ttdn.tasks.selectors import tracking_evidence

        sources.register_evidence("tasks", tracking_evidence)  # confirmed tasks linked to a tracking item
