"""Writes to the document registry: import, corrections, citations, relations, validity."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ttdn.core.audit import acting_as
from ttdn.core.text import fold
from ttdn.documents import search, validity
from ttdn.documents.extract import ExtractError, extract_text
from ttdn.documents.models import (
    Citation,
    Correction,
    CorrectionKind,
    Document,
    PendingImport,
    Relation,
    RelationKind,
    RelationOrigin,
)
from ttdn.documents.parsing import symbols
from ttdn.documents.parsing.parser import ParsedDocument, parse
from ttdn.documents.selectors import can_change_validity, can_import, is_registry_keeper
from ttdn.orgs.models import OrgUnit
from ttdn.orgs.names import match_issuer, province_of
from ttdn.orgs.scope import in_scope

FIELD_DATA = Path(__file__).parent / "data" / "field_documents.json"
CORRECTABLE = (
    "number",
    "doc_type",
    "issuer_name",
    "place",
    "issued_on",
    "effective_on",
    "subject",
    "signer_name",
    "signer_position",
    "signer_authority",
)
ENDING_KINDS = (RelationKind.REPLACES, RelationKind.REPEALS)
# Relations that change what the target document says is in force: only for its own body or central roles.
VALIDITY_KINDS = (RelationKind.REPLACES, RelationKind.AMENDS, RelationKind.REPEALS)
PENDING_TTL = dt.timedelta(days=1)


class ImportRefused(ValueError):
    """The input is not a document the registry can take; the message says why."""


@dataclass(frozen=True)
class ImportResult:
    document: Document
    created: bool  # False: the same document was already in the registry


def content_hash(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _terms(doc: Document) -> set[str]:
    parts = [
        doc.number,
        doc.doc_type,
        doc.subject,
        doc.issuer_name,
        doc.place,
        doc.signer_name,
        str(doc.year or ""),
    ]
    if doc.issuer_id:
        parts.append(doc.issuer.short_name if doc.issuer else "")
    terms = {w[:40] for w in fold(" ".join(p for p in parts if p)).split() if w}
    return terms | {search.STUB_WORD} if doc.is_stub else terms


def index_terms(doc: Document) -> None:
    """Refresh the document's search words (folded metadata and body) in the columns and the search engine."""
    search_text = " ".join(sorted(_terms(doc)))
    body = search.body_words(doc.text) if doc.text else ""
    if doc.search_text != search_text:
        Document.objects.filter(pk=doc.pk).update(search_text=search_text)
        doc.search_text = search_text
    search.update(doc.pk, search_text, body, doc.issued_on)


def rebuild_search_index(batch: int = 500) -> int:
    """Refill the search engines from the documents' stored words and text (after rows were loaded without
    them, as by a restore); how many documents were indexed."""
    search.clear()
    rows: list[tuple[int, str, str, dt.date | None]] = []
    indexed = 0
    documents = Document.objects.order_by("pk").only("pk", "search_text", "text", "issued_on")
    for doc in documents.iterator(chunk_size=batch):
        rows.append((doc.pk, doc.search_text, search.body_words(doc.text) if doc.text else "", doc.issued_on))
        if len(rows) >= batch:
            search.bulk_update(rows)
            indexed += len(rows)
            rows = []
    search.bulk_update(rows)
    return indexed + len(rows)


def _set_keys(doc: Document) -> None:
    symbol = symbols.parse_symbol(doc.number) if doc.number else None
    doc.number = symbols.tidy(doc.number) if doc.number else ""
    doc.number_key = symbol.key if symbol else (symbols.number_key(doc.number) if doc.number else "")
    doc.base_key = symbol.base_key if symbol else doc.number_key


def _apply_parsed(doc: Document, parsed: ParsedDocument) -> None:
    doc.number = (parsed.number or "")[:80]
    doc.doc_type = (parsed.doc_type or "")[:40]
    doc.issuer_name = (parsed.issuer or "")[:255]
    doc.issuer_parent_name = (parsed.issuer_parent or "")[:255]
    doc.place = (parsed.place or "")[:80]
    doc.issued_on = _date(parsed.issued_on)
    doc.subject = parsed.subject or ""
    doc.recipients = parsed.recipients
    doc.signer_name = (parsed.signer.name or "")[:120]
    doc.signer_position = (parsed.signer.position or "")[:120]
    doc.signer_authority = (parsed.signer.authority or "")[:120]
    doc.cc = parsed.cc
    doc.distribution = parsed.distribution
    doc.text = parsed.text
    _apply_corrections(doc)
    _set_keys(doc)
    doc.issuer = match_issuer(doc.issuer_name, doc.issued_on, doc.issuer_parent_name)


