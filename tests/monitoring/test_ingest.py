"""Polling sources and taking stories in: feeds served from a local HTTP server written for these tests (no
network), duplicates folded in layers, tags mapped to today's bodies, bad input refused whole with a message
on the source's health, and the province's analyst reading only the province's stories."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import threading
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client

from ttdn.accounts.models import User
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import Item, ItemTag, Poll, Source, TagKind
from ttdn.monitoring.pipeline.analyse import Story

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)

STORY_VI = (
    "Sáng 30/11, tỉnh Quảng Trị tổ chức hội nghị gặp gỡ các cơ quan đại diện nước ngoài, giới thiệu tiềm năng du "
    "lịch vùng cát ven biển và các di tích lịch sử; lãnh đạo tỉnh mong muốn các đối tác quốc tế tiếp tục đồng hành, "
    "đưa du khách tới tỉnh trong năm tới và hỗ trợ quảng bá hình ảnh địa phương."
)


def _rss(items: list[tuple[str, str, str]], *, title: str = "Báo thử nghiệm") -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{u}</link><pubDate>Mon, 30 Nov 2026 08:00:00 +0700</pubDate>"
        f"<description><![CDATA[{x}]]></description></item>"
        for t, u, x in items
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>{body}</channel></rss>'.encode()


FEEDS: dict[str, bytes] = {
    "/vi.xml": _rss(
        [
            (
                "Quảng Trị gặp gỡ cơ quan đại diện nước ngoài",
                "https://bao.example/a-1.html",
                f"<p>{STORY_VI}</p>",
            ),
            (
                "Quảng Trị gặp gỡ cơ quan đại diện nước ngoài - Báo thử nghiệm",
                "https://bao.example/a-1-ban-sao.html",
                f"<p>{STORY_VI}</p>",
            ),
            ("Bản tin chiều", "http://www.bao.example/a-1.html#top", "x"),
            (
                "Đồng Nai kêu gọi đầu tư công nghệ cao",
                "https://bao.example/b-2.html",
                "<p>Tỉnh Đồng Nai kêu gọi nhà đầu tư nước ngoài.</p><script>alert('x')</script>",
            ),
        ]
    ),
    "/en.xml": _rss(
        [
            (
                "Opinion | Quang Binh caves draw European tourists – World Daily",
                "https://world.example/quang-binh-caves",
                "Tourists from Europe flock to the caves of Quang Binh province, tour operators said.",
            ),
        ],
        title="World Daily",
    ),
    "/fr.xml": _rss([("Hué accueille un festival", "https://fr.example/hue", "Hué accueille un festival.")]),
    "/zh.xml": _rss(
        [("广治省接待外国游客", "https://zh.example/guangzhi", "越南广治省今年接待外国游客大幅增长。")]
    ),
    "/not-xml": "<html><body><h1>Trang chủ</h1><p>Không phải RSS</p></body></html>".encode(),
    "/many.xml": _rss([(f"Tin số {n} về du lịch", f"https://many.example/{n}", "x") for n in range(10_000)]),
}
HUGE = 20 * 1024 * 1024


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/huge.xml":
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(HUGE))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(b"<" * 65536)
            return
        if self.path == "/error.xml":
            self.send_error(503)
            return
        data = FEEDS.get(self.path)
        if data is None:
            self.send_error(404)
            return
        etag = f'"{hash(data) & 0xFFFFFFF:x}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def feed_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _source(base: str, path: str, name: str = "Báo thử nghiệm") -> Source:
    return services.add_source(None, name=name, url=base + path, outlet_names=name)


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_feed_is_taken_in_with_its_duplicates_folded(feed_server: str) -> None:
    source = _source(feed_server, "/vi.xml")
    record = services.poll(source)
    assert record.status == "ok", record.message
    items = list(Item.objects.filter(source=source).order_by("pk"))
    assert [i.title for i in items] == [
        "Quảng Trị gặp gỡ cơ quan đại diện nước ngoài",
        "Quảng Trị gặp gỡ cơ quan đại diện nước ngoài - Báo thử nghiệm",
        "Đồng Nai kêu gọi đầu tư công nghệ cao",
    ]  # the third entry's address is the first's (www., http, #fragment): known, skipped
    assert items[1].duplicate_of == items[0] and items[1].duplicate_reason == "title"
    assert items[0].language == "vi" and "alert" not in items[2].text
    assert (record.items_new, record.items_duplicate) == (2, 1)
    places = ItemTag.objects.filter(item=items[0], kind=TagKind.PLACE)
    assert [(t.unit.code, t.current.code, t.words) for t in places] == [("T44-2025", "T44-2025", "Quảng Trị")]
    again = services.poll(Source.objects.get(pk=source.pk))
    assert again.status == "unchanged" and Item.objects.filter(source=source).count() == 3  # ETag: 304


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_old_names_and_other_languages_map_to_todays_bodies(feed_server: str) -> None:
    for path, name in (("/en.xml", "World Daily"), ("/fr.xml", "Le Monde test"), ("/zh.xml", "Zh test")):
        assert services.poll(_source(feed_server, path, name)).status == "ok"
    caves = Item.objects.get(url_key="world.example/quang-binh-caves")
    tag = caves.tags.get(kind=TagKind.PLACE)
    assert (tag.unit.short_name, tag.current.code, tag.rule) == ("Quảng Bình", "T44-2025", "tên cũ")
    assert caves.language == "en"
    assert Item.objects.get(url_key="fr.example/hue").tags.get(kind=TagKind.PLACE).current.code == "T46-2025"
    chinese = Item.objects.get(url_key="zh.example/guangzhi")
    assert chinese.language == "zh" and chinese.tags.get(kind=TagKind.PLACE).current.code == "T44-2025"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, words",
    [
        ("/not-xml", "không phải nguồn RSS"),
        ("/huge.xml", "quá giới hạn"),
        ("/many.xml", "10.000 tin"),
        ("/error.xml", "HTTP 503"),
        ("/missing.xml", "HTTP 404"),
    ],
)
def test_bad_input_leaves_a_message_and_nothing_else(feed_server: str, path: str, words: str) -> None:
    source = _source(feed_server, path)
    record = services.poll(source)
    source.refresh_from_db()
    assert record.status == "error" and words in record.message
    assert words in source.last_error and source.last_error_at is not None
    assert not Item.objects.filter(source=source).exists()


@pytest.mark.django_db
def test_a_failure_halfway_takes_nothing_in(monkeypatch: pytest.MonkeyPatch) -> None:
    source = services.add_source(None, name="Nhập thử")
    calls = {"n": 0}
    original = ItemTag.save

    def failing(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("ổ đĩa đầy")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(ItemTag, "save", failing)
    stories = [
        Story(
            f"Quảng Trị đón đoàn khách số {n} từ châu Âu",
            f"Tỉnh Quảng Trị đón đoàn khách số {n}.",
            f"https://x.example/{n}",
        )
        for n in range(5)
    ]
    with pytest.raises(RuntimeError):
        services.take_in(source, stories)
    assert not Item.objects.filter(source=source).exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_near_duplicate_texts_fold_across_outlets() -> None:
    first, second = services.add_source(None, name="Báo A"), services.add_source(None, name="Báo B")
    services.take_in(first, [Story("Quảng Trị gặp gỡ đại diện nước ngoài", STORY_VI, "https://a.example/1")])
    services.take_in(
        second,
        [Story("Tỉnh tổ chức hội nghị với các đại sứ", STORY_VI + " (Theo Báo A)", "https://b.example/9")],
    )
    copy = Item.objects.get(url_key="b.example/9")
    assert copy.duplicate_reason == "text" and copy.similarity >= 0.8
    assert copy.duplicate_of.url_key == "a.example/1"


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_provinces_analyst_reads_only_the_provinces_stories(feed_server: str) -> None:
    for path, name in (("/vi.xml", "Báo thử nghiệm"), ("/en.xml", "World Daily")):
        services.poll(_source(feed_server, path, name))
    quang_tri = User.objects.create_user("qt.phantich", password="x", role="analyst")
    quang_tri.org_unit_id = Item.objects.first().tags.filter(kind=TagKind.PLACE).first().current_id
    quang_tri.save()
    central = User.objects.get(username="cuc.phantich")
    seen = set(selectors.visible_items(quang_tri).values_list("url_key", flat=True))
    assert seen == {"bao.example/a-1.html", "bao.example/a-1-ban-sao.html", "world.example/quang-binh-caves"}
    assert selectors.visible_items(central).count() == 4
    client = Client()
    client.force_login(quang_tri)
    page = client.get("/monitoring/").content.decode()
    assert "Quang Binh caves" in page and "Đồng Nai" not in page.split('data-testid="items"')[1]
    other = Item.objects.get(url_key="bao.example/b-2.html")
    assert client.get(f"/monitoring/{other.pk}/").status_code == 404
    assert Poll.objects.count() == 2


@pytest.mark.django_db
def test_a_story_is_shown_as_text_and_links_only_to_the_web() -> None:
    source = services.add_source(None, name="Nguồn lạ")
    services.take_in(
        source,
        [
            Story(
                "<b>Quảng Trị</b> <script>alert(1)</script> đón khách",
                "<p>Tỉnh Quảng Trị đón khách.</p><img src=x onerror=alert(2)>",
                "javascript:alert(3)",
            )
        ],
    )
    item = Item.objects.get(source=source)
    assert "<" not in item.title and "onerror" not in item.text
    client = Client()
    client.force_login(User.objects.get(username="cuc.phantich"))
    page = client.get(f"/monitoring/{item.pk}/").content.decode()
    assert "javascript:" not in page and "<script>alert" not in page


@pytest.mark.django_db
def test_due_sources_are_queued_once_until_their_turn_comes_again() -> None:
    from django_tasks_db.models import DBTaskResult

    source = services.add_source(None, name="Báo đến lượt", url="https://den-luot.example/rss.xml")
    paused = services.add_source(None, name="Báo tạm dừng", url="https://tam-dung.example/rss.xml")
    services.set_active(paused, False)
    assert services.queue_due_polls(NOW) == 1
    assert services.queue_due_polls(NOW + dt.timedelta(minutes=1)) == 0  # queued: not again next minute
    assert services.queue_due_polls(NOW + dt.timedelta(minutes=31)) == 1  # its 30 minutes have passed
    assert (
        DBTaskResult.objects.filter(args_kwargs__args=[source.pk], task_path__endswith="poll_source").count()
        == 2
    )


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_province_of_the_same_name_before_and_after_07_2025_is_named_by_the_rule_of_the_stories_day() -> (
    None
):
    source = services.add_source(None, name="Báo Đồng Nai (thử)")
    services.take_in(
        source,
        [
            Story(
                "Đồng Nai khởi công sân bay mới", "Tỉnh Đồng Nai khởi công.", "https://dn.example/new", NOW
            ),
            Story(
                "Đồng Nai mở khu công nghiệp",
                "Tỉnh Đồng Nai mở khu công nghiệp.",
                "https://dn.example/old",
                dt.datetime(2024, 5, 1, tzinfo=dt.UTC),
            ),
        ],
        now=NOW,
    )
    new = ItemTag.objects.get(item__url="https://dn.example/new", kind=TagKind.PLACE)
    old = ItemTag.objects.get(item__url="https://dn.example/old", kind=TagKind.PLACE)
    assert (new.rule, new.unit.valid_to) == ("tên", None)
    assert old.rule == "tên cũ" and old.unit.valid_to is not None
    assert new.current_id == old.current_id  # both the Đồng Nai of today


@pytest.mark.django_db
def test_the_demo_feed_follows_the_servers_address_and_a_refused_connection_is_said_in_words() -> None:
    source = services.add_source(
        None, name="Nguồn mẫu (thử)", url="http://127.0.0.1:8000" + services.DEMO_FEED_PATH
    )
    elsewhere = services.add_source(
        None, name="Nguồn ngoài (thử)", url="https://bao.example" + services.DEMO_FEED_PATH
    )
    assert services.point_demo_feed("http://127.0.0.1:8765") == 1
    source.refresh_from_db()
    elsewhere.refresh_from_db()
    assert source.url == "http://127.0.0.1:8765" + services.DEMO_FEED_PATH
    assert elsewhere.url.startswith("https://bao.example")
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(services.FetchError) as refused:
        services.fetch_url(f"http://127.0.0.1:{port}/rss.xml")
    assert "không nhận kết nối" in str(refused.value) and "Errno" not in str(refused.value)
