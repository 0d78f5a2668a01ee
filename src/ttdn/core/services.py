"""Writes of the core app: storing evidence files."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from ttdn.core.audit import acting_as
from ttdn.core.files import MAX_BYTES, FileRefused, check_file
from ttdn.core.models import Attachment

if TYPE_CHECKING:  # core is the ground: it names the bodies' model, never imports it
    from ttdn.orgs.models import OrgUnit


def store_attachment(user: Any, unit: OrgUnit, upload: UploadedFile) -> Attachment:
    """Check and keep an uploaded file for a body; raises ValidationError with the reason when refused."""
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(_("Tệp quá lớn; giới hạn là %(mb)s MB.") % {"mb": MAX_BYTES // 1024 // 1024})
    data = upload.read(MAX_BYTES + 1)
    try:
        checked = check_file(upload.name or "", data)
    except FileRefused as exc:
        raise ValidationError(str(exc)) from exc
    attachment = Attachment(
        name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=hashlib.sha256(data).hexdigest(),
        unit=unit,
        uploaded_by=user if getattr(user, "is_authenticated", False) else None,
    )
    attachment.file.save(f"{attachment.sha256[:16]}{checked.suffix}", ContentFile(data), save=False)
    with acting_as(user):
        attachment.save()
    return attachment
