"""Opinion monitoring in the browser: the centre's analyst adds a feed served from a local server, the worker
takes its stories in, the duplicate folds under its original, a story shows its tags and why; a feed that is
not one leaves its message on the source's health; Quảng Trị's analyst reads only Quảng Trị's stories, old
name included, and is refused another province's."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import login

pytestmark = pytest.mark.browser

TEXT = (
    "Chiều 30/11, tỉnh Quảng Trị đón đoàn đại sứ các nước ASEAN tới thăm khu di tích Thành cổ và vùng cát ven "
    "biển; lãnh đạo tỉnh giới thiệu các sản phẩm du lịch mới, mong muốn các đại sứ giúp quảng bá hình ảnh của "
    "tỉnh tới bạn bè quốc tế trong năm tới và kết nối các nhà đầu tư."
)
FEED = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Báo Biên Cương (thử)</title>
<item><title>Đại sứ ASEAN thăm Thành cổ Quảng Trị</title><link>https://biencuong.example/dai-su-asean-1.html</link>
<pubDate>Mon, 30 Nov 2026 15:00:00 +0700</pubDate><description><![CDATA[<p>{TEXT}</p><script>document.title='x'</script>]]></description></item>
<item><title>Bình luận: Đại sứ ASEAN thăm Thành cổ Quảng Trị - Báo Biên Cương</title><link>https://biencuong.example/binh-luan-2.html</link>
<pubDate>Mon, 30 Nov 2026 17:00:00 +0700</pubDate><description><![CDATA[<p>{TEXT}</p>]]></description></item>
<item><title>Đồng Nai mở rộng khu công nghiệp công nghệ cao</title><link>https://biencuong.example/dong-nai-3.html</link>
<pubDate>Mon, 30 Nov 2026 18:00:00 +0700</pubDate><description>Tỉnh Đồng Nai mở rộng khu công nghiệp, thu hút nhà đầu tư nước ngoài.</description></item>
<item><title>Quang Binh caves welcome European tour groups again</title><link>https://biencuong.example/quang-binh-4.html</link>
<pubDate>Tue, 10 Jun 2025 09:00:00 +0700</pubDate><description>European tour groups returned to the caves of Quang Binh province.</description></item>
</channel></rss>""".encode()


class _Feeds(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = FEED if self.path == "/rss.xml" else "<html><body>Trang chủ</body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/xml" if self.path == "/rss.xml" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def feeds() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Feeds)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _add_source(page, name: str, url: str) -> None:  # noqa: ANN001
    page.goto(f"{page.base_url}/monitoring/sources/")
    form = page.get_by_test_id("new-source")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=url]").fill(url)
    form.get_by_role("button", name="Thêm nguồn").click()
    expect(page.locator(".messages")).to_contain_text(f"Đã thêm nguồn “{name}”")


