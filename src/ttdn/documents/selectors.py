"""Reads of the document registry."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ttdn.accounts.models import Role
from ttdn.core.text import plain
from ttdn.documents import search
from ttdn.documents.models import Citation, Document, DocumentQuerySet, ImportRun, Relation, RelationKind
from ttdn.documents.validity import Status, Validity
from ttdn.orgs.models import OrgKind
from ttdn.orgs.scope import in_scope

SORTS = {
    "-issued_on": ("-issued_on", "-id"),
    "issued_on": ("issued_on", "id"),
    "number": ("number_key", "id"),
    "-number": ("-number_key", "-id"),
    "doc_type": ("doc_type", "-issued_on"),
    "-doc_type": ("-doc_type", "-issued_on"),
}
IMPORT_ROLES = {Role.ADMIN, Role.CENTRAL_OFFICER, Role.UNIT_OFFICER, Role.UNIT_LEADER}


def can_import(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.role in IMPORT_ROLES))


def is_registry_keeper(user: Any) -> bool:
    """Central roles keep the shared registry: central bodies' documents and the records of cited ones."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in (Role.ADMIN, Role.CENTRAL_OFFICER))
    )


def can_edit(user: Any, doc: Document) -> bool:
    """Corrections and relations: central roles for any document; a unit's officers for what their body
    issued (the issuer within their scope), or for a text they imported whose issuer the registry does not
    know. Central bodies' documents, and the records of cited documents no body in scope issued, are shared:
    central roles only, whoever imported them."""
    if not can_import(user):
        return False
    if is_registry_keeper(user):
        return True
    if doc.issuer_id is None:
        return not doc.is_stub and doc.created_by_id == user.pk
    return doc.issuer is not None and in_scope(user, doc.issuer)


def can_change_validity(user: Any, target: Document) -> bool:
    """Whether ``user`` may enter a relation that ends or amends ``target`` (see ``VALIDITY_KINDS``): central
    roles for any document, a unit's officers only for what their own body issued. ``None``: the system."""
    if user is None or is_registry_keeper(user):
        return True
    return target.issuer is not None and in_scope(user, target.issuer)


def validity_of(doc: Document) -> Validity:
    return Validity(
        doc.in_force_from,
        doc.ceased_on,
        doc.ceased_by or None,
        doc.reported_expired_by,
        doc.reported_in or None,
    )


BROAD_HITS = 1000
# Counts of word searches stop here: beyond it the page says "more than 1,000" and invites more words.
COUNT_CAP = 1000
LIST_DEFERRED = (
    "text",
    "source_text",
    "distribution",
    "recipients",
    "cc",
    "search_text",
    "corrected",
    "source_note",
)


def _listed() -> DocumentQuerySet:
    """Documents as lists show them: the long texts deferred, whether there is a text read in the same query
    (``is_stub`` would otherwise fetch the deferred text of every row)."""
    return (
        Document.objects.select_related("issuer")
        .defer(*LIST_DEFERRED)
        .annotate(has_text=ExpressionWrapper(~Q(text=""), output_field=BooleanField()))
    )


class Results:
    """A queryset with its count known in advance, for the paginator (capped: ``more`` is then True)."""

    ordered = True

    def __init__(self, queryset: DocumentQuerySet, total: int, *, more: bool = False) -> None:
        self.queryset, self.total, self.more = queryset, total, more

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.queryset[index]


def counted_documents(values: dict[str, Any]) -> Any:
    """``search_documents`` with its count kept until the registry changes."""
    from ttdn.core.versions import counted

    return counted(
        search_documents(**values),
        name="document-count",
        parts=sorted(values.items()),
        reads=("documents", "orgs"),
    )


def list_fragment(query: Any, page: int, today: dt.date) -> str:
    """The cache key of the list page's rendered rows: the documents are everyone's, so one per query string."""
    from ttdn.core.versions import fragment_key

    return fragment_key("document-list", (sorted(query.lists()), page, today), reads=("documents", "orgs"))


