"""Sources, stories (tin) and their tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    FEED = "feed", _("RSS/Atom")
    PAGE = "page", _("Trang web")
    UPLOAD = "upload", _("Tệp tải lên")
    MANUAL = "manual", _("Nhập tay")
    IMPORT = "import", _("Nhập hàng loạt")


class Source(models.Model):
    """Nguồn tin: a feed or page polled, or the place stories entered by hand or by file come from."""

    name = models.CharField(_("tên nguồn"), max_length=200)
    kind = models.CharField(_("loại"), max_length=16, choices=SourceKind.choices, default=SourceKind.FEED)
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    outlet_names = models.CharField(
        _("tên cơ quan báo chí"),
        max_length=500,
        blank=True,
        help_text=_("Các tên báo hay ghi trong tiêu đề, cách nhau bởi dấu phẩy (để so trùng tiêu đề)."),
    )
    foreign = models.BooleanField(_("báo nước ngoài"), default=False)
    active = models.BooleanField(_("đang theo dõi"), default=True)
    interval_minutes = models.PositiveIntegerField(_("chu kỳ lấy tin (phút)"), default=30)
    etag = models.CharField(max_length=300, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(_("lần lấy tin gần nhất"), null=True, blank=True, editable=False)
    last_success_at = models.DateTimeField(
        _("lần thành công gần nhất"), null=True, blank=True, editable=False
    )
    last_error = models.TextField(_("lỗi gần nhất"), blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_warning = models.TextField(_("lưu ý gần nhất"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("nguồn tin")
        verbose_name_plural = _("nguồn tin")

    def __str__(self) -> str:
        return self.name

    def outlets(self) -> list[str]:
        return [self.name, *(n.strip() for n in self.outlet_names.split(",") if n.strip())]


class PollStatus(models.TextChoices):
    OK = "ok", _("Thành công")
    UNCHANGED = "unchanged", _("Không có gì mới")
    ERROR = "error", _("Lỗi")


class Poll(models.Model):
    """Lần lấy tin: one poll of a source, for its health."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="polls")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=PollStatus.choices)
    items_new = models.PositiveIntegerField(default=0)
    items_duplicate = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]


class Sentiment(models.TextChoices):
    POSITIVE = "positive", _("Tích cực")
    NEUTRAL = "neutral", _("Trung tính")
    NEGATIVE = "negative", _("Tiêu cực")


class DuplicateReason(models.TextChoices):
    URL = "url", _("cùng địa chỉ")
    TITLE = "title", _("cùng tiêu đề")
    TEXT = "text", _("nội dung gần trùng")


class Item(models.Model):
    """Tin: one story as a source gave it; a duplicate points at the first story it repeats."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="items")
    url = models.URLField(_("địa chỉ"), max_length=1000, blank=True)
    url_key = models.CharField(max_length=1000, blank=True, db_index=True, editable=False)
    guid = models.CharField(max_length=1000, blank=True, editable=False)
    title = models.CharField(_("tiêu đề"), max_length=500)
    text = models.TextField(_("nội dung"), blank=True)
    published_at = models.DateTimeField(_("ngày đăng"), db_index=True)
    fetched_at = models.DateTimeField(_("ngày nhận"), auto_now_add=True)
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True, db_index=True)
    language_confidence = models.FloatField(default=0)
    title_key = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    duplicate_reason = models.CharField(max_length=8, choices=DuplicateReason.choices, blank=True)
    similarity = models.FloatField(null=True, blank=True)
    sentiment = models.CharField(
        _("sắc thái"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL, db_index=True
    )
    sentiment_score = models.FloatField(default=0)
    sentiment_words = models.JSONField(default=dict, blank=True)
    search_text = models.TextField(editable=False, default="")  # title and text folded: search without marks

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("tin tức")
        verbose_name_plural = _("tin tức")
        indexes = [
            models.Index(fields=["duplicate_of", "-published_at"]),
            models.Index(fields=["source", "title_key"]),
            # the list (originals, newest first) and the attention chart, all of them and by sentiment, read
            # from the index alone; on PostgreSQL a trigram index serves the search (migration 0002)
            models.Index(
                fields=["-published_at", "-id"],
                condition=models.Q(duplicate_of__isnull=True),
                name="item_original_newest",
            ),
            models.Index(
                fields=["sentiment", "published_at"],
                condition=models.Q(duplicate_of__isnull=True),
                name="item_original_sentiment",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TagKind(models.TextChoices):
    PLACE = "place", _("Địa phương")
    BODY = "body", _("Cơ quan")
    TOPIC = "topic", _("Chủ đề")


class ItemTag(models.Model):
    """Thẻ: a province, body or topic a story is about, with the words and the rule that found it."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="tags")
    kind = models.CharField(max_length=8, choices=TagKind.choices)
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị được nêu tên (có thể là tên cũ)."),
    )
    current = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Đơn vị hiện nay kế thừa đơn vị được nêu tên."),
    )
    topic = models.CharField(max_length=40, blank=True, db_index=True)
    words = models.CharField(max_length=500)
    rule = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["kind", "current"]),
            models.Index(fields=["item", "kind"]),
            # the stories of a province (filter) and of the bodies in a reader's scope, as (body, story) pairs
            models.Index(fields=["current", "item"], name="itemtag_current_item"),
            models.Index(fields=["unit", "kind", "item"], name="itemtag_unit_item"),
        ]