def test_an_analyst_follows_a_new_feed_and_a_province_reads_its_own(page, browser, feeds) -> None:  # noqa: ANN001
    from ttdn.monitoring.models import Item, Source

    try:
        login(page, "cuc.phantich")
        page.goto(f"{page.base_url}/monitoring/sources/")
        form = page.get_by_test_id("new-source")
        form.locator("input[name=name]").fill("Báo Biên Cương (thử)")
        form.locator("input[name=url]").fill("ftp://biencuong.example/rss")
        form.get_by_role("button", name="Thêm nguồn").click()
        expect(page.get_by_test_id("error-url")).to_be_visible()
        expect(page.get_by_test_id("new-source").locator("input[name=name]")).to_have_value(
            "Báo Biên Cương (thử)"
        )

        _add_source(page, "Báo Biên Cương (thử)", f"{feeds}/rss.xml")
        call_command("worker", "--batch", "--interval", "0")  # the worker beside the server
        page.reload()
        expect(page.get_by_test_id("polls")).to_contain_text("Thành công")
        expect(page.get_by_test_id("polls")).to_contain_text("3")  # new: the commentary is a duplicate

        page.goto(f"{page.base_url}/monitoring/?q=thanh+co+quang+tri")
        rows = page.get_by_test_id("items")
        expect(rows).to_contain_text("Đại sứ ASEAN thăm Thành cổ Quảng Trị")
        expect(rows).not_to_contain_text("Bình luận:")  # folded under its original
        page.get_by_label("Hiện cả tin trùng").check()
        page.get_by_role("button", name="Lọc").click()
        expect(page.get_by_test_id("items")).to_contain_text("Bình luận:")
        expect(page.get_by_test_id("items")).to_contain_text("tin trùng")

        page.goto(f"{page.base_url}/monitoring/?q=dai+su+asean")
        page.get_by_test_id("items").get_by_role("link", name="Đại sứ ASEAN thăm Thành cổ Quảng Trị").click()
        expect(page.get_by_test_id("tags")).to_contain_text("Tỉnh Quảng Trị")
        expect(page.get_by_test_id("tags")).to_contain_text("“Quảng Trị”")
        expect(page.get_by_test_id("duplicates")).to_contain_text("cùng tiêu đề")
        expect(page.get_by_test_id("text")).not_to_contain_text("document.title")
        assert page.title() != "x"

        _add_source(page, "Trang không phải RSS (thử)", f"{feeds}/home.html")
        call_command("worker", "--batch", "--interval", "0")
        page.reload()
        expect(page.get_by_test_id("last-error")).to_contain_text("không phải nguồn RSS hay Atom")

        province = browser.new_context(locale="vi-VN").new_page()
        province.base_url = page.base_url
        login(province, "quangtri.phantich")
        expect(province.get_by_test_id("monitoring-card")).to_be_visible()
        province.goto(f"{page.base_url}/monitoring/?q=bien+cuong")
        province.goto(
            f"{page.base_url}/monitoring/?source={Source.objects.get(name='Báo Biên Cương (thử)').pk}"
        )
        listed = province.get_by_test_id("items")
        expect(listed).to_contain_text("Đại sứ ASEAN thăm Thành cổ Quảng Trị")
        expect(listed).to_contain_text(
            "Quang Binh caves"
        )  # the old province's name, Quảng Trị's since 07/2025
        expect(listed).not_to_contain_text("Đồng Nai")
        other = Item.objects.get(url_key="biencuong.example/dong-nai-3.html")
        response = province.goto(f"{page.base_url}/monitoring/{other.pk}/")
        assert response is not None and response.status == 404
    finally:
        for source in Source.objects.filter(name__endswith="(thử)"):
            Item.objects.filter(source=source, duplicate_of__isnull=False).delete()
            source.items.all().delete()
            source.delete()


def _negative_feed() -> bytes:
    from email.utils import format_datetime

    from django.utils import timezone

    items = []
    texts = [
        "Police in Ha Tinh arrested activists who criticised the flood relief; rights groups condemned the crackdown",
        "Rights groups condemn arrests of Ha Tinh activists and denounce a crackdown on critics of flood relief",
        "Ha Tinh officials accused of abuses after critics of flood relief were detained; protests and concerns grow",
        "Critics condemn Ha Tinh crackdown as arrested activists face charges; rights groups warn of repression",
    ]
    for n, text in enumerate(texts):
        when = format_datetime(timezone.now() - __import__("datetime").timedelta(hours=n + 1))
        items.append(
            f"<item><title>{text[:70]}</title><link>https://canhbao.example/{n}.html</link>"
            f"<pubDate>{when}</pubDate><description>{text}</description></item>"
        )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Asia Watch (thử)</title>{"".join(items)}</channel></rss>'.encode()


