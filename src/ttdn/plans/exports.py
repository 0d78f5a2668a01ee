"""A plan as a .docx in the layout of Nghị định 30/2020 (header of the issuing body, number, sections,
activity table, signing block, "Nơi nhận") and its budget table as .xlsx."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from ttdn.core.money import format_vnd
from ttdn.core.sheets import safe
from ttdn.orgs.models import OrgKind
from ttdn.plans import selectors
from ttdn.plans.models import BudgetSource, Plan

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def issuer_lines(plan: Plan) -> tuple[str, str]:
    """(superior, issuer) of the header: a province's plan is issued by its People's Committee."""
    unit = plan.unit
    if unit.kind == OrgKind.PROVINCE:
        return "", unit.authority_name
    if unit.parent is not None:
        parent = unit.parent
        return (parent.authority_name if parent.kind == OrgKind.PROVINCE else parent.name), unit.name
    return "", unit.name


def to_docx(plan: Plan, *, today: dt.date) -> bytes:
    from docx.enum.section import WD_SECTION

    from ttdn.core.docx_layout import (
        Cell,
        Column,
        add_table,
        letter_header,
        line,
        new_document,
        recipients_and_signature,
        to_bytes,
    )

    superior, issuer = issuer_lines(plan)
    document = new_document()
    place = (plan.unit.short_name or plan.unit.name).replace("Tỉnh ", "").replace("Thành phố ", "")
    on = plan.approved_at.date() if plan.approved_at else today
    letter_header(
        document, superior=superior, issuer=issuer, number=plan.number or "      /KH-", place=place, on=on
    )
    line(document, _("KẾ HOẠCH"), bold=True, size=14, align="center")
    line(
        document,
        plan.title.removeprefix("Kế hoạch ").capitalize()
        if plan.title.startswith("Kế hoạch ")
        else plan.title,
        bold=True,
        size=14,
        align="center",
    )
    line(document, "")
    for basis in plan.bases.all():
        line(
            document,
            _("Căn cứ %(type)s số %(number)s ngày %(date)s của %(issuer)s về %(subject)s;")
            % {
                "type": basis.doc_type,
                "number": basis.number,
                "date": basis.issued_on.strftime("%d/%m/%Y") if basis.issued_on else "",
                "issuer": basis.issuer_name,
                "subject": (basis.subject or "").removeprefix("Về ").removeprefix("về "),
            },
            indent=True,
            align="justify",
        )
    line(
        document,
        _("%(issuer)s ban hành Kế hoạch công tác thông tin đối ngoại năm %(year)s như sau:")
        % {"issuer": issuer, "year": plan.year},
        indent=True,
        align="justify",
    )
    section = 0
    line(document, f"{ROMAN[section]}. " + _("MỤC ĐÍCH, YÊU CẦU"), bold=True)
    line(document, "1. " + _("Mục đích"), bold=True, indent=True)
    for paragraph in (plan.objectives or "").splitlines():
        if paragraph.strip():
            line(document, paragraph.strip(), indent=True, align="justify")
    line(document, "2. " + _("Yêu cầu"), bold=True, indent=True)
    for paragraph in (plan.requirements or "").splitlines():
        if paragraph.strip():
            line(document, paragraph.strip(), indent=True, align="justify")
    section += 1
    line(document, f"{ROMAN[section]}. " + _("NỘI DUNG HOẠT ĐỘNG"), bold=True)
    groups = selectors.activities_by_category(plan)
    for n, (category, activities) in enumerate(groups, 1):
        line(document, f"{n}. {category.name}", bold=True, indent=True)
        for activity in activities:
            parts = [activity.title]
            if activity.lead:
                parts.append(_("chủ trì: %(lead)s") % {"lead": activity.lead.name})
            if activity.partners:
                parts.append(_("phối hợp: %(p)s") % {"p": activity.partners})
            if activity.timeline:
                parts.append(_("thời gian: %(t)s") % {"t": activity.timeline})
            line(document, "- " + "; ".join(parts) + ".", indent=True, align="justify")
    section += 1
    line(document, f"{ROMAN[section]}. " + _("KINH PHÍ THỰC HIỆN"), bold=True)
    totals = selectors.budget_totals(plan)
    line(
        document,
        _(
            "Tổng kinh phí: %(total)s (ngân sách trung ương %(c)s; ngân sách địa phương %(l)s; xã hội hóa %(s)s), chi tiết tại Phụ lục."
        )
        % {
            "total": format_vnd(totals.total),
            "c": format_vnd(totals.by_source.get("central", 0)),
            "l": format_vnd(totals.by_source.get("local", 0)),
            "s": format_vnd(totals.by_source.get("socialised", 0)),
        },
        indent=True,
        align="justify",
    )
    section += 1
    line(document, f"{ROMAN[section]}. " + _("TỔ CHỨC THỰC HIỆN"), bold=True)
    line(
        document,
        _(
            "Các cơ quan, đơn vị được giao chủ trì hoạt động chủ động triển khai, báo cáo kết quả về cơ quan thường trực công tác thông tin đối "
            "ngoại trước ngày 15/11/%(year)s để tổng hợp, báo cáo cấp trên theo quy định."
        )
        % {"year": plan.year},
        indent=True,
        align="justify",
    )
    line(document, "")
    authority = "TM. ỦY BAN NHÂN DÂN" if plan.unit.kind == OrgKind.PROVINCE else ""
    recipients_and_signature(
        document,
        recipients=[
            _("Bộ Văn hóa, Thể thao và Du lịch (Cục TTCS&TTĐN)"),
            _("Các sở, ban, ngành"),
            _("Như mục IV"),
        ],
        authority=authority,
        position="KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH" if authority else _("Thủ trưởng đơn vị"),
        signer="",
    )
    # The appendix on a section of its own, turned to landscape when its columns need the width.
    document.add_section(WD_SECTION.NEW_PAGE)
    line(document, _("PHỤ LỤC: DANH MỤC HOẠT ĐỘNG VÀ KINH PHÍ"), bold=True, align="center")
    line(
        document,
        _("(Kèm theo Kế hoạch số %(n)s)") % {"n": plan.number or "…"},
        italic=True,
        size=13,
        align="center",
    )
    line(document, "")
    heads = [
        _("Stt"),
        _("Hoạt động"),
        _("Đơn vị chủ trì"),
        _("Đơn vị phối hợp"),
        _("Thời gian"),
        _("Kinh phí (đồng)"),
        _("Nguồn kinh phí"),
    ]
    columns = [
        Column("fixed", "center"),
        Column("text", "left"),
        Column("text", "left"),
        Column("text", "left"),
        Column("text", "center"),
        Column("fixed", "right"),
        Column("text", "left"),
    ]
    rows: list[list[str | Cell]] = [list(heads)]
    bold_rows: list[int] = []
    number = 0
    for category, activities in groups:
        subtotal = sum(b.amount for activity in activities for b in activity.budget_lines.all())
        bold_rows.append(len(rows))
        rows.append([Cell(category.name, span=5), format_vnd(subtotal, unit=False) if subtotal else "", ""])
        for activity in activities:
            number += 1
            by_source: dict[str, int] = {}
            for budget in activity.budget_lines.all():
                by_source[budget.source] = by_source.get(budget.source, 0) + budget.amount
            rows.append(
                [
                    str(number),
                    activity.title,
                    activity.lead.name if activity.lead else "",
                    activity.partners,
                    activity.timeline,
                    format_vnd(sum(by_source.values()), unit=False) if by_source else "",
                    _sources_text(by_source),
                ]
            )
    bold_rows.append(len(rows))
    rows.append(["", Cell(_("Tổng cộng"), span=4, align="center"), format_vnd(totals.total, unit=False), ""])
    labels = dict(BudgetSource.choices)
    for source in BudgetSource.values:  # the total by source, each amount in the amount column
        if totals.by_source.get(source):
            rows.append(
                [
                    "",
                    Cell(_("Trong đó: %(source)s") % {"source": labels[source]}, span=4),
                    format_vnd(totals.by_source[source], unit=False),
                    "",
                ]
            )
    add_table(document, rows, columns, size=12, smallest=10, bold_rows=bold_rows)
    return to_bytes(document)


def _sources_text(by_source: dict[str, int]) -> str:
    """The funding sources of an amount: the source's name alone, or each source with its share."""
    labels = dict(BudgetSource.choices)
    if len(by_source) == 1:
        return str(labels[next(iter(by_source))]).capitalize()
    order = list(BudgetSource.values)
    return "\n".join(
        f"{str(labels[source]).capitalize()}: {format_vnd(amount, unit=False)}"
        for source, amount in sorted(by_source.items(), key=lambda item: order.index(item[0]))
    )