def search_documents(*, query: str = "", **filters: Any) -> DocumentQuerySet | Results:
    """The list page's documents. A search by words alone is counted by the engine (capped at
    ``COUNT_CAP``), and the count decides how the page is fetched (see ``DocumentQuerySet.search``)."""
    words = search.words_of(query, stubs=filters.get("include_stubs", True))
    body = bool(filters.get("body"))
    only_words = bool(words) and not any(filters.get(k) for k in ("doc_type", "issuer", "year", "validity"))
    if not only_words:
        return list_documents(query=query, **filters)
    if connection.vendor == "postgresql":
        # One scan of the engine counts the search and, when it is narrow, names the page's documents too.
        newest_first = filters.get("sort", "-issued_on") == "-issued_on"
        if newest_first and not body:
            dated = search.first_matches_dated(words, COUNT_CAP)
            if len(dated) <= min(BROAD_HITS, COUNT_CAP):  # every match is known
                return KnownMatches(newest_ids(dated))
            total = len(dated)
        else:
            ids = search.first_matches(words, COUNT_CAP, body=body)
            total = len(ids)
            if total <= min(BROAD_HITS, COUNT_CAP):
                return Results(list_documents(**filters).filter(pk__in=ids), total)
    else:
        total = search.count(words, cap=COUNT_CAP, body=body)
    broad = total > BROAD_HITS
    if broad and body and filters.get("sort", "-issued_on") == "-issued_on":
        return NewestInText(words, min(total, COUNT_CAP), more=total > COUNT_CAP)
    qs = list_documents(query=query, broad=broad, **filters)
    return Results(qs, min(total, COUNT_CAP), more=total > COUNT_CAP)


def newest_ids(dated: list[tuple[int, dt.date | None]]) -> list[int]:
    """Ids newest first, as PostgreSQL orders ``-issued_on, -id`` (documents without a date first)."""
    return [
        pk
        for pk, _ in sorted(
            dated, key=lambda row: (row[1] is None, row[1] or dt.date.min, row[0]), reverse=True
        )
    ]


