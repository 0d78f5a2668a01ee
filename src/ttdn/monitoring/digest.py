"""Bản tin dư luận tuần (the weekly digest) as .docx in the state's layout (Nghị định 30/2020): the reader's
scope over the seven days up to a day, with the figures, the provinces and topics most written about, the
negative stories worth reading and the alerts with how far their response has gone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.accounts.models import User
from ttdn.core.dates import format_date
from ttdn.monitoring import selectors
from ttdn.monitoring.models import Sentiment

DAYS = 7


def weekly_digest(user: User, until: dt.date) -> bytes:
    from ttdn.core.docx_layout import (
        Column,
        add_table,
        letter_header,
        line,
        new_document,
        recipients_and_signature,
        to_bytes,
    )

    since = until - dt.timedelta(days=DAYS - 1)
    filters = selectors.Filters(since=since, until=until)
    stories = selectors.filtered(user, filters)
    counts = selectors.breakdown(user, filters, sample=None)
    total = stories.count()
    negative = stories.filter(sentiment=Sentiment.NEGATIVE).count()
    foreign = stories.filter(source__foreign=True).count()
    unit = user.org_unit
    document = new_document()
    letter_header(
        document,
        superior=(unit.parent.name if unit is not None and unit.parent is not None else ""),
        issuer=unit.name if unit is not None else _("Cục Thông tin cơ sở và Thông tin đối ngoại"),
        number="      /BC-",
        place="Hà Nội" if unit is None or not unit.short_name else unit.short_name,
        on=timezone.localdate(),
    )
    line(document, _("BÁO CÁO"), bold=True, size=14, align="center")
    line(
        document,
        _("Tình hình dư luận trong nước và quốc tế từ ngày %(since)s đến ngày %(until)s")
        % {"since": format_date(since), "until": format_date(until)},
        bold=True,
        size=14,
        align="center",
    )
    line(document, "")
    line(document, _("1. Tổng quan"), bold=True)
    line(
        document,
        _(
            "Trong tuần, hệ thống ghi nhận %(total)s tin (không kể tin trùng), trong đó %(negative)s tin có sắc thái "
            "tiêu cực và %(foreign)s tin của báo chí nước ngoài."
        )
        % {"total": total, "negative": negative, "foreign": foreign},
        indent=True,
        align="justify",
    )
    line(document, _("2. Theo địa phương và chủ đề"), bold=True)
    rows: list[list[str]] = [[_("Stt"), _("Tỉnh, thành phố"), _("Số tin")]]
    for n, (_pk, name, count) in enumerate(counts["provinces"][:15], start=1):
        rows.append([str(n), name, str(count)])
    if len(rows) > 1:
        add_table(
            document,
            rows,
            [Column("fixed", "center"), Column("text"), Column("fixed", "center")],
            allow_landscape=False,
        )
    else:
        line(document, _("Không có tin nào nêu tên tỉnh, thành phố."), indent=True)
    line(document, "")
    rows = [[_("Stt"), _("Chủ đề"), _("Số tin")]]
    for n, (_code, name, count) in enumerate(counts["topics"][:15], start=1):
        rows.append([str(n), name, str(count)])
    if len(rows) > 1:
        add_table(
            document,
            rows,
            [Column("fixed", "center"), Column("text"), Column("fixed", "center")],
            allow_landscape=False,
        )
    line(document, "")
    line(document, _("3. Tin tiêu cực đáng chú ý"), bold=True)
    worst = list(
        stories.filter(sentiment=Sentiment.NEGATIVE).order_by("sentiment_score", "-published_at")[:10]
    )
    if worst:
        rows = [[_("Stt"), _("Tin"), _("Nguồn"), _("Ngày đăng")]]
        for n, item in enumerate(worst, start=1):
            rows.append(
                [
                    str(n),
                    item.title,
                    item.source.name,
                    format_date(timezone.localtime(item.published_at).date()),
                ]
            )
        add_table(
            document,
            rows,
            [Column("fixed", "center"), Column("text"), Column("text"), Column("fixed", "center")],
            allow_landscape=False,
        )
    else:
        line(document, _("Không có tin tiêu cực trong tuần."), indent=True)
    line(document, "")
    line(document, _("4. Cảnh báo và xử lý"), bold=True)
    alerts = list(
        selectors.visible_alerts(user).filter(raised_at__date__gte=since, raised_at__date__lte=until)[:20]
    )
    if alerts:
        rows = [[_("Stt"), _("Cảnh báo"), _("Trạng thái"), _("Cách xử lý")]]
        for n, alert in enumerate(alerts, start=1):
            rows.append(
                [str(n), alert.title, alert.get_status_display(), alert.get_response_display() or "—"]
            )
        add_table(
            document,
            rows,
            [Column("fixed", "center"), Column("text"), Column("fixed", "center"), Column("text")],
            allow_landscape=False,
        )
    else:
        line(document, _("Không có cảnh báo trong tuần."), indent=True)
    line(document, "")
    recipients_and_signature(
        document,
        recipients=[_("Lãnh đạo Cục (để báo cáo)")],
        authority="",
        position=_("Người lập báo cáo"),
        signer=user.display_name,
    )
    return to_bytes(document)
