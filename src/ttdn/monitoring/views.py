"""Pages of opinion monitoring: the stories (with attention over time, breakdowns and CSV), one story with its
duplicates and tags, the sources and their health."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.core.money import format_vnd
from ttdn.core.pagecache import kept_page
from ttdn.monitoring import selectors, services
from ttdn.monitoring.forms import (
    AlertStepForm,
    ClaimForm,
    ExportEntryForm,
    FileEntryForm,
    ItemFilterForm,
    SourceForm,
    StoryEntryForm,
)
from ttdn.monitoring.jobs import poll_source
from ttdn.monitoring.models import AlertStatus, EntryRun, Source

PER_PAGE = 50
CSV_LIMIT = 50_000


def _filter_form(request: HttpRequest) -> ItemFilterForm:
    return ItemFilterForm(
        request.GET or None,
        provinces=selectors.provinces_for_filter(request.user),
        topics=list(selectors.topic_names().items()),
        languages=list(selectors.language_names().items()),
        sources=selectors.source_choices(),
    )


@login_required
@kept_page
def items(request: HttpRequest) -> HttpResponse:
    """Tin theo dõi: the stories in the reader's scope, newest first, with attention over 30 days."""
    form = _filter_form(request)
    filters = form.filters()
    found = selectors.filtered(request.user, filters)
    if request.GET.get("format") == "csv":
        return _csv(request, found)
    newest = selectors.Newest(
        request.user, filters
    )  # read once: the count, the breakdowns, the map, the terms
    page = selectors.page_of(found, request.GET.get("page"), per_page=PER_PAGE, newest=newest)
    chart = selectors.bar_chart(selectors.attention_of(request.user, filters, days=30))
    return render(
        request,
        "monitoring/items.html",
        {
            "form": form,
            "page": page,
            "chart": chart,
            "total": page.paginator.count,
            "more": page.paginator.more,
            "breakdown": selectors.breakdown(request.user, filters, newest=newest, provinces=False),
            "province_map": selectors.province_map(request.user, filters, newest=newest),
            "terms": selectors.top_terms(request.user, filters, sample=selectors.TERMS_SAMPLE, newest=newest),
            "terms_sample": selectors.TERMS_SAMPLE,
            "topic_names": selectors.topic_names(),
            "can_manage": selectors.can_manage_sources(request.user),
            "can_enter": selectors.can_enter_items(request.user),
        },
    )


def _csv(request: HttpRequest, found) -> HttpResponse:  # noqa: ANN001
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="ttdn-tin-{timezone.localdate():%Y%m%d}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Ngày đăng"),
            _("Nguồn"),
            _("Báo nước ngoài"),
            _("Tiêu đề"),
            _("Ngôn ngữ"),
            _("Sắc thái"),
            _("Tỉnh, thành phố"),
            _("Chủ đề"),
            _("Trùng với tin (địa chỉ)"),
            _("Địa chỉ"),
            _("Xem trong hệ thống"),
        ]
    )
    site = request.build_absolute_uri("/").rstrip("/")
    language_names = selectors.language_names()
    for row in selectors.export_rows(found, limit=CSV_LIMIT):
        writer.writerow(
            [
                timezone.localtime(row.published_at).strftime("%d/%m/%Y %H:%M"),
                row.source,
                _("có") if row.foreign else "",
                row.title,
                language_names.get(row.language, row.language),
                row.sentiment,
                "; ".join(row.provinces),
                "; ".join(row.topics),
                row.original,
                row.url,
                site + reverse("monitoring:item", args=[row.pk]),
            ]
        )
    return response