def _apply_corrections(doc: Document) -> None:
    for field, value in (doc.corrected or {}).items():
        if field in ("issued_on", "effective_on"):
            value = _date(value)
        setattr(doc, field, value)


def preview(text: str) -> ParsedDocument:
    """Parse without saving; refuses what is not recognisably a document."""
    parsed = parse(text)
    if not parsed.text.strip():
        raise ImportRefused(_("Không có nội dung văn bản."))
    if not parsed.recognised:
        raise ImportRefused(
            _("Không nhận ra văn bản hành chính: không tìm thấy số, ký hiệu, loại văn bản hay ngày ban hành.")
        )
    return parsed


def find_existing(parsed: ParsedDocument) -> Document | None:
    """The registry record this parsed text already is: same text, or same number and date."""
    same = Document.objects.filter(content_hash=content_hash(parsed.text)).first()
    if same:
        return same
    if parsed.number:
        key = (
            symbols.parse_symbol(parsed.number).key
            if symbols.parse_symbol(parsed.number)
            else symbols.number_key(parsed.number)
        )
        qs = Document.objects.with_text().filter(number_key=key)
        if parsed.issued_on:
            qs = qs.filter(issued_on=_date(parsed.issued_on))
        return qs.first()
    return None


def _stub_for(parsed: ParsedDocument) -> Document | None:
    """A record without text that this import would fill in (a citation stub or a reference record)."""
    if not parsed.number:
        return None
    symbol = symbols.parse_symbol(parsed.number)
    if symbol is None:
        return None
    stubs = Document.objects.filter(text="")
    exact = stubs.filter(number_key=symbol.key).first()
    if exact:
        return exact
    if parsed.issued_on:
        return stubs.filter(base_key=symbol.base_key, issued_on=_date(parsed.issued_on)).first()
    return None


def _disagreement(stub: Document, doc: Document) -> list[str]:
    """The header fields in which a text read into ``doc`` contradicts what the shared ``stub`` records."""
    wrong: list[str] = []
    if stub.number_key and stub.number_key != doc.number_key and stub.base_key != doc.base_key:
        wrong.append(_("số, ký hiệu"))
    if stub.doc_type and fold(stub.doc_type) != fold(doc.doc_type):
        wrong.append(_("loại văn bản"))
    if stub.issuer_id is not None and stub.issuer_id != doc.issuer_id:
        wrong.append(_("cơ quan ban hành"))
    elif stub.issuer_id is None and stub.issuer_name:
        # A body the registry does not hold ("Bộ Chính trị"): its name must stand in the header or in the
        # signature block, the text's last lines ("T/M BỘ CHÍNH TRỊ").
        written = fold(
            " ".join([doc.issuer_name, doc.issuer_parent_name, doc.signer_authority, doc.text[-300:]])
        )
        if fold(stub.issuer_name) not in written:
            wrong.append(_("cơ quan ban hành"))
    if stub.issued_on is not None and stub.issued_on != doc.issued_on:
        wrong.append(_("ngày ban hành"))
    return wrong


def _fill_stub(parsed: ParsedDocument, user: Any) -> Document:
    """The record this import fills: the stub the text completes, or a new document. A unit's officer
    completes a shared stub only with a text that agrees with it in number, type, issuer and date;
    otherwise the import is refused, so the record everyone cites never changes under them."""
    stub = _stub_for(parsed)
    if stub is None:
        return Document()
    doc = Document.objects.get(pk=stub.pk)
    _apply_parsed(doc, parsed)
    if user is None or is_registry_keeper(user):
        return doc
    wrong = _disagreement(stub, doc)
    if wrong:
        raise ImportRefused(
            _(
                "Sổ đã có bản ghi dùng chung của văn bản %(number)s (%(date)s) nhưng văn bản nhập khác ở: "
                "%(fields)s. Chỉ cán bộ Trung ương mới sửa được bản ghi này; hãy kiểm tra lại văn bản "
                "hoặc đề nghị Cục cập nhật."
            )
            % {
                "number": stub.number or stub.subject[:80],
                "date": stub.issued_on.strftime("%d/%m/%Y") if stub.issued_on else _("chưa rõ ngày"),
                "fields": ", ".join(wrong),
            }
        )
    return doc


