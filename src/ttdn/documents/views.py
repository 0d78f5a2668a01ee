"""Document registry pages: thin views over ``selectors`` and ``services``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ttdn.core.pagecache import kept_page
from ttdn.documents import bulk, selectors, services
from ttdn.documents.extract import ExtractError, extract_text
from ttdn.documents.forms import BulkImportForm, CorrectionForm, DocumentFilterForm, ImportForm, RelationForm
from ttdn.documents.models import Document, Relation
from ttdn.documents.parsing.parser import parse

PAGE_SIZE = 50


def _document(pk: int) -> Document:
    return get_object_or_404(Document.objects.select_related("issuer", "created_by"), pk=pk)


def _editable(request: HttpRequest, pk: int) -> Document:
    """The document, if this user may correct it and its relations; otherwise 403."""
    doc = _document(pk)
    if not selectors.can_edit(request.user, doc):
        raise PermissionDenied
    return doc


TEXT_HINT_BELOW = 20


@login_required
@kept_page
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    values = form.values()
    documents = selectors.counted_documents(values)
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    in_text: dict[str, object] = {}
    # When the metadata give few results, say what the texts hold too (beyond that the list is the answer).
    if (
        values["query"]
        and not values["body"]
        and page.number == 1
        and page.paginator.count <= TEXT_HINT_BELOW
    ):
        found, count, more = selectors.found_in_text(str(values["query"]))
        passages = selectors.excerpts(found, str(values["query"]))
        in_text = {
            "rows": [(doc, passages[doc.pk]) for doc in found],
            "count": count,
            "more": more,
        }
    excerpts = selectors.excerpts(page, str(values["query"])) if values["query"] and values["body"] else {}
    context = {
        "form": form,
        "values": values,
        "page": page,
        "total": page.paginator.count,
        "more": getattr(documents, "more", False),
        "in_text": in_text,
        "excerpts": excerpts,
        "facets": selectors.facets(),
        "today": timezone.localdate(),
        "fragment": selectors.list_fragment(request.GET, page.number, timezone.localdate()),
        "can_import": selectors.can_import(request.user),
        "columns": [
            ("number", _("Số, ký hiệu")),
            ("doc_type", _("Loại")),
            ("", _("Trích yếu")),
            ("", _("Cơ quan ban hành")),
            ("issued_on", _("Ngày ban hành")),
            ("", _("Hiệu lực")),
        ],
    }
    return render(request, "documents/list.html", context)


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(pk)
    outgoing, incoming = selectors.relations_of(doc)
    today = timezone.localdate()
    context = {
        "doc": doc,
        "today": today,
        "state": selectors.validity_of(doc).status(today).value,
        "citations": selectors.citations_of(doc),
        "cited_by": selectors.cited_by(doc),
        "outgoing": outgoing,
        "incoming": incoming,
        "problems": selectors.expired_bases(doc, today),
        "can_edit": selectors.can_edit(request.user, doc),
        "relation_form": RelationForm(),
    }
    return render(request, "documents/detail.html", context)


@login_required
def document_source(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(pk)
    if not doc.source_file:
        raise Http404
    return FileResponse(
        doc.source_file.open("rb"), as_attachment=True, filename=doc.source_name or doc.source_file.name
    )


@login_required
def import_start(request: HttpRequest) -> HttpResponse:
    if not selectors.can_import(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST if request.method == "POST" else None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        if upload:
            filename, data = upload.name, upload.read()
        else:
            filename, data = "noi-dung-dan.txt", form.cleaned_data["text"].encode("utf-8")
        try:
            services.preview(extract_text(filename, data))
        except (ExtractError, services.ImportRefused) as exc:
            form.add_error(None, str(exc))
        else:
            pending = services.create_pending(request.user, filename, data)
            return redirect("documents:import_preview", token=pending.token)
    status = 400 if form.errors else 200
    return _import_page(request, form, BulkImportForm(), status)


def _import_page(
    request: HttpRequest, form: ImportForm, bulk_form: BulkImportForm, status: int
) -> HttpResponse:
    context = {"form": form, "bulk_form": bulk_form, "runs": selectors.import_runs(request.user)}
    return render(request, "documents/import.html", context, status=status)


@login_required
@require_POST
def import_bulk(request: HttpRequest) -> HttpResponse:
    """Nhập hàng loạt: the files are kept and queued; the run's page shows its progress."""
    if not selectors.can_import(request.user):
        raise PermissionDenied
    form = BulkImportForm(request.POST, request.FILES)
    if form.is_valid():
        files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
        try:
            run = bulk.start(request.user, files)
        except services.ImportRefused as exc:
            form.add_error("files", str(exc))
        else:
            return redirect("documents:import_run", pk=run.pk)
    return _import_page(request, ImportForm(), form, 400)


