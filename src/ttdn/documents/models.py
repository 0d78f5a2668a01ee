"""Document registry (sổ văn bản): documents, their citations (dẫn chiếu) and relations (quan hệ)."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _


class RelationKind(models.TextChoices):
    BASED_ON = "based_on", _("căn cứ")
    GUIDES = "guides", _("hướng dẫn")
    IMPLEMENTS = "implements", _("triển khai thực hiện")
    REPLACES = "replaces", _("thay thế")
    AMENDS = "amends", _("sửa đổi, bổ sung")
    REPEALS = "repeals", _("bãi bỏ")


class RelationOrigin(models.TextChoices):
    ENTERED = "entered", _("nhập tay")
    INFERRED = "inferred", _("suy ra từ lời văn")
    REFERENCE = "reference", _("dữ liệu tham chiếu")


class DocumentQuerySet(models.QuerySet["Document"]):
    def search(
        self, query: str, *, broad: bool | None = None, body: bool = False, stubs: bool = True
    ) -> DocumentQuerySet:
        """Every folded word of the query must begin a word of the document's metadata.

        ``broad``: the query matches many documents (True) or few (False); unknown: None.
        For many, SQLite does better walking the documents in the page's order and
        testing each against the matches (the unary ``+`` stops it from looking every
        match up by key and sorting them all); for few, PostgreSQL does better finding
        the matches first.
        """
        from ttdn.documents import search

        words = search.words_of(query, stubs=stubs)
        if not words:
            return self
        sql, params = search.matching_ids(words, narrow=broad is False, body=body)
        if broad and connection.vendor == "postgresql":
            # The words match much of the registry: walk it newest first, testing each row's own stored vector
            # (its body's by key) rather than looking each row up again among the matches.
            condition, condition_params = search.row_condition(words, body=body)
            return self.extra(where=[condition], params=condition_params)  # noqa: S610 (folded words only)
        if broad and connection.vendor == "sqlite":
            return self.extra(where=[f"+{Document._meta.db_table}.id IN ({sql})"], params=params)  # noqa: S610 (folded words only)
        return self.filter(pk__in=RawSQL(sql, params))

    def with_text(self) -> DocumentQuerySet:
        return self.exclude(text="")


class Document(models.Model):
    """Văn bản: one official document, imported with its text or known only from citations (a stub)."""

    number = models.CharField(_("số, ký hiệu"), max_length=80, blank=True)
    number_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    base_key = models.CharField(max_length=80, blank=True, db_index=True, editable=False)
    reference_key = models.CharField(max_length=40, null=True, blank=True, unique=True, editable=False)
    doc_type = models.CharField(_("loại văn bản"), max_length=40, blank=True, db_index=True)
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issuer_parent_name = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    issuer = models.ForeignKey(
        "orgs.OrgUnit",
        verbose_name=_("đơn vị ban hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    place = models.CharField(_("địa danh"), max_length=80, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True, db_index=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)
    subject = models.TextField(_("trích yếu"), blank=True)
    recipients = models.JSONField(_("kính gửi"), default=list, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=120, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=120, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    cc = models.JSONField(_("nơi nhận"), default=list, blank=True)
    distribution = models.JSONField(_("danh sách gửi"), default=list, blank=True)
    text = models.TextField(_("toàn văn"), blank=True)
    source_text = models.TextField(
        _("văn bản như khi nhập"), blank=True, default=""
    )  # before normalisation; "" when the same
    source_name = models.CharField(_("tệp nguồn"), max_length=255, blank=True)
    source_file = models.FileField(_("tệp gốc"), upload_to="documents/%Y/%m/", blank=True)
    content_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    source_note = models.TextField(_("nguồn"), blank=True)
    corrected = models.JSONField(
        default=dict, blank=True, editable=False
    )  # field -> value set by an official
    # Validity, recomputed by services.recompute_validity from relations (never in save()).
    in_force_from = models.DateField(null=True, blank=True, editable=False)
    ceased_on = models.DateField(null=True, blank=True, editable=False, db_index=True)
    ceased_by = models.CharField(max_length=255, blank=True, editable=False)
    reported_expired_by = models.DateField(null=True, blank=True, editable=False)
    reported_in = models.CharField(max_length=255, blank=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["doc_type", "issued_on"]),
            models.Index(fields=["-issued_on", "-id"], name="document_newest_first"),
            models.Index(
                fields=["issuer_name"], name="document_issuer_name"
            ),  # the list's filter of issuers, read off the index
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        head = " ".join(p for p in (self.doc_type, self.number) if p)
        return f"{head} – {self.subject}" if head and self.subject else (head or self.subject or "—")

    @property
    def is_stub(self) -> bool:
        """Known only from citations or reference data: its text has not been imported."""
        if "has_text" in self.__dict__:  # read by the list's own query (selectors._listed)
            return not self.__dict__["has_text"]
        return not self.text

    @property
    def year(self) -> int | None:
        return self.issued_on.year if self.issued_on else None


class Citation(models.Model):
    """Dẫn chiếu: a document citing another where its text names it."""

    citing = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="citations")
    cited = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="cited_by")
    number_as_written = models.CharField(max_length=80)
    issued_on = models.DateField(null=True, blank=True)
    as_written = models.TextField()
    says_expired = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("dẫn chiếu")
        verbose_name_plural = _("dẫn chiếu")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["citing", "number_as_written"], name="citation_unique")
        ]


class Relation(models.Model):
    """Quan hệ giữa văn bản: based on, guides, implements, replaces, amends, repeals."""

    source = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("văn bản")
    )
    target = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="relations_in", verbose_name=_("văn bản liên quan")
    )
    kind = models.CharField(_("quan hệ"), max_length=16, choices=RelationKind.choices)
    effective_on = models.DateField(_("từ ngày"), null=True, blank=True)
    origin = models.CharField(max_length=16, choices=RelationOrigin.choices, default=RelationOrigin.ENTERED)
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("quan hệ giữa văn bản")
        verbose_name_plural = _("quan hệ giữa văn bản")
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_unique"),
            models.CheckConstraint(condition=~Q(source=models.F("target")), name="relation_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.get_kind_display()} {self.target}"


class CorrectionKind(models.TextChoices):
    FIELD = "field", _("sửa trường thông tin")
    DUTY = "duty", _("sửa nhiệm vụ")
    ADD = "add", _("thêm nhiệm vụ")
    REJECT = "reject", _("loại nhiệm vụ")
    RESTORE = "restore", _("khôi phục nhiệm vụ")
    SPLIT = "split", _("tách nhiệm vụ")
    MERGE = "merge", _("gộp nhiệm vụ")


class Correction(models.Model):
    """Sửa của cán bộ: what an official changed in what the engines read from a document (a header field, a
    duty's assignee, deadline or text, a split, a merge). Kept so that fidelity is measured on the deployment's
    own documents and the reviewed documents can be exported as a golden set (``ttdn eval export``)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="corrections")
    duty_id = models.PositiveIntegerField(
        null=True, blank=True
    )  # a tasks.Duty (documents do not depend on tasks)
    kind = models.CharField(max_length=16, choices=CorrectionKind.choices)
    field = models.CharField(max_length=40, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chỉnh sửa khi rà soát")
        verbose_name_plural = _("chỉnh sửa khi rà soát")
        ordering = ["document_id", "at", "id"]
        indexes = [models.Index(fields=["document", "at"])]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind} {self.field}"