@transaction.atomic
def import_text(
    text: str, *, user: Any = None, filename: str = "", data: bytes | None = None
) -> ImportResult:
    """Import a document from its text; the same document twice gives the same record."""
    parsed = preview(text)
    digest = content_hash(parsed.text)
    existing = find_existing(parsed)
    if existing is not None:
        return ImportResult(existing, False)
    with acting_as(user):
        return _import_parsed(parsed, text, digest, user=user, filename=filename, data=data)


def _import_parsed(
    parsed: ParsedDocument, text: str, digest: str, *, user: Any, filename: str, data: bytes | None
) -> ImportResult:
    doc = _fill_stub(parsed, user)
    if doc.pk is None:
        _apply_parsed(doc, parsed)
    doc.source_text = clean_input(text) if clean_input(text) != parsed.text else ""
    doc.content_hash = digest
    doc.source_name = filename[:255]
    if doc.pk is None:
        doc.created_by = user if getattr(user, "is_authenticated", False) else None
    doc.full_clean(exclude=["source_file", "issuer", "created_by"])
    doc.save()
    if data is not None and filename:
        doc.source_file.save(Path(filename).name[:100], ContentFile(data), save=True)
    index_terms(doc)
    _link_citations(doc, parsed, user)
    _infer_relations(doc, parsed, user)
    recompute_validity(doc)
    for cited in Document.objects.filter(pk__in=doc.citations.values("cited_id")):
        recompute_validity(cited)
    return ImportResult(doc, True)


def import_file(filename: str, data: bytes, *, user: Any = None) -> ImportResult:
    try:
        text = extract_text(filename, data)
    except ExtractError as exc:
        raise ImportRefused(str(exc)) from exc
    return import_text(text, user=user, filename=filename, data=data)


def _type_distance(a: str, b: str) -> int:
    """Levenshtein distance, for a one-letter slip in a type code."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def resolve_reference(
    number: str, issued_on: dt.date | None, *, exclude: Document | None = None
) -> Document | None:
    """The registry document a citation names, tolerant of a missing year and of a one-letter slip in the type code."""
    symbol = symbols.parse_symbol(number)
    if symbol is None:
        return None
    qs = Document.objects.all()
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    exact = qs.filter(number_key=symbol.key)
    if issued_on:
        dated = exact.filter(issued_on=issued_on)
        if dated.exists():
            return dated.first()
    if exact.exists():
        return exact.first()
    same_base = list(qs.filter(base_key=symbol.base_key)[:10])
    if symbol.year is None:
        if issued_on:
            same_base = [d for d in same_base if d.issued_on in (None, issued_on)]
        if len(same_base) == 1:
            return same_base[0]
    elif same_base:
        same_year = [
            d for d in same_base if (s := symbols.parse_symbol(d.number)) and s.year in (None, symbol.year)
        ]
        if len(same_year) == 1 and (not issued_on or same_year[0].issued_on in (None, issued_on)):
            return same_year[0]
    if issued_on and symbol.type_code:
        # A slip in the type code: same serial, issuer and date, type code one letter off.
        for candidate in qs.filter(issued_on=issued_on, number__startswith=f"{symbol.serial}/")[:20]:
            other = symbols.parse_symbol(candidate.number)
            if (
                other
                and other.type_code
                and other.bodies == symbol.bodies
                and other.year in (None, symbol.year)
                and _type_distance(fold(other.type_code), fold(symbol.type_code)) == 1
            ):
                return candidate
    return None


def _stub(number: str, doc_type: str | None, issued_on: dt.date | None, issuer: str | None) -> Document:
    doc = Document(
        number=number,
        doc_type=doc_type or "",
        issued_on=issued_on,
        issuer_name=issuer or "",
        source_note=_("Tạo từ dẫn chiếu"),
    )
    _set_keys(doc)
    doc.issuer = match_issuer(doc.issuer_name, issued_on)
    doc.save()
    index_terms(doc)
    return doc


def documents_for_numbers(text: str, *, unit: OrgUnit | None = None) -> list[Document]:
    """The documents a report names by their numbers ("24/KH-UBND, 2150/QĐ-UBND"). A number the registry
    lacks is kept as a citation (a record without text, filled in when the document itself is imported), so a
    report is never refused for naming a local decision. A local number ("…/QĐ-UBND") is the reporting body's:
    its province's People's Committee for "UBND", when no record of that body or of nobody has the number.
    Text that is no document number is refused by name."""
    numbers = list(dict.fromkeys(n.strip() for n in text.replace(";", ",").split(",") if n.strip()))
    wrong = [n for n in numbers if symbols.parse_symbol(n) is None]
    if wrong:
        raise ValidationError(
            _("Không phải số, ký hiệu văn bản: %(n)s (ví dụ đúng: 24/KH-UBND).") % {"n": ", ".join(wrong)}
        )
    province = province_of(unit)
    found: list[Document] = []
    for number in numbers:
        symbol = symbols.parse_symbol(number)
        assert symbol is not None
        same = Document.objects.filter(number_key=symbol.key).select_related("issuer")
        issuer_name = symbol.issuer_name
        if issuer_name is None and province is not None:
            local = [d for d in same if d.issuer is None or d.issuer.path.startswith(province.path)]
            doc = next((d for d in local if d.issuer is not None), None) or next(iter(local), None)
            if "UBND" in symbol.bodies:
                issuer_name = province.authority_name
        else:
            doc = same.first() or resolve_reference(number, None)
        if doc is None:
            doc = _stub(symbols.tidy(number), symbol.doc_type.name, None, issuer_name)
            if doc.issuer is None and province is not None and "UBND" in symbol.bodies:
                doc.issuer = province  # the name alone, undated, fits every Quảng Trị the registry has known
                doc.save(update_fields=["issuer"])
        found.append(doc)
    return found


def _link_citations(doc: Document, parsed: ParsedDocument, user: Any = None) -> None:
    """Link the texts the document cites, creating stubs for those the registry lacks. A citation dates an
    undated stub only for central roles or the stub's own body (a shared record does not change under
    everyone because one unit's text wrote a date)."""
    Citation.objects.filter(citing=doc).delete()
    for position, ref in enumerate(parsed.references):
        issued = _date(ref.issued_on)
        cited = resolve_reference(ref.number, issued, exclude=doc) or _stub(
            ref.number, ref.doc_type, issued, ref.issuer
        )
        if (
            cited.issued_on is None
            and issued is not None
            and cited.is_stub
            and can_change_validity(user, cited)
        ):
            cited.issued_on = issued
            cited.save(update_fields=["issued_on"])
            index_terms(cited)
        Citation.objects.create(
            citing=doc,
            cited=cited,
            number_as_written=ref.number[:80],
            issued_on=issued,
            as_written=ref.as_written,
            says_expired=ref.says_expired,
            position=position,
        )


