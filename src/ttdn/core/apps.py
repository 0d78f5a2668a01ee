from auditlog.apps import AuditlogConfig
from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig as TasksDatabaseConfig


class CoreConfig(AppConfig):
    # This module also holds the configurations of two packages (named below); the app's own is the default.
    default = True
    name = "ttdn.core"
    label = "core"
    verbose_name = _("Lõi")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db import connections

        from ttdn.core import versions
        from ttdn.core.models import Attachment

        auditlog.register(Attachment)
        for conn in connections.all(initialized_only=True):  # connected before this app was ready
            versions.install(conn)


class AuditLogConfig(AuditlogConfig):
    """django-auditlog under Vietnamese names in the admin ("Nhật ký thay đổi", not "Audit log").

    Its model's names are set here rather than in a migration of a package this project does not own; the
    migration state reads the model's declared options, so nothing changes for the schema."""

    default = False
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        super().ready()
        from auditlog.models import LogEntry

        LogEntry._meta.verbose_name = _("bản ghi thay đổi")
        LogEntry._meta.verbose_name_plural = _("bản ghi thay đổi")


class AxesConfig(AxesAppConfig):
    """django-axes (login throttling) under Vietnamese names in the admin, as for django-auditlog."""

    default = False
    verbose_name = _("Khóa đăng nhập sai")

    def ready(self) -> None:
        super().ready()
        from axes import models

        names = {
            "AccessAttempt": _("lần đăng nhập sai"),
            "AccessFailureLog": _("nhật ký đăng nhập sai"),
            "AccessLog": _("nhật ký đăng nhập"),
            "AccessAttemptExpiration": _("hạn khóa đăng nhập"),
        }
        for name, label in names.items():
            model = getattr(models, name, None)
            if model is not None:
                model._meta.verbose_name = model._meta.verbose_name_plural = label


class JobsConfig(TasksDatabaseConfig):
    """django-tasks-db (the job queue) under Vietnamese names in the admin, as for django-auditlog."""

    default = False
    verbose_name = _("Việc chạy nền")

    def ready(self) -> None:
        super().ready()
        from django_tasks_db.models import DBTaskResult

        DBTaskResult._meta.verbose_name = _("việc chạy nền")
        DBTaskResult._meta.verbose_name_plural = _("việc chạy nền")
