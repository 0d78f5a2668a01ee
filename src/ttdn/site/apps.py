from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    """The top layer (trang chung): home pages, navigation, error pages, demo data and ``ttdn setup``.

    The only package that knows every app; no app imports it."""

    name = "ttdn.site"
    label = "ttdn_site"
    verbose_name = _("Trang chung")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Quản trị hệ thống TTĐN")
        admin.site.site_title = _("Quản trị TTĐN")
        admin.site.index_title = _("Dữ liệu quản trị")