def test_a_spike_raises_an_alert_that_is_assigned_answered_with_a_rebuttal_and_closed(page, feeds) -> None:  # noqa: ANN001
    from ttdn.monitoring.models import Alert, Claim, Item, Source

    claim = Claim.objects.create(
        title="Việt Nam bắt giữ người phê phán công tác cứu trợ lũ lụt",
        summary="Báo nước ngoài cho rằng việc tạm giữ người đăng tin về cứu trợ là đàn áp tự do ngôn luận.",
        keywords="activists arrested, flood relief, crackdown",
        rebuttal="Hai người bị tạm giữ vì đăng tin sai sự thật, xử lý theo quy định về thông tin trên không gian mạng.",
        status="published",
    )
    FEEDS_NEGATIVE = _negative_feed()

    class Negative(_Feeds):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(FEEDS_NEGATIVE)))
            self.end_headers()
            self.wfile.write(FEEDS_NEGATIVE)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Negative)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        login(page, "cuc.phantich")
        _add_source(page, "Asia Watch (thử)", f"http://127.0.0.1:{server.server_address[1]}/rss.xml")
        call_command("worker", "--batch", "--interval", "0")
        page.goto(f"{page.base_url}/monitoring/alerts/")
        page.get_by_test_id("alerts").get_by_role(
            "link", name="Tin tiêu cực về Hà Tĩnh tăng đột biến"
        ).click()
        expect(page.get_by_test_id("why")).to_contain_text("4 tin")
        expect(page.get_by_test_id("alert-items")).to_contain_text("Police in Ha Tinh arrested")
        page.get_by_role("button", name="Tiếp nhận").click()
        expect(page.get_by_test_id("status")).to_have_text("Đã tiếp nhận")
        page.get_by_label("Người xử lý").select_option(label="Trần Thị Bình")
        page.get_by_role("button", name="Giao xử lý").click()
        expect(page.get_by_test_id("assignee")).to_have_text("Trần Thị Bình")
        page.get_by_role("button", name="Ghi nhận đã xử lý").click()
        expect(page.get_by_test_id("step-error")).to_contain_text("Hãy chọn cách xử lý")
        page.get_by_label("Cách xử lý").select_option(label="Dùng tài liệu lập luận")
        page.get_by_label("Tài liệu lập luận đã dùng").select_option(
            label="Việt Nam bắt giữ người phê phán công tác cứu trợ lũ lụt"
        )
        page.get_by_label("Ghi chú").fill("Đã gửi lập luận tới báo điện tử của tỉnh, đăng bài phản bác.")
        page.get_by_role("button", name="Ghi nhận đã xử lý").click()
        expect(page.get_by_test_id("response")).to_contain_text("Việt Nam bắt giữ người phê phán")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name="Đóng cảnh báo").click()
        expect(page.get_by_test_id("status")).to_have_text("Đã đóng")
        steps = page.get_by_test_id("steps")
        for state in ("Mới", "Đã tiếp nhận", "Đã giao xử lý", "Đã xử lý", "Đã đóng"):
            expect(steps).to_contain_text(state)
        page.get_by_role("link", name="Việt Nam bắt giữ người phê phán công tác cứu trợ lũ lụt").first.click()
        expect(page.get_by_test_id("rebuttal")).to_contain_text("thông tin trên không gian mạng")
    finally:
        server.shutdown()
        Alert.objects.filter(title__contains="Hà Tĩnh").delete()
        Alert.objects.filter(claim=claim).delete()
        claim.delete()
        for source in Source.objects.filter(name__endswith="(thử)"):
            Item.objects.filter(source=source, duplicate_of__isnull=False).delete()
            source.items.all().delete()
            source.delete()