def _infer_relations(doc: Document, parsed: ParsedDocument, user: Any = None) -> None:
    """Relations stated by the wording: "Căn cứ ..." (based on), "thay thế", "sửa đổi, bổ sung", "bãi bỏ",
    and a subject that guides or implements a cited document. A text imported by a unit's officer does not
    end or amend another body's document (the citation stays; a central officer enters the relation)."""
    Relation.objects.filter(source=doc, origin=RelationOrigin.INFERRED).delete()
    subject = fold(doc.subject)
    start = doc.effective_on or doc.issued_on
    subject_taken = False
    for citation in doc.citations.select_related("cited"):
        ref = next((r for r in parsed.references if r.number == citation.number_as_written), None)
        kind = ref.cue if ref else None
        if (
            kind is None
            and not subject_taken
            and citation.number_as_written
            and fold(citation.number_as_written) in subject
        ):
            subject_taken = True
            if subject.startswith("huong dan"):
                kind = RelationKind.GUIDES
            elif subject.startswith(("trien khai", "thuc hien", "ve viec trien khai", "ve viec thuc hien")):
                kind = RelationKind.IMPLEMENTS
        if kind in VALIDITY_KINDS and not can_change_validity(user, citation.cited):
            kind = None
        if kind:
            Relation.objects.get_or_create(
                source=doc,
                target=citation.cited,
                kind=kind,
                defaults={
                    "origin": RelationOrigin.INFERRED,
                    "effective_on": start if kind in ENDING_KINDS else None,
                },
            )