@login_required
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.import_run(request.user, pk)
    if run is None:
        raise Http404
    return render(request, "documents/import_run.html", {"run": run})


def _preview_gone(request: HttpRequest) -> HttpResponse:
    messages.error(request, _("Bản xem trước không còn (đã lưu, đã hủy hoặc quá hạn). Hãy nhập lại."))
    return redirect("documents:import")


@login_required
def import_preview(request: HttpRequest, token: str) -> HttpResponse:
    pending = services.take_pending(request.user, token)
    if pending is None:
        return _preview_gone(request)
    text = extract_text(pending.filename, bytes(pending.data))
    parsed = parse(text)
    existing = services.find_existing(parsed)
    return render(
        request, "documents/preview.html", {"pending": pending, "parsed": parsed, "existing": existing}
    )


@login_required
@require_POST
def import_save(request: HttpRequest, token: str) -> HttpResponse:
    pending = services.take_pending(request.user, token)
    if pending is None:
        return _preview_gone(request)
    try:
        result = services.import_file(pending.filename, bytes(pending.data), user=request.user)
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
        return redirect("documents:import")
    pending.delete()
    if result.created:
        messages.success(request, _("Đã lưu văn bản vào sổ."))
    else:
        messages.info(request, _("Văn bản này đã có trong sổ; không tạo bản ghi mới."))
    return redirect("documents:detail", pk=result.document.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, token: str) -> HttpResponse:
    pending = services.take_pending(request.user, token)
    if pending is not None:
        pending.delete()
    messages.info(request, _("Đã hủy, không lưu gì."))
    return redirect("documents:import")


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    form = CorrectionForm(request.POST or None, instance=Document.objects.get(pk=doc.pk))
    if request.method == "POST":
        if form.is_valid():
            changes = {f: form.cleaned_data[f] for f in form.changed_data if f in services.CORRECTABLE}
            try:
                services.correct(doc, request.user, changes)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Đã lưu chỉnh sửa; các trường đã sửa được giữ nguyên khi phân tích lại.")
                )
                return redirect("documents:detail", pk=doc.pk)
        messages.error(request, _("Chưa lưu: hãy sửa các ô được đánh dấu."))
    return render(
        request, "documents/edit.html", {"doc": doc, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def document_reparse(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    services.reparse(doc, request.user)
    messages.success(request, _("Đã phân tích lại văn bản; các chỉnh sửa của cán bộ được giữ nguyên."))
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def relation_add(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _editable(request, pk)
    form = RelationForm(request.POST)
    if form.is_valid():
        target = services.resolve_reference(form.cleaned_data["target"], None, exclude=doc)
        if target is None:
            messages.error(
                request, _("Không tìm thấy văn bản “%(n)s” trong sổ.") % {"n": form.cleaned_data["target"]}
            )
        else:
            try:
                services.add_relation(
                    request.user,
                    doc,
                    target,
                    form.cleaned_data["kind"],
                    effective_on=form.cleaned_data["effective_on"],
                    note=form.cleaned_data["note"],
                )
            except (ValidationError, IntegrityError) as exc:
                messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
            else:
                messages.success(request, _("Đã thêm quan hệ."))
    else:
        messages.error(
            request,
            _("Chưa thêm quan hệ: %(e)s")
            % {"e": "; ".join(str(e) for errs in form.errors.values() for e in errs)},
        )
    return redirect("documents:detail", pk=doc.pk)


@login_required
@require_POST
def relation_delete(request: HttpRequest, pk: int) -> HttpResponse:
    relation = get_object_or_404(Relation.objects.select_related("source", "target"), pk=pk)
    try:
        services.delete_relation(request.user, relation)
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    else:
        messages.success(request, _("Đã xóa quan hệ."))
    return redirect("documents:detail", pk=relation.source_id)


@login_required
def expired_bases(request: HttpRequest) -> HttpResponse:
    rows = selectors.regulations_on_expired_basis()
    return render(request, "documents/expired_bases.html", {"rows": rows, "today": timezone.localdate()})
