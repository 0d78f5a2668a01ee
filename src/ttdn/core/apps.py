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