def to_xlsx(plan: Plan) -> bytes:
    """The budget table: one row per activity grouped by category, a column per source, subtotals."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    sources = list(BudgetSource.values)
    labels = dict(BudgetSource.choices)
    wb = Workbook()
    ws = wb.active
    ws.title = "Kinh phi"
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.cell(
        row=1, column=1, value=safe(_("BẢNG KINH PHÍ %(title)s") % {"title": plan.title.upper()})
    ).font = bold
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=4 + len(sources))
    ws.cell(row=2, column=1, value=safe(plan.unit.name)).font = plain
    heads = (
        [_("Stt"), _("Hoạt động"), _("Chủ trì")]
        + [str(labels[s]).capitalize() for s in sources]
        + [_("Tổng (đồng)")]
    )
    for c, head in enumerate(heads, 1):
        cell = ws.cell(row=4, column=c, value=head)
        cell.font, cell.border = bold, border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    r, number = 5, 0
    grand = {s: 0 for s in sources}
    for category, activities in selectors.activities_by_category(plan):
        ws.cell(row=r, column=2, value=safe(category.name)).font = bold
        sub = {s: 0 for s in sources}
        header_row = r
        r += 1
        for activity in activities:
            number += 1
            amounts = {s: 0 for s in sources}
            for line in activity.budget_lines.all():
                amounts[line.source] += line.amount
            values = (
                [number, safe(activity.title), safe(activity.lead.name) if activity.lead else ""]
                + [amounts[s] for s in sources]
                + [sum(amounts.values())]
            )
            for c, value in enumerate(values, 1):
                cell = ws.cell(row=r, column=c, value=value)
                cell.font, cell.border = plain, border
                if c > 3:
                    cell.number_format = "#,##0"
            for s in sources:
                sub[s] += amounts[s]
            r += 1
        for c, s in enumerate(sources, 4):
            cell = ws.cell(row=header_row, column=c, value=sub[s])
            cell.font, cell.number_format = bold, "#,##0"
            grand[s] += sub[s]
        cell = ws.cell(row=header_row, column=4 + len(sources), value=sum(sub.values()))
        cell.font, cell.number_format = bold, "#,##0"
        for c in range(1, 5 + len(sources)):
            ws.cell(row=header_row, column=c).border = border
    ws.cell(row=r, column=2, value=_("Tổng cộng")).font = bold
    for c, s in enumerate(sources, 4):
        cell = ws.cell(row=r, column=c, value=grand[s])
        cell.font, cell.number_format = bold, "#,##0"
    cell = ws.cell(row=r, column=4 + len(sources), value=sum(grand.values()))
    cell.font, cell.number_format = bold, "#,##0"
    for c in range(1, 5 + len(sources)):
        ws.cell(row=r, column=c).border = border
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 32
    for letter in "DEFG":
        ws.column_dimensions[letter].width = 18
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "4:4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