class PendingImport(models.Model):
    """An upload waiting for the official to confirm its preview; removed on save or cancel."""

    token = models.CharField(max_length=40, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đang chờ nhập")
        verbose_name_plural = _("tệp đang chờ nhập")


class ImportRunState(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    CHECKING = "checking", _("đang kiểm tra tệp")
    RUNNING = "running", _("đang nhập")
    DONE = "done", _("đã xong")
    REFUSED = "refused", _("bị từ chối")
    FAILED = "failed", _("lỗi")


class ImportRun(models.Model):
    """A bulk import (nhập hàng loạt): many files checked first, then written in batches by the job worker.

    Every file is read before anything is written, so one bad file refuses the run and nothing is half-imported;
    the writes then commit a batch at a time (the web keeps writing meanwhile) and a run that was stopped is taken
    up again where it was, since the same document twice is the same record."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=ImportRunState, default=ImportRunState.QUEUED
    )
    folder = models.CharField(max_length=200, help_text="staged files, relative to MEDIA_ROOT")
    total = models.PositiveIntegerField(_("số tệp"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    created_count = models.PositiveIntegerField(_("văn bản mới"), default=0)
    existing_count = models.PositiveIntegerField(_("đã có"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập hàng loạt")
        verbose_name_plural = _("lượt nhập hàng loạt")

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (ImportRunState.DONE, ImportRunState.REFUSED, ImportRunState.FAILED)
