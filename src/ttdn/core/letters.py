"""Công văn đôn đốc to the bodies that have not sent something (a report, a plan): a one-page letter body in
the Nghị định 30/2020 layout addressed to the bodies listed in its annex (phụ lục), the list in the annex."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from ttdn.core.dates import format_date
from ttdn.core.docx_layout import (
    Column,
    add_table,
    letter_header,
    line,
    new_document,
    recipients_and_signature,
    to_bytes,
)

NAMED_IN_LETTER = 3  # up to this many bodies are named after "Kính gửi"; more go to the annex only


def missing_letter(
    *,
    subject: str,
    what: str,
    deadline: dt.date | None,
    bodies: Sequence[tuple[str, str]],
    today: dt.date,
    issuer: str,
    superior: str,
    place: str = "Hà Nội",
) -> bytes:
    """``what``: what was due ("Báo cáo công tác thông tin đối ngoại năm 2026"); ``bodies``: (name, state now)
    of each body that has not sent it, in the order they are listed."""
    from docx.enum.section import WD_SECTION

    document = new_document()
    letter_header(
        document, superior=superior, issuer=issuer, number="      /", place=place, on=today, subject=subject
    )
    names = [name for name, _state in bodies]
    if len(names) <= NAMED_IN_LETTER:
        addressed = "; ".join(names)
    else:
        addressed = _("Các cơ quan, đơn vị có tên tại Phụ lục kèm theo (%(n)s đơn vị)") % {"n": len(names)}
    line(document, _("Kính gửi: %(who)s.") % {"who": addressed}, align="center", size=14)
    line(document, "")
    due = _(" (hạn gửi %(d)s)") % {"d": format_date(deadline)} if deadline else ""
    line(
        document,
        _(
            "Đến ngày %(today)s, %(n)s cơ quan, đơn vị chưa gửi %(what)s%(due)s về Cục qua hệ thống "
            "thông tin đối ngoại (danh sách tại Phụ lục kèm theo)."
        )
        % {"today": format_date(today), "n": len(names), "what": what, "due": due},
        indent=True,
        align="justify",
        size=14,
    )
    line(
        document,
        _(
            "Đề nghị các cơ quan, đơn vị khẩn trương hoàn thành, trình lãnh đạo phê duyệt và gửi trên hệ thống; "
            "trường hợp chưa thể gửi, báo cáo rõ lý do và thời gian gửi."
        ),
        indent=True,
        align="justify",
        size=14,
    )
    line(document, _("Trân trọng./."), indent=True, size=14)
    line(document, "")
    recipients_and_signature(
        document,
        recipients=[_("Như trên")],
        authority=_("KT. CỤC TRƯỞNG"),
        position=_("Phó Cục trưởng"),
        signer="",
    )
    document.add_section(WD_SECTION.NEW_PAGE)
    line(document, _("PHỤ LỤC"), bold=True, align="center", size=14)
    line(
        document,
        _("Danh sách cơ quan, đơn vị chưa gửi %(what)s") % {"what": what},
        bold=True,
        align="center",
        size=13,
    )
    line(
        document,
        _("(Kèm theo Công văn số      /      ngày %(d)s)") % {"d": format_date(today)},
        italic=True,
        align="center",
        size=13,
    )
    rows = [[_("Stt"), _("Cơ quan, đơn vị"), _("Tình trạng trên hệ thống")]]
    rows += [[str(n), name, state] for n, (name, state) in enumerate(bodies, start=1)]
    add_table(
        document,
        rows,
        [Column("fixed", "center"), Column("text", "left"), Column("text", "left")],
        size=12,
        allow_landscape=False,
    )
    return to_bytes(document)