class KnownMatches(Results):
    """A narrow search whose every match is known, newest first: each page is fetched by its ids."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(Document.objects.none(), len(ids))
        self.ids = ids

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        ids = self.ids[index]
        found = _listed().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class NewestInText(Results):
    """A broad search in the text, newest first: each page read off the body engine's keys. On PostgreSQL
    the first page is looked for among the newest documents first (where a broad search is usually
    answered at once), then among every match sorted by key."""

    def __init__(self, words: list[str], total: int, *, more: bool = False) -> None:
        super().__init__(Document.objects.none(), total, more=more)
        self.words = words

    def __getitem__(self, index: Any) -> Any:
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop if index.stop is not None else self.total
        ids = (
            search.newest_recent_in_text(self.words, stop)
            if start == 0 and connection.vendor == "postgresql"
            else None
        )
        if ids is None:
            ids = search.newest_in_text(self.words, start, max(0, stop - start))
        found = _listed().in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


def found_in_text(query: str, *, limit: int = 5) -> tuple[list[Document], int, bool]:
    """Documents whose text (not their metadata) holds every word of the query: the newest ``limit``, how
    many there are (capped at ``COUNT_CAP``) and whether there are more; kept until the registry changes."""
    from ttdn.core.versions import remember

    return remember(
        "document-in-text", (query, limit), lambda: _found_in_text(query, limit=limit), reads=("documents",)
    )


def _found_in_text(query: str, *, limit: int) -> tuple[list[Document], int, bool]:
    words = search.words_of(query)
    if not words:
        return [], 0, False
    qs = _listed()
    meta_ids: list[int] = []
    if connection.vendor == "postgresql":
        meta_ids = search.first_matches(words, COUNT_CAP)
        if len(meta_ids) > COUNT_CAP:
            return [], 0, False
        body_ids = search.first_matches(words, COUNT_CAP, body=True)
        if len(body_ids) <= min(BROAD_HITS, COUNT_CAP):
            # Both scans named every match: the documents only in the text are the difference.
            only = set(body_ids) - set(meta_ids)
            return list(qs.filter(pk__in=only).order_by("-issued_on", "-id")[:limit]), len(only), False
        body_total, meta_total = len(body_ids), len(meta_ids)
    else:
        body_total = search.count(words, cap=COUNT_CAP, body=True)
        meta_total = search.count(words, cap=COUNT_CAP)
    if meta_total > COUNT_CAP or body_total == meta_total:
        return (
            [],
            0,
            False,
        )  # the list itself is past its cap (the words need narrowing first), or nothing is only in the text
    more = body_total > COUNT_CAP
    total = COUNT_CAP if more else body_total - meta_total  # the metadata's words are among the body engine's
    if body_total > BROAD_HITS:
        # Much of the registry matches: read the newest off the body engine, leaving out the metadata's matches.
        ids = search.newest_only_in_text(words, limit, meta_ids)
        found = qs.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found], max(total, 0), more
    body_sql, body_params = search.matching_ids(words, body=True, narrow=True)
    meta_sql, meta_params = search.matching_ids(words, narrow=True)
    qs = qs.filter(pk__in=RawSQL(body_sql, body_params)).exclude(pk__in=RawSQL(meta_sql, meta_params))
    return list(qs.order_by("-issued_on", "-id")[:limit]), max(total, 0), more


def excerpts(docs: Any, query: str, width: int = 220) -> dict[int, str]:
    """``excerpt`` of each document, their texts read in one query."""
    ids = [doc.pk for doc in docs]
    texts = dict(Document.objects.filter(pk__in=ids).values_list("pk", "text")) if ids else {}
    return {pk: passage(texts.get(pk) or "", query, width) for pk in ids}


def excerpt(doc: Document, query: str, width: int = 220) -> str:
    """A passage of the document's text round the first place its words occur (diacritics ignored)."""
    text = Document.objects.filter(pk=doc.pk).values_list("text", flat=True).first() or ""
    return passage(text, query, width)