class _Count(models.Model):
    """What a count of originals is kept by (a day's or a month's): body, topic, sentiment, language."""

    body = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    topic = models.CharField(_("chủ đề"), max_length=40, blank=True)
    sentiment = models.CharField(_("sắc thái"), max_length=10, choices=Sentiment.choices)
    language = models.CharField(_("ngôn ngữ"), max_length=8, blank=True)
    n = models.IntegerField(_("số tin"), default=0)

    class Meta:
        abstract = True


class DayCount(_Count):
    """Số tin theo ngày: originals (duplicates not counted) of one day (the local day of publication), one
    sentiment and one language, kept on write (``services.take_in``) so that the attention chart and the page's
    breakdowns read a few hundred rows instead of the stories. ``body`` empty: every story; else the stories
    whose tags lead to that body today (``ItemTag.current``), once each however many of its names they hold.
    ``topic`` empty: any topic; else the stories tagged with it. A story of two bodies and one topic adds to
    (none, none), (none, topic) and (body, none), (body, topic) for each body. Two writers may add a row for
    the same key at once: the reads sum, so a second row changes nothing."""

    day = models.DateField(_("ngày"))

    class Meta:
        verbose_name = _("số tin theo ngày")
        verbose_name_plural = _("số tin theo ngày")
        indexes = [
            models.Index(
                fields=["body", "topic", "day"], include=["sentiment", "language", "n"], name="daycount_key"
            ),
            # the rows of every body over some days (the map, the provinces): by topic and day first
            models.Index(
                fields=["topic", "day"],
                include=["body", "sentiment", "language", "n"],
                name="daycount_topic_day",
            ),
        ]


class MonthCount(_Count):
    """Số tin theo tháng: the day's counts (``DayCount``) summed over a month (``month`` its first day), kept on
    write beside them, so that a span of many months reads a row a month: the full months of a span from here,
    the days at its edges from ``DayCount``."""

    month = models.DateField(_("tháng"))

    class Meta:
        verbose_name = _("số tin theo tháng")
        verbose_name_plural = _("số tin theo tháng")
        indexes = [
            models.Index(
                fields=["body", "topic", "month"],
                include=["sentiment", "language", "n"],
                name="monthcount_key",
            ),
            models.Index(
                fields=["topic", "month"],
                include=["body", "sentiment", "language", "n"],
                name="monthcount_topic_month",
            ),
        ]


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    PUBLISHED = "published", _("Đã phát hành")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")


