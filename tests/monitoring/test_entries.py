"""Stories that do not come from a feed: a web page followed as a source (trafilatura for its text, htmldate for
its date), an uploaded file (.html, .txt, .docx, .pdf), a story typed in, and a bulk import of an export (JSON,
CSV): each read by a pure step with its own tests, then taken in whole or not at all."""

from __future__ import annotations

import contextlib
import datetime as dt
import http.server
import io
import json
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ttdn.core.files import FileRefused
from ttdn.monitoring.pipeline import bulk, pages, uploads

TODAY = dt.date(2026, 12, 1)
NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
ARTICLE = """<!doctype html><html lang="vi"><head><meta charset="utf-8">
<title>Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc - Báo Miền Trung</title>
<meta property="og:title" content="Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc">
<meta property="article:published_time" content="2026-11-28T07:30:00+07:00">
<script>window.tracker = 'x'; document.title = 'bị chèn';</script></head>
<body><header><nav><a href="/">Trang chủ</a> · <a href="/thoi-su">Thời sự</a> · <a href="/kinh-te">Kinh tế</a></nav></header>
<main><article><h1>Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc</h1>
<p>Ngày 27/11, lãnh đạo tỉnh Hà Tĩnh tiếp đoàn hơn ba mươi doanh nghiệp Hàn Quốc tìm hiểu cơ hội đầu tư vào khu kinh tế
Vũng Áng, tập trung vào năng lượng tái tạo và chế biến sau thép.</p>
<p>Đại diện đoàn cho biết sẽ sớm mở văn phòng đại diện tại tỉnh để kết nối các dự án trong năm tới.</p>
<script>alert('không bao giờ hiện')</script><iframe src="https://quangcao.example/"></iframe></article></main>
<aside>Tin đọc nhiều: Giá vàng hôm nay; Thời tiết cuối tuần</aside>
<footer>© Báo Miền Trung. Giấy phép số 00/GP-BTTTT.</footer></body></html>"""


# ------------------------------------------------------------------------------------------------- pages


def test_a_page_gives_its_article_without_furniture_or_scripts() -> None:
    page = pages.read_page(ARTICLE, url="https://mientrung.example/ha-tinh.html", today=TODAY)
    assert page.title == "Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc"
    assert page.text.startswith("Ngày 27/11, lãnh đạo tỉnh Hà Tĩnh")
    assert "văn phòng đại diện" in page.text
    for furniture in ("Trang chủ", "Giá vàng", "Giấy phép", "alert", "tracker", "quangcao"):
        assert furniture not in page.text
    assert page.published == dt.datetime(2026, 11, 28, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def test_a_page_in_bytes_of_its_declared_encoding_reads_the_same() -> None:
    legacy = ARTICLE.replace('charset="utf-8"', 'charset="utf-16"').encode("utf-16")
    assert pages.read_page(legacy, today=TODAY).title == "Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc"


def test_a_page_with_only_a_date_in_its_text_is_read_day_first() -> None:
    html = (
        "<html><body><h1>Lào Cai mở lại chợ biên giới</h1><p>Cập nhật: 05/11/2026 08:30</p>"
        "<p>Chợ biên giới Kim Thành của tỉnh Lào Cai mở cửa trở lại sau đợt mưa lũ, thương nhân hai bên tấp nập.</p>"
        "</body></html>"
    )
    page = pages.read_page(html, today=TODAY)
    assert page.published is not None and page.published.date() == dt.date(2026, 11, 5)


def test_a_page_never_dates_itself_after_today() -> None:
    html = '<html><head><meta property="article:published_time" content="2027-03-01"></head><body><p>Tin.</p></body></html>'
    page = pages.read_page(html, today=TODAY)
    assert page.published is None or page.published.date() <= TODAY


@pytest.mark.parametrize("data", [b"", b"   ", b"\x00\x01\x02binary", "chỉ là chữ".encode()])
def test_what_is_not_a_page_is_refused(data: bytes) -> None:
    with pytest.raises(pages.PageError):
        pages.read_page(data, today=TODAY)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(["", "<p>", "<script>", "</div>", "<meta charset='x'>"]))
def test_any_markup_reads_to_plain_text_or_a_refusal(text: str, tag: str) -> None:
    try:
        page = pages.read_page(f"<html><body>{tag}{text}</body></html>", today=TODAY)
    except pages.PageError:
        return
    assert "<script" not in page.title.lower()
    assert "\x00" not in page.text and "\x00" not in page.title


