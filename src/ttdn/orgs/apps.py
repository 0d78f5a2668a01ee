from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "ttdn.orgs"
    label = "orgs"
    verbose_name = _("Đơn vị")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.orgs.models import OrgDesignation, OrgEvent, OrgUnit

        auditlog.register(OrgUnit, exclude_fields=["search_text", "updated_at"])
        auditlog.register(OrgEvent, m2m_fields={"predecessors", "successors"})
        auditlog.register(OrgDesignation)