class Claim(models.Model):
    """Tài liệu lập luận: a false or distorting claim met in the press, and the answer to it."""

    title = models.CharField(_("luận điệu"), max_length=300)
    summary = models.TextField(_("nội dung luận điệu"), blank=True)
    keywords = models.CharField(
        _("từ khoá"),
        max_length=500,
        blank=True,
        help_text=_("Từ, cụm từ (cả tiếng nước ngoài), cách nhau bởi dấu phẩy."),
    )
    rebuttal = models.TextField(_("lập luận phản bác"))
    evidence = models.TextField(_("nguồn, bằng chứng"), blank=True)
    languages = models.CharField(_("ngôn ngữ của tài liệu"), max_length=100, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người soạn"),
    )
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị soạn"),
    )
    published_at = models.DateTimeField(_("ngày phát hành"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("tài liệu lập luận")
        verbose_name_plural = _("tài liệu lập luận")

    def __str__(self) -> str:
        return self.title

    def match_text(self) -> str:
        return " ".join([self.title, self.summary, self.keywords.replace(",", " ")])


class ItemClaim(models.Model):
    """A story matched to a claim: proposed (``linked`` false) or linked, with the score and shared words."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="claims")
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="items")
    score = models.FloatField()
    linked = models.BooleanField(default=False)
    words = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "claim"], name="item_claim_once")]


class AlertKind(models.TextChoices):
    SPIKE = "spike", _("Tin tiêu cực tăng đột biến")
    SURGE = "surge", _("Báo nước ngoài đưa tin dồn dập")
    CLAIM = "claim", _("Trùng luận điệu sai đã biết")
    WATCH = "watch", _("Có từ trong danh sách theo dõi")


class AlertRule(models.Model):
    """Quy tắc cảnh báo, kept as data: its kind and its numbers (window, baseline, factor, threshold, terms)."""

    name = models.CharField(_("tên quy tắc"), max_length=200)
    kind = models.CharField(_("loại"), max_length=8, choices=AlertKind.choices)
    window_hours = models.PositiveIntegerField(_("khung giờ theo dõi"), default=24)
    baseline_days = models.PositiveIntegerField(_("số ngày làm mức thường"), default=14)
    factor = models.FloatField(_("gấp bao nhiêu lần mức thường"), default=3.0)
    min_count = models.PositiveIntegerField(_("số tin tối thiểu"), default=3)
    terms = models.TextField(
        _("danh sách từ theo dõi"), blank=True, help_text=_("Mỗi dòng một từ hoặc cụm từ.")
    )
    active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("quy tắc cảnh báo")
        verbose_name_plural = _("quy tắc cảnh báo")

    def __str__(self) -> str:
        return self.name


class AlertStatus(models.TextChoices):
    NEW = "new", _("Mới")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    RESPONDED = "responded", _("Đã xử lý")
    CLOSED = "closed", _("Đã đóng")


class ResponseKind(models.TextChoices):
    REBUTTAL = "rebuttal", _("Dùng tài liệu lập luận")
    CORRECTION = "correction", _("Đăng tin cải chính")
    LETTER = "letter", _("Gửi văn bản tới cơ quan báo chí")
    NONE = "none", _("Không cần xử lý")


class Alert(models.Model):
    """Cảnh báo: what a rule found, for whom, and the response to it step by step."""

    rule = models.ForeignKey(AlertRule, on_delete=models.PROTECT, related_name="alerts")
    kind = models.CharField(max_length=8, choices=AlertKind.choices)
    key = models.CharField(max_length=200, unique=True, editable=False)  # one alert per rule, body and window
    title = models.CharField(_("tiêu đề"), max_length=300)
    why = models.TextField(_("lý do"))
    unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị"),
    )
    claim = models.ForeignKey(Claim, null=True, blank=True, on_delete=models.SET_NULL, related_name="alerts")
    items = models.ManyToManyField(Item, related_name="alerts", blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=14, choices=AlertStatus.choices, default=AlertStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xử lý"),
    )
    response = models.CharField(_("cách xử lý"), max_length=12, choices=ResponseKind.choices, blank=True)
    response_note = models.TextField(_("ghi chú xử lý"), blank=True)
    rebuttal = models.ForeignKey(
        Claim,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="used_in",
        verbose_name=_("tài liệu lập luận đã dùng"),
    )
    raised_at = models.DateTimeField(_("lúc phát hiện"))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    assigned_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = _("cảnh báo")
        verbose_name_plural = _("cảnh báo")
        indexes = [models.Index(fields=["status", "-raised_at"])]

    def __str__(self) -> str:
        return self.title


class AlertStep(models.Model):
    """A step of an alert's response (who, when, from which state to which), appended only."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.CharField(max_length=14, blank=True)
    after = models.CharField(max_length=14)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]


class EntryRunState(models.TextChoices):
    QUEUED = "queued", _("đang chờ")
    RUNNING = "running", _("đang nhập")
    DONE = "done", _("đã xong")
    FAILED = "failed", _("lỗi")


class EntryRun(models.Model):
    """Lượt nhập tin hàng loạt: a large export, every row checked before any is written, then taken in by the job
    worker a batch at a time (each batch one transaction that also moves ``done``), so that a stopped run is taken
    up at the first row its last batch did not cover."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=EntryRunState, default=EntryRunState.QUEUED
    )
    filename = models.CharField(_("tên tệp"), max_length=200)
    outlet = models.CharField(_("tên nguồn"), max_length=200, blank=True)
    foreign = models.BooleanField(_("báo nước ngoài"), default=False)
    staged = models.CharField(max_length=300, help_text="the staged export, relative to MEDIA_ROOT")
    total = models.PositiveIntegerField(_("số dòng"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    new_count = models.PositiveIntegerField(_("tin mới"), default=0)
    duplicate_count = models.PositiveIntegerField(_("tin trùng"), default=0)
    known_count = models.PositiveIntegerField(_("đã có"), default=0)
    message = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lượt nhập tin hàng loạt")
        verbose_name_plural = _("lượt nhập tin hàng loạt")

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.state in (EntryRunState.DONE, EntryRunState.FAILED)