@login_required
def item(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.item_for(request.user, pk)
    if found is None:
        raise Http404
    return render(
        request,
        "monitoring/item.html",
        {
            "item": found,
            "tags": selectors.tags_of(found),
            "duplicates": selectors.duplicates_of(request.user, found),
            "claims": selectors.claims_of(request.user, found),
            "topic_names": selectors.topic_names(),
            "language_name": selectors.language_names().get(found.language, found.language),
        },
    )


@login_required
def sources(request: HttpRequest) -> HttpResponse:
    """Nguồn tin: every source with its health; the centre adds new feeds here."""
    can_manage = selectors.can_manage_sources(request.user)
    form = SourceForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form is not None and form.is_valid():
            source = services.add_source(request.user, **form.cleaned_data)
            poll_source.enqueue(source.pk)
            messages.success(
                request,
                _("Đã thêm nguồn “%(name)s”; tin sẽ được lấy trong ít phút (xem tình trạng nguồn bên dưới).")
                % {"name": source.name},
            )
            return redirect("monitoring:source", source.pk)
    return render(
        request,
        "monitoring/sources.html",
        {"sources": selectors.sources(), "form": form, "can_manage": can_manage},
    )


ENTRY_FORMS = {"story": StoryEntryForm, "file": FileEntryForm, "export": ExportEntryForm}


@login_required
def add(request: HttpRequest) -> HttpResponse:
    """Thêm tin: a story typed in, a file (page, text, Word, PDF) or an export of many (JSON, CSV)."""
    if not selectors.can_enter_items(request.user):
        raise PermissionDenied
    which = request.POST.get("form", "") if request.method == "POST" else ""
    forms = {
        name: form(request.POST, request.FILES, prefix=name) if name == which else form(prefix=name)
        for name, form in ENTRY_FORMS.items()
    }
    rows: list[str] = []
    if which in forms and forms[which].is_valid():
        form = forms[which]
        data = form.cleaned_data
        try:
            if which == "story":
                entered = services.enter_story(
                    request.user,
                    outlet=data["outlet"],
                    title=data["title"],
                    text=data["text"],
                    url=data["url"],
                    published=form.when(),
                    foreign=data["foreign"],
                )
            elif which == "file":
                upload = data["file"]
                entered = services.enter_file(
                    request.user,
                    filename=upload.name,
                    data=upload.read(),
                    outlet=data["outlet"],
                    url=data["url"],
                    published=form.when(),
                    foreign=data["foreign"],
                )
            else:
                upload = data["file"]
                entered = services.enter_export(
                    request.user,
                    filename=upload.name,
                    data=upload.read(),
                    outlet=data["outlet"],
                    foreign=data["foreign"],
                )
        except services.EntryRefused as exc:
            form.add_error("file" if which != "story" else "url", str(exc))
            rows = exc.rows
        else:
            if isinstance(entered, EntryRun):
                messages.success(
                    request,
                    _("Tệp có %(n)s dòng, đều hợp lệ; tin đang được nhập, trang dưới đây cho biết tiến độ.")
                    % {"n": format_vnd(entered.total, unit=False)},
                )
                return redirect("monitoring:run", entered.pk)
            return _entered(request, entered)
    return render(request, "monitoring/add.html", {"forms": forms, "which": which or "story", "rows": rows})


@login_required
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """Lượt nhập tin hàng loạt: a large export's progress, for whoever started it."""
    found = selectors.entry_run(request.user, pk)
    if found is None:
        raise Http404
    return render(request, "monitoring/run.html", {"run": found})


def _entered(request: HttpRequest, entered: services.Entered) -> HttpResponse:
    taken = entered.taken
    if entered.undated:
        messages.warning(
            request,
            _("Không thấy ngày đăng trong tệp hay trong ô “Ngày đăng”: tin được ghi ngày nhận (hôm nay)."),
        )
    if len(entered.items) == 1:
        item = entered.items[0]
        if item.duplicate_of_id:
            messages.warning(request, _("Tin đã nhận, là tin trùng với một tin đã có; xem tin gốc bên dưới."))
        else:
            messages.success(request, _("Đã nhận tin “%(title)s”.") % {"title": item.title[:120]})
        if selectors.visible_items(request.user).filter(pk=item.pk).exists():
            return redirect("monitoring:item", item.pk)
        messages.info(
            request, _("Tin không nhắc tới địa phương của bạn nên không hiện trong danh sách của bạn.")
        )
        return redirect("monitoring:items")
    if not entered.items:
        messages.info(request, _("Các tin trong tệp đều đã có trong hệ thống; không có gì mới."))
        return redirect("monitoring:add")
    messages.success(
        request,
        _("Đã nhập %(new)s tin mới, %(dup)s tin trùng; %(known)s tin đã có từ trước được bỏ qua.")
        % {
            "new": format_vnd(taken.new, unit=False),
            "dup": format_vnd(taken.duplicates, unit=False),
            "known": format_vnd(taken.known, unit=False),
        },
    )
    if len(entered.sources) == 1:
        return redirect(f"{reverse('monitoring:items')}?source={entered.sources[0].pk}&duplicates=on")
    return redirect("monitoring:sources")


@login_required
def source(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Source, pk=pk)
    health = selectors.source_health(found)
    return render(
        request,
        "monitoring/source.html",
        {
            "source": found,
            "health": health,
            "chart": selectors.bar_chart(health["per_day"]),  # type: ignore[arg-type]
            "can_manage": selectors.can_manage_sources(request.user),
            "polled": found.kind in services.POLLED,
        },
    )


@login_required
@require_POST
def source_action(request: HttpRequest, pk: int) -> HttpResponse:
    if not selectors.can_manage_sources(request.user):
        raise PermissionDenied
    found = get_object_or_404(Source, pk=pk)
    action = request.POST.get("action")
    if action in ("poll", "pause", "resume") and found.kind not in services.POLLED:
        messages.error(request, _("Nguồn này nhận tin nhập tay hay từ tệp, không lấy tin định kỳ."))
    elif action == "poll" and not found.active:
        messages.error(request, _("Nguồn đang tạm dừng; hãy bấm “Tiếp tục” trước khi lấy tin."))
    elif action == "poll":
        poll_source.enqueue(found.pk)
        messages.success(request, _("Đã xếp lịch lấy tin ngay; kết quả hiện trong tình trạng nguồn."))
    elif action in ("pause", "resume"):
        services.set_active(found, action == "resume")
        messages.success(
            request, _("Đã tạm dừng nguồn.") if action == "pause" else _("Đã tiếp tục theo dõi nguồn.")
        )
    return redirect("monitoring:source", found.pk)


# ------------------------------------------------------------------------------------------------- alerts


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """Cảnh báo: what the rules found in the reader's scope, open ones first by default."""
    status = request.GET.get("status", "open")
    page = Paginator(
        selectors.alerts_page(request.user, status if status != "all" else ""), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request, "monitoring/alerts.html", {"page": page, "status": status, "statuses": AlertStatus.choices}
    )


@login_required
def alert(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.alert_for(request.user, pk)
    if found is None:
        raise Http404
    can_respond = selectors.can_respond(request.user, found)
    form = AlertStepForm(
        request.POST or None,
        people=selectors.assignees(request.user, found),
        claims=selectors.published_claims(),
        initial={
            "rebuttal": found.rebuttal_id or found.claim_id
        },  # the claim the alert is about, to start with
    )
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            people = {p.pk: p for p in selectors.assignees(request.user, found)}
            claims = {c.pk: c for c in selectors.published_claims()}
            try:
                services.step(
                    found,
                    request.user,
                    data["action"],
                    note=data["note"],
                    assignee=people.get(data["assignee"]) if data["assignee"] else None,
                    response=data["response"],
                    rebuttal=claims.get(data["rebuttal"]) if data["rebuttal"] else None,
                )
            except services.AlertStepError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("Đã cập nhật cảnh báo: %(state)s.") % {"state": found.get_status_display()}
                )
                return redirect("monitoring:alert", found.pk)
    return render(
        request,
        "monitoring/alert.html",
        {
            "alert": found,
            "items": selectors.alert_items(request.user, found),
            "steps": found.steps.select_related("user"),
            "form": form,
            "can_respond": can_respond,
            "statuses": dict(AlertStatus.choices),
        },
    )


# ------------------------------------------------------------------------------------------------- claims


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """Tài liệu lập luận: the rebuttal library; the centre writes and publishes its entries."""
    can_edit = selectors.can_manage_sources(request.user)
    form = ClaimForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form is not None and form.is_valid():
            claim = services.save_claim(request.user, None, form.cleaned_data)
            messages.success(request, _("Đã lưu bản nháp tài liệu lập luận."))
            return redirect("monitoring:claim", claim.pk)
    query = request.GET.get("q", "").strip()
    found = selectors.visible_claims(request.user)
    if query:
        from ttdn.core.text import fold

        wanted = fold(query)
        found = [c for c in found if wanted in fold(f"{c.title} {c.summary} {c.keywords}")]
    return render(
        request,
        "monitoring/claims.html",
        {"claims": found, "form": form, "can_edit": can_edit, "query": query},
    )


@login_required
def claim(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.claim_for(request.user, pk)
    if found is None:
        raise Http404
    can_edit = selectors.can_manage_sources(request.user)
    form = ClaimForm(request.POST or None, instance=found) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if request.POST.get("action") == "publish":
            matched = services.publish_claim(request.user, found)
            messages.success(
                request,
                _("Đã phát hành tới các địa phương; %(n)s tin gần đây khớp với luận điệu.") % {"n": matched},
            )
            return redirect("monitoring:claim", found.pk)
        if form is not None and form.is_valid():
            services.save_claim(request.user, found, form.cleaned_data)
            messages.success(request, _("Đã lưu tài liệu lập luận."))
            return redirect("monitoring:claim", found.pk)
    return render(
        request,
        "monitoring/claim.html",
        {
            "claim": found,
            "items": selectors.claim_items(request.user, found),
            "form": form,
            "can_edit": can_edit,
        },
    )


@login_required
def digest(request: HttpRequest) -> HttpResponse:
    """Bản tin dư luận tuần (.docx): the seven days up to ``until`` (today by default), in the reader's scope."""
    import datetime as dt

    from ttdn.core.dates import parse_date
    from ttdn.monitoring.digest import weekly_digest

    raw = request.GET.get("until", "").strip()
    until = timezone.localdate()
    if raw:
        try:
            until = parse_date(raw) or until
        except ValueError:
            until = timezone.localdate()
    until = min(until, timezone.localdate() + dt.timedelta(days=1))
    response = HttpResponse(
        weekly_digest(request.user, until),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="ttdn-ban-tin-du-luan-{until:%Y%m%d}.docx"'
    return response