PAGE = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>Tuyên Quang đón đoàn làm phim Hàn Quốc</title>
<meta property="article:published_time" content="2026-11-16T09:00:00+07:00"></head><body>
<nav><a href="/">Trang chủ</a> · <a href="/van-hoa">Văn hóa</a></nav><article><h1>Tuyên Quang đón đoàn làm phim Hàn Quốc</h1>
<p>Đoàn làm phim tài liệu của một đài truyền hình Hàn Quốc đến tỉnh Tuyên Quang ghi hình cao nguyên đá và các lễ hội
của đồng bào dân tộc thiểu số, giới thiệu với khán giả châu Á trong năm tới.</p><script>document.title='x'</script>
</article><footer>Báo Cao Nguyên Đá (thử)</footer></body></html>""".encode()


def test_an_analyst_types_a_story_in_imports_an_export_and_follows_a_page(page, feeds) -> None:  # noqa: ANN001
    from ttdn.monitoring.models import Item, Source

    class Pages(_Feeds):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(PAGE)))
            self.end_headers()
            self.wfile.write(PAGE)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    csv_path = __import__("pathlib").Path(__import__("tempfile").mkdtemp()) / "tin-thang-11.csv"
    try:
        login(page, "cuc.phantich")
        page.goto(f"{page.base_url}/monitoring/")
        page.get_by_test_id("add-items").click()
        typed = page.get_by_test_id("entry-story")
        typed.get_by_label("Cơ quan báo chí, nguồn").fill("Tạp chí Mekong (thử)")
        typed.get_by_label("Tiêu đề", exact=True).fill("Cần Thơ mở đường bay thẳng tới Seoul")
        typed.get_by_label("Nội dung").fill(
            "Thành phố Cần Thơ khai trương đường bay thẳng tới Seoul, mở ra cơ hội đón khách Hàn Quốc."
        )
        typed.get_by_label("Ngày đăng").fill("31/11/2026")
        typed.get_by_role("button", name="Thêm tin").click()
        expect(page.get_by_test_id("error-story-published")).to_contain_text("không hợp lệ")
        expect(page.get_by_test_id("entry-story").get_by_label("Tiêu đề", exact=True)).to_have_value(
            "Cần Thơ mở đường bay thẳng tới Seoul"
        )
        page.get_by_test_id("entry-story").get_by_label("Ngày đăng").fill("18/11/2026")
        page.get_by_test_id("entry-story").get_by_role("button", name="Thêm tin").click()
        expect(page.locator(".messages")).to_contain_text("Đã nhận tin")
        expect(page.get_by_test_id("tags")).to_contain_text("Cần Thơ")

        csv_path.write_text(
            "tiêu đề,nội dung,địa chỉ,ngày đăng,nguồn\n"
            "Huế đón du khách dịp lễ hội mùa đông,Thành phố Huế đón du khách châu Âu,https://hue.example/1,17/11/2026,Báo Cố Đô (thử)\n"
            "Lạng Sơn thông quan hàng hóa,Cửa khẩu của tỉnh Lạng Sơn thông quan,hue.example/2,17/11/2026,Báo Xứ Lạng (thử)\n",
            encoding="utf-8",
        )
        page.goto(f"{page.base_url}/monitoring/add/")
        page.get_by_test_id("entry-export").locator("summary").click()
        page.get_by_test_id("entry-export").locator("input[type=file]").set_input_files(str(csv_path))
        page.get_by_test_id("entry-export").get_by_role("button", name="Nhập các tin").click()
        expect(page.get_by_test_id("row-errors")).to_contain_text("Dòng 3: Địa chỉ “hue.example/2”")
        assert not Item.objects.filter(url="https://hue.example/1").exists()  # nothing half-imported
        csv_path.write_text(
            csv_path.read_text(encoding="utf-8").replace(",hue.example/2", ",https://hue.example/2"),
            encoding="utf-8",
        )
        page.get_by_test_id("entry-export").locator("input[type=file]").set_input_files(str(csv_path))
        page.get_by_test_id("entry-export").get_by_role("button", name="Nhập các tin").click()
        expect(page.locator(".messages")).to_contain_text("Đã nhập 2 tin mới")
        page.goto(f"{page.base_url}/monitoring/?q=lang+son+thong+quan")
        expect(page.get_by_test_id("items")).to_contain_text("Lạng Sơn thông quan hàng hóa")

        page.goto(f"{page.base_url}/monitoring/sources/")
        form = page.get_by_test_id("new-source")
        form.locator("input[name=name]").fill("Báo Cao Nguyên Đá (thử)")
        form.locator("select[name=kind]").select_option(label="Trang web")
        form.locator("input[name=url]").fill(f"http://127.0.0.1:{server.server_address[1]}/bai-viet.html")
        form.get_by_role("button", name="Thêm nguồn").click()
        call_command("worker", "--batch", "--interval", "0")
        page.reload()
        expect(page.get_by_test_id("polls")).to_contain_text("Thành công")
        page.goto(f"{page.base_url}/monitoring/?q=tuyen+quang+lam+phim")
        page.get_by_test_id("items").get_by_role(
            "link", name="Tuyên Quang đón đoàn làm phim Hàn Quốc"
        ).click()
        expect(page.get_by_test_id("text")).to_contain_text("cao nguyên đá")
        expect(page.get_by_test_id("text")).not_to_contain_text("Trang chủ")
        assert page.title() != "x"
    finally:
        server.shutdown()
        for source in Source.objects.filter(name__endswith="(thử)"):
            Item.objects.filter(source=source, duplicate_of__isnull=False).delete()
            source.items.all().delete()
            source.polls.all().delete()
            source.delete()
        for source in Source.objects.filter(name="tin-thang-11"):
            source.items.all().delete()
            source.delete()
