"""The admin speaks Vietnamese: its apps and models, and every model whose changes its log shows, carry
Vietnamese names (no "Audit log", "Activity categorys", "Deadline rules")."""

from __future__ import annotations

import re

import pytest
from auditlog.registry import auditlog
from django.contrib import admin

from tests.conftest import login


def _is_vietnamese(name: str) -> bool:
    return bool(re.search(r"[^\x00-\x7f]", name))  # every Vietnamese name here has a letter English lacks


def test_every_model_of_the_admin_and_its_log_is_named_in_vietnamese() -> None:
    models = {*admin.site._registry, *auditlog.get_models()}
    unnamed = [
        m.__name__
        for m in models
        if not (
            _is_vietnamese(str(m._meta.verbose_name)) and _is_vietnamese(str(m._meta.verbose_name_plural))
        )
    ]
    assert unnamed == []
    apps = {m._meta.app_config.verbose_name for m in models}
    assert all(_is_vietnamese(str(a)) for a in apps), apps


@pytest.mark.django_db
def test_the_admin_index_has_no_english() -> None:
    page = login("quantri").get("/admin/").content.decode()
    captions = re.findall(r'class="section" title="([^"]*)">([^<]*)</a>', page)
    rows = re.findall(r'<th scope="row" id="[^"]*">\s*<a href="[^"]*">([^<]*)</a>', page)
    assert captions and rows
    assert all(_is_vietnamese(t) and _is_vietnamese(n) for t, n in captions), captions
    assert all(_is_vietnamese(n) for n in rows), rows
    assert "Nhật ký thay đổi" in {n for _t, n in captions}
    for english in ("Audit log", "Model name", "Add link", "Django"):
        assert english not in page