# ------------------------------------------------------------------------------------------------- files


def _docx(paragraphs: list[str], *, title: str = "") -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.created = dt.datetime(2026, 11, 20, 3, 0)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf(lines: list[str]) -> bytes:
    """A one-page PDF with ``lines`` of text (Helvetica, so ASCII), offsets and all."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        "<< /Title (Quang Tri draws divers to Con Co island) /CreationDate (D:20261115080000+07'00') >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def test_each_kind_of_file_gives_its_story() -> None:
    text = uploads.read_upload(
        "tin.txt", "\ufeffSơn La đón khách quốc tế\n\nMùa hoa ban, Sơn La đón nhiều khách châu Âu.\n".encode()
    )
    assert (text.title, text.text) == (
        "Sơn La đón khách quốc tế",
        "Mùa hoa ban, Sơn La đón nhiều khách châu Âu.",
    )
    html = uploads.read_upload("bai.html", ARTICLE.encode(), today=TODAY)
    assert html.title == "Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc" and "alert" not in html.text
    word = uploads.read_upload(
        "bai.docx", _docx(["Gia Lai kết nối du lịch với Campuchia", "Tỉnh Gia Lai ký kết hợp tác du lịch."])
    )
    assert (
        word.title == "Gia Lai kết nối du lịch với Campuchia"
        and word.text == "Tỉnh Gia Lai ký kết hợp tác du lịch."
    )
    assert word.published == dt.datetime(2026, 11, 20, 3, 0, tzinfo=dt.UTC)
    titled = uploads.read_upload("x.docx", _docx(["Đoạn một."], title="Tiêu đề trong thuộc tính"))
    assert titled.title == "Tiêu đề trong thuộc tính" and titled.text == "Đoạn một."
    pdf = uploads.read_upload("bai.pdf", _pdf(["Divers return to Con Co island off Quang Tri province."]))
    assert pdf.title == "Quang Tri draws divers to Con Co island"
    assert "Con Co island" in pdf.text
    assert pdf.published is not None and pdf.published.date() == dt.date(2026, 11, 15)


def _bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"\x00" * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("virus.exe", b"MZ\x90\x00", "Không nhận loại tệp này"),
        ("trong.txt", b"", "Tệp rỗng"),
        ("lon.html", b"<p>" + b"a" * (uploads.MAX_BYTES + 1), "Tệp quá lớn"),
        ("doi-ten.pdf", b"MZ\x90\x00 not a pdf", "không phải .pdf"),
        ("doi-ten.docx", b"%PDF-1.4", "không phải .docx"),
        ("hong.docx", b"PK\x03\x04broken", "Tệp hỏng"),
        ("hong.pdf", b"%PDF-1.4\nrubbish", "hỏng"),
        ("bom.docx", None, "giải nén ra quá lớn"),
        ("nhi-phan.txt", b"\x00\x01\x02\x03", "nhị phân"),
    ],
)
def test_bad_files_are_refused_with_their_reason(name: str, data: bytes | None, words: str) -> None:
    with pytest.raises(FileRefused, match=words):
        uploads.read_upload(name, _bomb() if data is None else data, today=TODAY)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["a.html", "a.txt", "a.docx", "a.pdf", "a.htm", "a.exe"]),
    st.one_of(
        st.binary(max_size=600),
        st.builds(lambda tail: b"%PDF-1.4\n" + tail, st.binary(max_size=400)),
        st.builds(lambda tail: b"PK\x03\x04" + tail, st.binary(max_size=400)),
        st.text(max_size=300).map(str.encode),
    ),
)
def test_any_file_reads_to_a_story_or_a_refusal(name: str, data: bytes) -> None:
    try:
        page = uploads.read_upload(name, data, today=TODAY)
    except FileRefused:
        return
    assert page.title and "\x00" not in page.title + page.text


def test_a_files_date_is_the_first_real_day_of_its_first_lines() -> None:
    from ttdn.monitoring.pipeline.uploads import date_in_text

    ict = pages.VIETNAM
    assert date_in_text("Cập nhật 25/11/2026 lúc 08:30", TODAY) == dt.datetime(
        2026, 11, 25, 8, 30, tzinfo=ict
    )
    assert date_in_text("Hà Nội, ngày 5 tháng 11 năm 2026", TODAY) == dt.datetime(2026, 11, 5, 12, tzinfo=ict)
    assert date_in_text("31/02/2026, rồi 20/11/2026", TODAY) == dt.datetime(2026, 11, 20, 12, tzinfo=ict)
    assert date_in_text("ngày 05/12/2026", TODAY) is None  # after today
    assert date_in_text("số 12/2026/NĐ-CP", TODAY) is None
    story = uploads.read_upload(
        "a.txt", "Tin Sơn La\nSơn La, 25/11/2026 - Mùa hoa ban.".encode(), today=TODAY
    )
    assert story.published == dt.datetime(2026, 11, 25, 12, tzinfo=ict)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_a_day_not_after_today_or_none(text: str) -> None:
    from ttdn.monitoring.pipeline.uploads import date_in_text

    found = date_in_text(text, TODAY)
    assert found is None or dt.date(1990, 1, 1) <= found.date() <= TODAY


# ------------------------------------------------------------------------------------------------- bulk


def test_exports_are_read_by_their_column_names() -> None:
    csv_vi = (
        "Tiêu đề;Nội dung;Địa chỉ;Ngày đăng;Nguồn\n"
        "Cần Thơ đón đoàn Nhật Bản;Thành phố Cần Thơ đón đoàn doanh nghiệp Nhật Bản.;https://a.example/1;30/11/2026 08:15;Báo Tây Đô\n"
        'Điện Biên mở lễ hội hoa ban;"Lễ hội; nhiều khách";https://a.example/2;2026-11-29;\n'
    ).encode()
    rows = bulk.read_export("tin.csv", csv_vi)
    assert [(r.line, r.title, r.outlet) for r in rows] == [
        (2, "Cần Thơ đón đoàn Nhật Bản", "Báo Tây Đô"),
        (3, "Điện Biên mở lễ hội hoa ban", ""),
    ]
    assert rows[0].published == dt.datetime(2026, 11, 30, 8, 15, tzinfo=pages.VIETNAM)
    assert rows[1].text == "Lễ hội; nhiều khách" and rows[1].published.date() == dt.date(2026, 11, 29)

    media_cloud = (
        b"id,publish_date,title,url,language,media_name,media_url\n"
        b"1,2026-11-30 10:00:00,Vietnam's Ha Long Bay tops list,https://w.example/1,en,World Daily,w.example\n"
    )
    (row,) = bulk.read_export("export.csv", media_cloud)
    assert (row.title, row.outlet, row.url) == (
        "Vietnam's Ha Long Bay tops list",
        "World Daily",
        "https://w.example/1",
    )

    listed = json.dumps({"items": [{"title": "A", "summary": "B", "published_at": "2026-11-30T01:00:00Z"}]})
    (row,) = bulk.read_export("x.json", listed.encode())
    assert (row.title, row.text, row.published) == ("A", "B", dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC))
    lines = b'{"title": "One"}\n\n{"title": "Two", "link": "https://b.example/2"}\n'
    assert [(r.line, r.title) for r in bulk.read_export("x.jsonl", lines)] == [(1, "One"), (3, "Two")]


def test_wrong_rows_are_named_by_their_line() -> None:
    data = (
        "title,url,date\n"
        "Tin đúng,https://a.example/1,30/11/2026\n"
        ",https://a.example/2,30/11/2026\n"
        "Tin sai ngày,https://a.example/3,31/02/2026\n"
        "Tin sai địa chỉ,javascript:alert(1),30/11/2026\n"
    ).encode()
    errors = [(r.line, r.error.split(" ")[0]) for r in bulk.read_export("x.csv", data) if r.error]
    assert errors == [(3, "Thiếu"), (4, "Không"), (5, "Địa")]


@pytest.mark.parametrize(
    "name, data, words",
    [
        ("x.xlsx", b"PK", "Chỉ nhận tệp"),
        ("x.csv", b"", "Tệp rỗng"),
        ("x.csv", "tiêu đề\n".encode("cp1258", errors="replace") + b"\xff\xfe", "UTF-8"),
        ("x.json", b'[{"title": "a"', "JSON hỏng"),
        ("x.json", b'"chuoi"', "danh sách tin"),
        ("x.csv", b"name,value\na,b\n", "cột tiêu đề"),
        ("x.json", b"[" * 100_000 + b"]" * 100_000, "JSON"),
        ("x.csv", ("title\n" + "tin\n" * (bulk.MAX_ROWS + 1)).encode(), "tối đa 10.000 dòng"),
    ],
)
def test_bad_exports_are_refused_whole(name: str, data: bytes, words: str) -> None:
    with pytest.raises(bulk.BulkRefused, match=words):
        bulk.read_export(name, data)


@settings(max_examples=80, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["x.csv", "x.json", "x.jsonl"]))
def test_any_bytes_read_to_rows_or_a_refusal(data: bytes, name: str) -> None:
    try:
        rows = bulk.read_export(name, data)
    except bulk.BulkRefused:
        return
    for row in rows:
        assert row.error or row.title
        assert all(ord(ch) >= 32 for ch in row.title)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=60))
def test_any_date_text_reads_or_says_it_cannot(text: str) -> None:
    try:
        when = bulk.parse_when(text)
    except (ValueError, OverflowError, OSError):
        return
    assert when is None or when.tzinfo is not None


# ------------------------------------------------------------------------------------------------- taken in

PAGES: dict[str, bytes] = {"/ha-tinh.html": ARTICLE.encode()}


class _Pages(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/huge.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(20 * 1024 * 1024))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(b"<p>" * 65536)
            return
        data = PAGES.get(self.path)
        if data is None:
            self.send_error(404)
            return
        if self.headers.get("If-None-Match") == '"v1"':
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("ETag", '"v1"')
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def page_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_followed_page_is_taken_in_once_and_then_asked_conditionally(page_server: str) -> None:
    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item, SourceKind

    source = services.add_source(
        None, name="Báo Miền Trung", kind=SourceKind.PAGE, url=page_server + "/ha-tinh.html"
    )
    assert source in services.due_sources()
    first = services.poll(source)
    item = Item.objects.get(source=source)
    assert (first.status, first.items_new) == ("ok", 1)
    assert item.title == "Hà Tĩnh đón đoàn doanh nghiệp Hàn Quốc"
    assert item.published_at == dt.datetime(2026, 11, 28, 0, 30, tzinfo=dt.UTC)
    assert "alert" not in item.text and "Trang chủ" not in item.text
    assert set(item.tags.filter(kind="place").values_list("current__short_name", flat=True)) == {"Hà Tĩnh"}
    again = services.poll(source)
    assert again.status == "unchanged" and Item.objects.filter(source=source).count() == 1

    huge = services.add_source(None, name="Trang lớn", kind=SourceKind.PAGE, url=page_server + "/huge.html")
    record = services.poll(huge)
    huge.refresh_from_db()
    assert record.status == "error" and "quá giới hạn" in huge.last_error
    assert not Item.objects.filter(source=huge).exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_story_typed_in_is_analysed_and_its_repeat_folds() -> None:
    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item, Poll

    first = services.enter_story(
        None,
        outlet="Đài Phát thanh Quốc tế (thử)",
        title="Đà Nẵng thu hút các hãng bay quốc tế mở đường bay mới",
        text="Thành phố Đà Nẵng làm việc với ba hãng hàng không châu Á về các đường bay thẳng mới tới thành phố.",
        published=dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
    )
    (item,) = first.items
    assert item.source.kind == "manual" and item.duplicate_of is None
    assert item.tags.filter(current__short_name="Đà Nẵng").exists()
    assert Poll.objects.get(source=item.source).items_new == 1
    again = services.enter_story(
        None,
        outlet="Đài Phát thanh Quốc tế (thử)",
        title="Đà Nẵng thu hút các hãng bay quốc tế mở đường bay mới",
        text="Thành phố Đà Nẵng làm việc với ba hãng hàng không châu Á.",
    )
    assert again.items[0].duplicate_of == item
    assert Item.objects.filter(source=item.source).count() == 2
    services.enter_story(None, outlet="X", title="Có địa chỉ", url="https://dn.example/1")
    with pytest.raises(services.EntryRefused, match="đã có"):
        services.enter_story(None, outlet="Y", title="Lần hai", url="http://www.dn.example/1#top")


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_export_goes_in_whole_by_outlet_or_not_at_all() -> None:
    from ttdn.monitoring import services
    from ttdn.monitoring.models import Item, Source

    bad = (
        "title,text,url,outlet\n"
        "Bắc Ninh thu hút vốn FDI kỷ lục,Tỉnh Bắc Ninh dẫn đầu thu hút vốn,https://n.example/1,Báo Kinh Bắc\n"
        "Sai địa chỉ,x,ftp://n.example/2,Báo Kinh Bắc\n"
    ).encode()
    with pytest.raises(services.EntryRefused) as refused:
        services.enter_export(None, filename="tin.csv", data=bad)
    assert refused.value.rows == [
        "Dòng 3: Địa chỉ “ftp://n.example/2” không phải địa chỉ web (http:// hay https://)."
    ]
    assert not Item.objects.filter(url__startswith="https://n.example/").exists()
    assert not Source.objects.filter(name="Báo Kinh Bắc").exists()

    good = bad.replace(b"ftp://", b"https://").replace(
        b"Sai \xc4\x91\xe1\xbb\x8ba ch\xe1\xbb\x89,x",
        "Hưng Yên mở cảng cạn,Cảng cạn mới ở tỉnh Hưng Yên".encode(),
    )
    good += "Hà Nội đón khách quốc tế,Thủ đô đón khách,https://n.example/3,\n".encode()
    entered = services.enter_export(None, filename="tin-thang-11.csv", data=good)
    assert entered.taken.new == 3
    assert sorted(s.name for s in entered.sources) == ["Báo Kinh Bắc", "tin-thang-11"]
    assert {s.kind for s in entered.sources} == {"import"}
    assert services.enter_export(None, filename="tin-thang-11.csv", data=good).taken.known == 3


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_an_uploaded_page_keeps_its_date_and_loses_its_scripts() -> None:
    from ttdn.monitoring import services

    entered = services.enter_file(
        None, filename="ha-tinh.html", data=ARTICLE.encode(), outlet="Báo Miền Trung"
    )
    (item,) = entered.items
    assert item.source.kind == "upload" and item.source.name == "Báo Miền Trung"
    assert item.published_at == dt.datetime(2026, 11, 28, 0, 30, tzinfo=dt.UTC)
    assert "<script" not in item.text and "alert" not in item.text
    with pytest.raises(services.EntryRefused, match="giải nén"):
        services.enter_file(None, filename="bom.docx", data=_bomb())


# ------------------------------------------------------------------------------------------------- pages of the site


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_entry_page_takes_a_story_and_keeps_what_was_typed_when_refused() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import login
    from ttdn.monitoring.models import Item

    assert login("bng.xem").get("/monitoring/add/").status_code == 403
    assert login("quangtri.canbo").get("/monitoring/add/").status_code == 403
    client = login("cuc.phantich")
    page = client.get("/monitoring/add/")
    assert page.status_code == 200 and b'name="story-title"' in page.content

    refused = client.post("/monitoring/add/", {"form": "story", "story-outlet": "Báo thử", "story-title": ""})
    assert refused.status_code == 200
    assert "Hãy ghi tiêu đề." in refused.content.decode()
    assert 'value="Báo thử"' in refused.content.decode()

    made = client.post(
        "/monitoring/add/",
        {
            "form": "story",
            "story-outlet": "Báo thử",
            "story-title": "Thanh Hóa đón tàu du lịch biển",
            "story-text": "Cảng Nghi Sơn của tỉnh Thanh Hóa đón tàu du lịch biển đầu tiên.",
            "story-published": "29/11/2026",
        },
    )
    item = Item.objects.get(title="Thanh Hóa đón tàu du lịch biển")
    assert made.status_code == 302 and made["Location"] == f"/monitoring/{item.pk}/"
    assert item.published_at.date() == dt.date(2026, 11, 29)
    future = client.post(
        "/monitoring/add/",
        {"form": "story", "story-outlet": "Báo thử", "story-title": "Tin", "story-published": "02/12/2026"},
    )
    assert "Ngày đăng không thể sau hôm nay." in future.content.decode()

    export = SimpleUploadedFile(
        "tin.csv", "title,url\nTin một,https://e.example/1\nTin hai,mailto:x@y\n".encode(), "text/csv"
    )
    wrong = client.post(
        "/monitoring/add/", {"form": "export", "export-outlet": "Nguồn nhập", "export-file": export}
    )
    body = wrong.content.decode()
    assert "1 dòng có lỗi; chưa nhập dòng nào." in body and "Dòng 3:" in body
    assert 'value="Nguồn nhập"' in body
    assert not Item.objects.filter(url="https://e.example/1").exists()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_provinces_analyst_enters_stories_and_reads_those_about_the_province() -> None:
    from tests.conftest import login

    client = login("quangtri.phantich")
    own = client.post(
        "/monitoring/add/",
        {
            "form": "story",
            "story-outlet": "Báo địa phương",
            "story-title": "Quảng Trị khai mạc lễ hội hòa bình",
        },
    )
    assert (
        own.status_code == 302
        and own["Location"].startswith("/monitoring/")
        and own["Location"] != "/monitoring/"
    )
    other = client.post(
        "/monitoring/add/",
        {"form": "story", "story-outlet": "Báo địa phương", "story-title": "Cà Mau phát triển điện gió"},
        follow=True,
    )
    assert "không nhắc tới địa phương của bạn" in other.content.decode()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_a_long_export_is_checked_whole_then_taken_in_by_the_worker_a_batch_at_a_time(
    django_capture_on_commit_callbacks,  # noqa: ANN001
) -> None:
    from django.conf import settings as django_settings
    from django_tasks_db.models import DBTaskResult

    from tests.conftest import login
    from ttdn.monitoring import services
    from ttdn.monitoring.models import EntryRun, Item
    from ttdn.notices.models import Notice

    rows = ["title,text,url,outlet"] + [
        f"Tin số {n} về Quảng Ninh,Tỉnh Quảng Ninh đón đoàn khách số {n},https://long.example/{n},Báo Vùng Mỏ"
        for n in range(services.SYNC_ROWS + 50)
    ]
    broken = "\n".join([*rows, "Sai,x,ftp://long.example/x,Báo Vùng Mỏ"]).encode()
    with pytest.raises(services.EntryRefused):  # checked whole first: one wrong row, no run
        services.enter_export(None, filename="dai.csv", data=broken)
    assert not EntryRun.objects.exists()

    client = login("cuc.phantich")
    with django_capture_on_commit_callbacks(execute=True):
        from django.core.files.uploadedfile import SimpleUploadedFile

        response = client.post(
            "/monitoring/add/",
            {"form": "export", "export-file": SimpleUploadedFile("dai.csv", "\n".join(rows).encode())},
        )
    run = EntryRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/monitoring/add/runs/{run.pk}/"
    assert (run.state, run.total, run.done) == ("queued", services.SYNC_ROWS + 50, 0)
    assert not Item.objects.filter(url__startswith="https://long.example/").exists()
    assert DBTaskResult.objects.filter(task_path__endswith="take_in_export").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "0/350" in page
    assert login("quangtri.phantich").get(response["Location"]).status_code == 404

    run.state, run.done = "running", 100  # a worker stopped after its first batch of 100 (batch=100 below)
    run.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.perform_run(run.pk, batch=100)
    run.refresh_from_db()
    assert (run.state, run.done, run.new_count) == ("done", 350, 250)  # resumed at row 101, none twice
    assert Item.objects.filter(url__startswith="https://long.example/").count() == 250
    assert not (Path(django_settings.MEDIA_ROOT) / run.staged).exists()
    assert Notice.objects.filter(url=f"/monitoring/add/runs/{run.pk}/").exists()
    page = client.get(f"/monitoring/add/runs/{run.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "đã xong" in page.lower()


@pytest.mark.django_db
@time_machine.travel(NOW, tick=False)
def test_the_csv_export_has_provinces_topics_the_original_and_the_link_and_no_formula() -> None:
    import csv as csv_module

    from tests.conftest import login
    from ttdn.monitoring import services

    first = services.enter_story(
        None,
        outlet="Báo thử",
        title="=Quảng Trị đón khách du lịch quốc tế",
        text="Tỉnh Quảng Trị đón đoàn khách du lịch quốc tế tới thăm Thành cổ.",
        url="https://csv.example/1",
    ).items[0]
    services.enter_story(
        None,
        outlet="World Daily (thử)",
        title="=Quảng Trị đón khách du lịch quốc tế",
        text="Bản đăng lại.",
        foreign=True,
    )
    response = login("cuc.phantich").get("/monitoring/?format=csv&duplicates=on&q=quang+tri+don+khach")
    rows = list(csv_module.reader(response.content.decode("utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    assert header[6:8] == ["Tỉnh, thành phố", "Chủ đề"] and header[-1] == "Xem trong hệ thống"
    by_original = {row[8]: row for row in body}
    original, copy = by_original[""], by_original["https://csv.example/1"]
    assert original[3] == "'=Quảng Trị đón khách du lịch quốc tế"
    assert original[6] == "Quảng Trị" and "Du lịch" in original[7]
    assert original[-1].endswith(f"/monitoring/{first.pk}/")
    assert copy[2] == "có"