def recompute_validity(doc: Document) -> Document:
    """Derive the document's validity from the relations that end it and the texts that report it expired."""
    endings = [
        validity.Ending(
            rel.effective_on or rel.source.effective_on or rel.source.issued_on, rel.source.title, rel.kind
        )
        for rel in Relation.objects.filter(target=doc, kind__in=ENDING_KINDS).select_related("source")
        if (rel.effective_on or rel.source.effective_on or rel.source.issued_on)
    ]
    reports = [
        (c.citing.issued_on, c.citing.title)
        for c in Citation.objects.filter(cited=doc, says_expired=True).select_related("citing")
        if c.citing.issued_on
    ]
    result = validity.compute(
        issued_on=doc.issued_on, effective_on=doc.effective_on, endings=endings, expiry_reports=reports
    )
    fields = {
        "in_force_from": result.in_force_from,
        "ceased_on": result.ceased_on,
        "ceased_by": (result.ceased_by or "")[:255],
        "reported_expired_by": result.reported_expired_by,
        "reported_in": (result.reported_in or "")[:255],
    }
    if any(getattr(doc, k) != v for k, v in fields.items()):
        for key, value in fields.items():
            setattr(doc, key, value)
        doc.save(update_fields=list(fields))  # through the model, so the audit log keeps the change
    return doc


def clean_input(text: str) -> str:
    """The text as it arrived, without what no database should hold (NUL and lone surrogates)."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8") if text else ""


def _json(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


def record_correction(
    doc: Document,
    user: Any,
    kind: str,
    *,
    field: str = "",
    before: Any = None,
    after: Any = None,
    duty_id: int | None = None,
) -> Correction:
    """Keep what an official changed in what the engines read (see ``Correction``)."""
    return Correction.objects.create(
        document=doc,
        duty_id=duty_id,
        kind=kind,
        field=field,
        before=_json(before),
        after=_json(after),
        user=user if getattr(user, "is_authenticated", False) else None,
    )


@transaction.atomic
def correct(doc: Document, user: Any, changes: dict[str, Any]) -> Document:
    """An official corrects parsed fields; the corrections are audited and survive re-parsing."""
    from ttdn.documents.selectors import can_edit

    if not can_edit(user, doc):
        raise PermissionDenied
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(sorted(unknown))
    locked = Document.objects.select_for_update().get(pk=doc.pk)
    corrected = dict(locked.corrected or {})
    for field, value in changes.items():
        before = getattr(locked, field)
        if before == value:
            continue
        setattr(locked, field, value)
        corrected[field] = value.isoformat() if isinstance(value, dt.date) else value
        record_correction(locked, user, CorrectionKind.FIELD, field=field, before=before, after=value)
    locked.corrected = corrected
    _set_keys(locked)
    locked.issuer = (
        match_issuer(locked.issuer_name, locked.issued_on, locked.issuer_parent_name) or locked.issuer
    )
    if (
        locked.issuer is not None
        and locked.issuer_id != doc.issuer_id
        and not is_registry_keeper(user)
        and not in_scope(user, locked.issuer)
    ):
        raise ValidationError(
            {
                "issuer_name": _(
                    "“%(body)s” không thuộc phạm vi của đơn vị bạn: chỉ ghi cơ quan ban hành là đơn vị mình "
                    "hoặc đơn vị trực thuộc."
                )
                % {"body": locked.issuer.name}
            }
        )
    locked.full_clean(exclude=["source_file", "issuer", "created_by", "content_hash"])
    with acting_as(user):
        locked.save()
    index_terms(locked)
    recompute_validity(locked)
    return locked


@transaction.atomic
def reparse(doc: Document, user: Any = None) -> Document:
    """Parse the stored text again (after a parser improvement); officials' corrections win."""
    if not doc.text:
        return doc
    parsed = parse(doc.text)
    parsed.text = doc.text
    _apply_parsed(doc, parsed)
    with acting_as(user):
        doc.save()
    index_terms(doc)
    _link_citations(doc, parsed, user)
    _infer_relations(doc, parsed, user)
    recompute_validity(doc)
    return doc


@transaction.atomic
def add_relation(
    user: Any,
    source: Document,
    target: Document,
    kind: str,
    *,
    effective_on: dt.date | None = None,
    note: str = "",
) -> Relation:
    from ttdn.documents.selectors import can_edit

    if not can_edit(user, source):
        raise PermissionDenied
    if source.pk == target.pk:
        raise ValidationError(_("Một văn bản không thể có quan hệ với chính nó."))
    if kind not in RelationKind.values:
        raise ValidationError(_("Loại quan hệ không hợp lệ."))
    if kind in VALIDITY_KINDS and not can_change_validity(user, target):
        raise ValidationError(_refused_validity(target, kind))
    with acting_as(user):
        relation, _created = Relation.objects.update_or_create(
            source=source,
            target=target,
            kind=kind,
            defaults={
                "origin": RelationOrigin.ENTERED,
                "effective_on": effective_on,
                "note": note,
                "created_by": user,
            },
        )
    recompute_validity(target)
    return relation