def passage(text: str, query: str, width: int = 220) -> str:
    """The passage of ``text`` round the first place the query's words occur."""
    words = search.words_of(query)
    if not words or not text:
        return ""
    flat = plain(text).lower()
    # Where the words stand together (the phrase, else the first word with the others near it), else the first word.
    phrase = re.search(r"\b" + r"\W+".join(re.escape(w) for w in words), flat)
    at = phrase.start() if phrase else -1
    if at < 0:
        for match in re.finditer(rf"\b{re.escape(words[0])}", flat):
            window = flat[max(0, match.start() - 150) : match.start() + 150]
            if all(w in window for w in words[1:]):
                at = match.start()
                break
    if at < 0:
        spots = [m.start() for w in words for m in [re.search(rf"\b{re.escape(w)}", flat)] if m]
        at = min(spots) if spots else 0
    start = max(0, at - width // 3)
    while 0 < start < at and not text[start - 1].isspace():
        start += 1  # begin on a word
    piece = " ".join(text[start : start + width].split())
    return ("… " if start else "") + piece + (" …" if start + width < len(text) else "")


def list_documents(
    *,
    query: str = "",
    doc_type: str = "",
    issuer: str = "",
    year: int | None = None,
    validity: str = "",
    sort: str = "-issued_on",
    include_stubs: bool = True,
    today: dt.date | None = None,
    broad: bool | None = None,
    body: bool = False,
) -> DocumentQuerySet:
    qs = _listed()
    if query:
        qs = qs.search(query, broad=broad, body=body, stubs=include_stubs)
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if issuer:
        qs = qs.filter(Q(issuer_name__iexact=issuer) | Q(issuer__code=issuer))
    if year:
        qs = qs.filter(issued_on__year=year)
    if not include_stubs:
        qs = qs.with_text()
    today = today or timezone.localdate()
    if validity == "in_force":
        qs = qs.filter(Q(ceased_on__isnull=True) | Q(ceased_on__gt=today)).filter(
            Q(reported_expired_by__isnull=True) | Q(reported_expired_by__gt=today)
        )
    elif validity == "ceased":
        qs = qs.filter(Q(ceased_on__lte=today) | Q(reported_expired_by__lte=today))
    return qs.order_by(*SORTS.get(sort, SORTS["-issued_on"]))


def facets() -> dict[str, list[Any]]:
    """The list's filter choices (types, issuers, years), kept until the registry changes (two DISTINCT scans
    of every document otherwise, each request)."""
    from ttdn.core.versions import remember

    return remember("document-facets", (), _facets, reads=("documents",))


def _facets() -> dict[str, list[Any]]:
    # ``order_by()``: the model's own order would enter the DISTINCT and repeat each value once per document.
    types = sorted(
        Document.objects.exclude(doc_type="").order_by().values_list("doc_type", flat=True).distinct()
    )
    issuers = sorted(
        Document.objects.exclude(issuer_name="").order_by().values_list("issuer_name", flat=True).distinct()
    )
    # Every year from the oldest document to the newest (two index seeks; a list of the distinct years
    # reads every row: 280 ms at 100,000 documents).
    dated = Document.objects.exclude(issued_on=None).values_list("issued_on", flat=True)
    first, last = dated.order_by("issued_on").first(), dated.order_by("-issued_on").first()
    years = list(range(last.year, first.year - 1, -1)) if first and last else []
    return {"types": types, "issuers": issuers[:200], "years": years}


def citations_of(doc: Document) -> list[Citation]:
    return list(doc.citations.select_related("cited"))


def cited_by(doc: Document) -> list[Citation]:
    return list(Citation.objects.filter(cited=doc).select_related("citing").order_by("-citing__issued_on"))


def relations_of(doc: Document) -> tuple[list[Relation], list[Relation]]:
    out = list(Relation.objects.filter(source=doc).select_related("target"))
    incoming = list(Relation.objects.filter(target=doc).select_related("source"))
    return out, incoming


@dataclass(frozen=True)
class BasisProblem:
    basis: Document
    ceased_or_reported: dt.date
    at_issue: bool  # no longer in force when the document was issued
    today: bool  # not in force today


def expired_bases(doc: Document, today: dt.date | None = None) -> list[BasisProblem]:
    """The document's bases (căn cứ) no longer in force on its issue date or today."""
    today = today or timezone.localdate()
    problems = []
    for relation in Relation.objects.filter(source=doc, kind=RelationKind.BASED_ON).select_related("target"):
        basis = relation.target
        state = validity_of(basis)
        end = basis.ceased_on or basis.reported_expired_by
        if end is None:
            continue
        at_issue = bool(
            doc.issued_on and state.status(doc.issued_on) in (Status.CEASED, Status.REPORTED_EXPIRED)
        )
        now = state.status(today) in (Status.CEASED, Status.REPORTED_EXPIRED)
        if at_issue or now:
            problems.append(BasisProblem(basis, end, at_issue, now))
    return problems


def regulations_on_expired_basis(today: dt.date | None = None) -> list[tuple[Document, list[BasisProblem]]]:
    """Provincial regulations (issued by a province or its bodies) resting on a basis no longer in force."""
    today = today or timezone.localdate()
    candidates = (
        Document.objects.filter(relations_out__kind=RelationKind.BASED_ON)
        .filter(Q(issuer__kind__in=[OrgKind.PROVINCE, OrgKind.DEPARTMENT, OrgKind.COMMUNE]))
        .select_related("issuer")
        .distinct()
        .order_by("issuer__sort_key", "-issued_on")
    )
    result = []
    for doc in candidates:
        problems = expired_bases(doc, today)
        if problems:
            result.append((doc, problems))
    return result


def documents_by_numbers(text: str) -> list[Document]:
    """The registry's documents named by their numbers, separated by commas or semicolons
    ("24/KH-UBND, 5406/BTTTT-TTĐN"); a number the registry lacks is refused by name."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    numbers = list(dict.fromkeys(n.strip() for n in text.replace(";", ",").split(",") if n.strip()))
    if not numbers:
        return []
    found = list(Document.objects.filter(number__in=numbers))
    missing = set(numbers) - {d.number for d in found}
    if missing:
        raise ValidationError(_("Không tìm thấy văn bản: %(n)s.") % {"n": ", ".join(sorted(missing))})
    return found


def original_spans(doc: Document, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]] | None:
    """The text as it arrived and the given spans of the stored (normalised) text mapped onto it, or None when
    the document has no earlier form or its text was changed since (the mapping would not hold)."""
    from ttdn.documents.parsing.clean import clean

    if not doc.source_text:
        return None
    cleaned = clean(doc.source_text)
    if cleaned.text != doc.text:
        return None
    return doc.source_text, [cleaned.span_to_raw(start, end) for start, end in spans]


@dataclass(frozen=True)
class Issued:
    """A TTĐN document a body issued: a regulation (quy chế) or a scheme (đề án), with its year and page."""

    issuer_id: int
    kind: str  # "regulation" or "scheme"
    year: int
    label: str
    url: str


_ISSUED_KINDS = {"Quy chế": "regulation", "Đề án": "scheme"}
_ISSUING = {"regulation": ("ban hanh quy che",), "scheme": ("ban hanh de an", "phe duyet de an")}


def issued_ttdn_documents(years: Any) -> list[Issued]:
    """Regulations and schemes on foreign information (thông tin đối ngoại) in the registry, by the body that
    issued them and the year of issue: a document of type Quy chế or Đề án, or a decision that issues or
    approves one ("Quyết định ban hành Quy chế quản lý nhà nước về thông tin đối ngoại"). A document without
    an issuing body in the registry or a date of issue proves nothing. Documents are shared by everyone."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from ttdn.core.dates import format_date
    from ttdn.core.text import fold

    docs = Document.objects.filter(
        issuer__isnull=False, issued_on__isnull=False, doc_type__in=[*_ISSUED_KINDS, "Quyết định"]
    ).only("id", "doc_type", "number", "subject", "issued_on", "issuer_id")
    if years is not None:
        docs = docs.filter(issued_on__range=(dt.date(min(years), 1, 1), dt.date(max(years), 12, 31)))
    found = []
    for doc in docs.order_by("issued_on", "id"):
        subject = fold(doc.subject)
        if "thong tin doi ngoai" not in subject:
            continue
        kind = _ISSUED_KINDS.get(doc.doc_type) or next(
            (k for k, words in _ISSUING.items() if any(w in subject for w in words)), None
        )
        if kind is None:
            continue
        label = " ".join(p for p in (doc.doc_type, doc.number) if p)
        found.append(
            Issued(
                doc.issuer_id,
                kind,
                doc.issued_on.year,
                _("%(document)s ngày %(day)s: %(subject)s")
                % {"document": label, "day": format_date(doc.issued_on), "subject": doc.subject},
                reverse("documents:detail", args=[doc.pk]),
            )
        )
    return found


def import_runs(user: Any, *, limit: int = 10) -> list[ImportRun]:
    """The user's recent bulk imports (lượt nhập hàng loạt), newest first."""
    if not can_import(user):
        return []
    return list(ImportRun.objects.filter(created_by=user)[:limit])


def import_run(user: Any, pk: int) -> ImportRun | None:
    """One bulk import, for the one who started it (its files' names and errors are theirs)."""
    if not user.is_authenticated:
        return None
    return ImportRun.objects.filter(created_by=user, pk=pk).first()
