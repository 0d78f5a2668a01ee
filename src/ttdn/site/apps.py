from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ttdn.reporting.sources import Evidence


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
        from ttdn.accounts.forms import AdminLoginForm

        admin.site.login_form = AdminLoginForm
        from ttdn.reporting import sources

        # The registry of documents and reporting stand side by side and never import each other: the site,
        # which knows both, tells reporting which issued documents prove which tracking items.
        sources.register_evidence("documents", documents_evidence)


# The tracking item each kind of issued TTĐN document proves (documents.selectors.issued_ttdn_documents).
DOCUMENT_ITEMS = {"regulation": "quy_che", "scheme": "de_an"}


def documents_evidence(years: Collection[int] | None) -> list[Evidence]:
    """Regulations and schemes on foreign information a body issued, as evidence of its tracking items; the
    documents are public, so every reader gets the link."""
    from ttdn.documents.selectors import issued_ttdn_documents
    from ttdn.reporting.sources import Evidence

    return [
        Evidence(d.issuer_id, DOCUMENT_ITEMS[d.kind], d.year, d.label, d.url, private=False)
        for d in issued_ttdn_documents(years)
    ]