def _refused_validity(target: Document, kind: str) -> str:
    return _(
        "Quan hệ “%(kind)s” làm thay đổi hiệu lực của văn bản %(target)s, văn bản không do đơn vị bạn ban "
        "hành: chỉ cán bộ Trung ương mới ghi được. Hãy đề nghị Cục cập nhật sổ văn bản."
    ) % {"kind": RelationKind(kind).label, "target": target.number or target.subject[:80]}


@transaction.atomic
def delete_relation(user: Any, relation: Relation) -> None:
    from ttdn.documents.selectors import can_edit

    if not can_edit(user, relation.source):
        raise PermissionDenied
    target = relation.target
    if relation.kind in VALIDITY_KINDS and not can_change_validity(user, target):
        raise ValidationError(_refused_validity(target, relation.kind))
    with acting_as(user):
        relation.delete()
    recompute_validity(target)


@transaction.atomic
def load_field_documents() -> int:
    """Reference records of the field's key documents (metadata, no text) and their relations. Idempotent."""
    raw = json.loads(FIELD_DATA.read_text(encoding="utf-8"))
    sources: dict[str, str] = raw["sources"]
    created = 0
    by_key: dict[str, Document] = {}
    for item in raw["documents"]:
        doc = Document.objects.filter(reference_key=item["key"]).first()
        if doc is None and item.get("number"):
            doc = resolve_reference(item["number"], _date(item.get("issued_on")))
        if doc is None:
            doc = Document(reference_key=item["key"])
            doc.number = item.get("number") or ""
            doc.doc_type = item.get("doc_type", "")
            doc.issuer_name = item.get("issuer", "")
            doc.issued_on = _date(item.get("issued_on"))
            doc.effective_on = _date(item.get("effective_on"))
            doc.subject = item.get("subject", "")
            doc.source_note = sources[item["source"]]
            _set_keys(doc)
            code = item.get("issuer_code")
            doc.issuer = (
                OrgUnit.objects.filter(code=code).first()
                if code
                else match_issuer(doc.issuer_name, doc.issued_on)
            )
            doc.save()
            index_terms(doc)
            created += 1
        elif doc.reference_key is None or (item.get("effective_on") and doc.effective_on is None):
            doc.reference_key = doc.reference_key or item["key"]
            doc.effective_on = doc.effective_on or _date(item.get("effective_on"))
            doc.save(update_fields=["reference_key", "effective_on"])
        if (
            doc.reference_key == item["key"]
            and doc.source_note
            and doc.source_note != sources[item["source"]]
        ):
            doc.source_note = sources[item["source"]]  # the data's wording of its source, as it now reads
            doc.save(update_fields=["source_note"])
        by_key[item["key"]] = doc
    for item in raw["relations"]:
        source, target = by_key[item["from"]], by_key[item["to"]]
        rel, was_created = Relation.objects.get_or_create(
            source=source,
            target=target,
            kind=item["kind"],
            defaults={
                "origin": RelationOrigin.REFERENCE,
                "note": sources[item["source"]],
                "effective_on": (source.effective_on or source.issued_on)
                if item["kind"] in ENDING_KINDS
                else None,
            },
        )
        created += was_created
        if rel.origin == RelationOrigin.REFERENCE and rel.note != sources[item["source"]]:
            rel.note = sources[item["source"]]
            rel.save(update_fields=["note"])
    for doc in by_key.values():
        recompute_validity(doc)
    return created


def create_pending(user: Any, filename: str, data: bytes) -> PendingImport:
    """Keep an upload for its preview; stale previews of any user are purged."""
    PendingImport.objects.filter(created_at__lt=timezone.now() - PENDING_TTL).delete()
    return PendingImport.objects.create(
        token=secrets.token_urlsafe(24), created_by=user, filename=filename[:255], data=data
    )


def take_pending(user: Any, token: str) -> PendingImport | None:
    """The user's own preview, while the user may still import (a role taken away since the upload ends it)."""
    if not can_import(user):
        return None
    return PendingImport.objects.filter(token=token, created_by=user).first()
