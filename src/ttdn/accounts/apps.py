from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ttdn.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ttdn.accounts.models import User

        auditlog.register(User, exclude_fields=["password", "last_login"])
