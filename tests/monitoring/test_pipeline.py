"""The news pipeline's pure steps, each on its own: addresses, titles, near-duplicates, language, places and
bodies, topics, sentiment, markup and feeds. Texts are written for these tests, in Vietnamese, English, French
and Chinese."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.monitoring.pipeline import dedup, extract, feeds, language, places, sentiment, titles, topics, urls

# --------------------------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "a, b",
    [
        ("https://www.baoquangtri.vn/du-lich/a-123.html", "http://baoquangtri.vn/du-lich/a-123.html"),
        ("https://baoquangtri.vn/du-lich/a-123.html#binh-luan", "https://baoquangtri.vn/du-lich/a-123.html/"),
        ("https://m.example.com/news/x?utm_source=fb&utm_medium=s", "https://example.com/news/x"),
        ("https://example.com/story?b=2&a=1", "https://example.com/story?a=1&b=2&fbclid=xyz"),
        ("https://EXAMPLE.com/news/x/amp", "https://example.com/news/x"),
        ("https://example.com:443/x", "https://example.com/x"),
    ],
)
def test_one_story_one_address(a: str, b: str) -> None:
    assert urls.normalise_url(a) == urls.normalise_url(b) != ""


def test_addresses_that_choose_another_story_stay_apart() -> None:
    assert urls.normalise_url("https://example.com/story?id=1") != urls.normalise_url(
        "https://example.com/story?id=2"
    )
    assert urls.normalise_url("https://example.com/a") != urls.normalise_url("https://example.org/a")
    assert urls.normalise_url("https://example.com/News/A") != urls.normalise_url(
        "https://example.com/news/a"
    )


@pytest.mark.parametrize(
    "bad", ["", "javascript:alert(1)", "ftp://example.com/x", "not a url", "http://", "https://[::1"]
)
def test_what_is_not_a_web_address_has_no_key(bad: str) -> None:
    assert urls.normalise_url(bad) == ""


@given(st.text(max_size=300))
def test_any_text_gives_a_key_or_nothing(text: str) -> None:
    key = urls.normalise_url(text)
    assert isinstance(key, str)
    if key:
        assert urls.normalise_url("https://" + key) == key  # the key is itself normal


# --------------------------------------------------------------------------------------------- titles


@pytest.mark.parametrize(
    "title",
    [
        "Opinion | Vietnam's Quang Tri draws record visitors – The Diplomat",
        "Vietnam's Quang Tri draws record visitors",
        "ANALYSIS: Vietnam's Quang Tri draws record visitors | The Diplomat",
        "[Video] Vietnam’s Quang Tri draws record visitors",
    ],
)
def test_rubrics_and_outlets_are_cut_from_titles(title: str) -> None:
    assert titles.title_key(title, ["The Diplomat"]) == titles.title_key(
        "Vietnam's Quang Tri draws record visitors"
    )


def test_vietnamese_titles_fold_marks_and_outlets() -> None:
    a = titles.title_key("Bình luận: Quảng Trị đón hai triệu lượt khách - Báo Quảng Trị", ["Báo Quảng Trị"])
    b = titles.title_key("QUẢNG TRỊ ĐÓN HAI TRIỆU LƯỢT KHÁCH")
    assert a == b != ""
    assert titles.title_key("Quảng Trị đón hai triệu lượt khách quốc tế") != a


@pytest.mark.parametrize("short", ["Tin vắn", "Breaking news", "Video: Bão số 9", "Opinion | Vietnam", ""])
def test_short_titles_give_no_key(short: str) -> None:
    assert titles.title_key(short) == ""


@given(st.text(max_size=200), st.lists(st.text(max_size=30), max_size=3))
def test_title_keys_never_fail(title: str, outlets: list[str]) -> None:
    key = titles.title_key(title, outlets)
    assert key == "" or len(key) == 20


# --------------------------------------------------------------------------------------------- near-duplicates

STORY = (
    "Sáng 1/12, Ủy ban nhân dân tỉnh Quảng Trị tổ chức hội nghị quảng bá du lịch với các cơ quan đại diện nước "
    "ngoài, giới thiệu các điểm đến vùng cát ven biển, di tích lịch sử và các sản phẩm du lịch mới của tỉnh "
    "trong năm 2026. Phát biểu tại hội nghị, lãnh đạo tỉnh mong muốn các đối tác quốc tế tiếp tục đồng hành."
)
OTHER = (
    "Bộ Ngoại giao tổ chức họp báo thường kỳ chiều 1/12, người phát ngôn trả lời câu hỏi của phóng viên về tình "
    "hình Biển Đông, quan hệ với các đối tác và công tác bảo hộ công dân ở nước ngoài trong dịp cuối năm nay."
)


def test_a_republished_story_is_found_and_confirmed() -> None:
    index = dedup.NearDuplicates()
    index.add("1", dedup.shingles(STORY))
    index.add("2", dedup.shingles(OTHER))
    copy = STORY.replace("Sáng 1/12", "Sáng ngày 1/12") + " (Theo Báo Quảng Trị)"
    found = index.find(dedup.shingles(copy))
    assert [m.key for m in found] == ["1"] and found[0].similarity >= dedup.SAME
    assert index.find(dedup.shingles(OTHER))[0].key == "2"


def test_a_story_on_the_same_subject_is_not_a_duplicate() -> None:
    index = dedup.NearDuplicates()
    index.add("1", dedup.shingles(STORY))
    rewritten = (
        "Chiều 1/12, tỉnh Quảng Trị gặp gỡ các cơ quan đại diện nước ngoài để giới thiệu sản phẩm du lịch mới, "
        "trong đó có tuyến tham quan vùng cát ven biển và các di tích lịch sử; nhiều đại sứ bày tỏ mong muốn "
        "đưa du khách nước mình tới tỉnh trong năm tới."
    )
    assert index.find(dedup.shingles(rewritten)) == []


def test_short_texts_are_never_folded_by_their_text() -> None:
    assert dedup.shingles("Quảng Trị đón khách") == frozenset()
    assert dedup.NearDuplicates().find(frozenset()) == []


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(STORY.split()), min_size=30, max_size=80))
def test_a_text_always_finds_itself(words: list[str]) -> None:
    text = " ".join(words)
    index = dedup.NearDuplicates()
    found = dedup.shingles(text)
    index.add("x", found)
    if found:
        assert index.find(found)[0].key == "x"


# --------------------------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    "text, code",
    [
        ("Tỉnh Quảng Trị đón hai triệu lượt khách du lịch trong năm nay", "vi"),
        ("Quang Tri province welcomed two million visitors this year, officials said", "en"),
        ("La province de Quang Tri a accueilli deux millions de visiteurs cette année", "fr"),
        ("广治省今年接待游客两百万人次，旅游收入大幅增长", "zh"),
        ("Вьетнамская провинция Куангчи приняла два миллиона туристов", "ru"),
    ],
)
def test_language_of_a_story(text: str, code: str) -> None:
    assert language.detect(text)[0] == code


def test_no_language_for_no_text() -> None:
    assert language.detect("  12/12 ") == ("", 0.0)


# --------------------------------------------------------------------------------------------- places and bodies

TAGGER = places.Tagger(
    [
        places.Name("Thái Bình", "TB"),
        places.Name("Hòa Bình", "HB"),
        places.Name("Điện Biên", "DB"),
        places.Name("Quảng Trị", "QT"),
        places.Name("Quảng Bình", "QB", rule="tên cũ"),
        places.Name("Hà Nam", "HNA"),
        places.Name("Hồ Chí Minh", "HCM"),
        places.Name("TP.HCM", "HCM", rule="tên gọi khác"),
        places.Name("Saigon", "HCM", rule="tên gọi khác"),
        places.Name("广治", "QT", rule="tên gọi khác"),
        places.Name("Assad", "AS"),
        places.Name("Bộ Ngoại giao", "BNG", places.FIRST),
        places.Name("Ministry of Foreign Affairs", "BNG", places.FIRST, "tên tiếng nước ngoài"),
    ],
    places.TRAPS,
)


def _codes(text: str) -> list[str]:
    return [f.code for f in TAGGER.find(text)]


@pytest.mark.parametrize(
    "text, codes",
    [
        ("Tàu cá Thái Bình ra khơi trên Thái Bình Dương", ["TB"]),
        ("Vì hòa bình và hợp tác, tỉnh Hòa Bình đón đoàn khách", ["HB"]),
        ("Kỷ niệm 72 năm chiến thắng Điện Biên Phủ tại tỉnh Điện Biên", ["DB"]),
        ("The ambassador met Assad's envoy", ["AS"]),
        ("Ông Quảng Trịnh nói về Quang Tri province", ["QT"]),
        ("Hà Nằm không phải Hà Nam", ["HNA"]),
        ("Quảng Bình năm 2024 và Quảng Trị", ["QB", "QT"]),
        ("Du khách tới TP.HCM, Saigon và thành phố Hồ Chí Minh", ["HCM", "HCM", "HCM"]),
        ("越南广治省接待游客", ["QT"]),
        ("Bộ Ngoại giao và bộ ngoại giao; the Ministry of Foreign Affairs", ["BNG", "BNG"]),
        ("QUẢNG TRỊ ĐÓN KHÁCH QUỐC TẾ DỊP CUỐI NĂM", ["QT"]),
    ],
)
def test_names_at_syllable_edges_with_their_traps(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes


def test_each_tag_keeps_its_words_and_rule() -> None:
    found = TAGGER.find("Khách tới Saigon")
    assert [(f.words, f.rule) for f in found] == [("Saigon", "tên gọi khác")]
    text = "Khách tới Saigon"
    assert text[found[0].start : found[0].end] == "Saigon"


@given(st.text(max_size=400))
def test_the_tagger_never_fails_and_spans_hold_their_words(text: str) -> None:
    import unicodedata

    normal = unicodedata.normalize("NFC", text)
    for found in TAGGER.find(text):
        assert normal[found.start : found.end] == found.words


# --------------------------------------------------------------------------------------------- topics, sentiment

TOPICS = topics.TopicTagger(topics.taxonomy())


@pytest.mark.parametrize(
    "text, code",
    [
        ("Bão số 9 gây lũ lụt, sạt lở tại Quảng Trị", "disasters"),
        ("Human rights groups criticise the arrest of activist in Hanoi", "human-rights"),
        ("La liberté religieuse au Vietnam en débat", "religion"),
        ("南海渔民遭遇台风", "sea-islands"),
        ("Tourists flock to Hue heritage festival", "tourism"),
    ],
)
def test_topics_from_the_taxonomy(text: str, code: str) -> None:
    assert code in [t.code for t in TOPICS.find(text)]


def test_marks_tell_a_storm_from_a_newspaper() -> None:
    assert "disasters" not in [t.code for t in TOPICS.find("Báo chí đưa tin về hội nghị đầu tư")]
    assert "disasters" in [
        t.code for t in TOPICS.find("Bao so 9 gay lu lut o mien Trung")
    ]  # typed without marks


@pytest.mark.parametrize(
    "text, label",
    [
        ("Quảng Trị đón lượng khách kỷ lục, du lịch khởi sắc", "positive"),
        ("Activists arrested in crackdown, rights groups condemn the verdict", "negative"),
        ("Bài viết xuyên tạc, sai sự thật về tình hình tôn giáo", "negative"),
        ("Hội nghị không thành công như mong đợi", "negative"),
        ("Lịch họp báo thường kỳ tuần tới", "neutral"),
    ],
)
def test_lexicon_sentiment(text: str, label: str) -> None:
    found = sentiment.lexicon_sentiment(text)
    assert found.label == label
    assert -1 <= found.score <= 1


# --------------------------------------------------------------------------------------------- markup, feeds


def test_scripts_never_come_out_of_markup() -> None:
    text = extract.html_to_text(
        "<p>Đoạn một</p><script>alert('x')</script><style>p{}</style><iframe src=x>y</iframe><p>Đoạn &amp; hai</p>"
    )
    assert text == "Đoạn một\n\nĐoạn & hai"


@given(st.text(max_size=500))
def test_markup_to_text_never_fails_nor_keeps_controls(markup: str) -> None:
    text = extract.html_to_text(markup)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)


RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Báo thử nghiệm</title><language>vi</language>
<item><title>Quảng Trị đón &lt;b&gt;khách&lt;/b&gt; quốc tế</title><link>https://bao.example/a-1.html</link>
<pubDate>Tue, 01 Dec 2026 08:00:00 +0700</pubDate><description><![CDATA[<p>Đoạn một</p><script>alert(1)</script>]]></description></item>
<item><title>Second</title><link>https://bao.example/a-2.html</link></item>
</channel></rss>"""


def test_a_feed_gives_plain_stories() -> None:
    feed = feeds.parse_feed(RSS.encode())
    assert feed.title == "Báo thử nghiệm" and len(feed.entries) == 2
    first = feed.entries[0]
    assert first.title == "Quảng Trị đón khách quốc tế" and first.text == "Đoạn một"
    assert first.published is not None and first.published.isoformat() == "2026-12-01T01:00:00+00:00"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "rỗng"),
        ("<html><body><h1>Trang chủ</h1></body></html>".encode(), "không phải nguồn RSS"),
        (b"just text, not xml", "không phải nguồn RSS"),
    ],
)
def test_what_is_not_a_feed_is_refused_with_a_message(data: bytes, words: str) -> None:
    with pytest.raises(feeds.FeedError, match=words):
        feeds.parse_feed(data)


def test_a_feed_of_too_many_stories_is_refused_whole() -> None:
    items = "".join(
        f"<item><title>Tin {n}</title><link>https://x.example/{n}</link></item>" for n in range(1001)
    )
    with pytest.raises(feeds.FeedError, match="quá giới hạn 1.000 tin"):
        feeds.parse_feed(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode()
        )


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_feed_or_a_refusal(data: bytes) -> None:
    try:
        feed = feeds.parse_feed(data)
    except feeds.FeedError as exc:
        assert str(exc)
    else:
        assert all(isinstance(e.title, str) for e in feed.entries)


# --------------------------------------------------------------------------------------------- claims, alerts

from ttdn.monitoring.pipeline import alerts, claims  # noqa: E402

LIBRARY = claims.ClaimIndex(
    [
        claims.ClaimText(
            "ton-giao",
            "Chính quyền tỉnh Quảng Trị đàn áp tôn giáo khi di dời điểm nhóm tín đồ; religious persecution, "
            "church group forced out",
        ),
        claims.ClaimText(
            "cuu-tro", "Bắt giữ người phê phán công tác cứu trợ lũ lụt; activists arrested flood relief"
        ),
        claims.ClaimText("trong", "và của là"),  # nothing but function words: left out
    ]
)


@pytest.mark.parametrize(
    "text, key",
    [
        (
            "Bài viết cho rằng chính quyền Quảng Trị đàn áp tôn giáo khi di dời một điểm nhóm tín đồ trái phép",
            "ton-giao",
        ),
        ("Bai viet cho rang chinh quyen Quang Tri dan ap ton giao khi di doi diem nhom tin do", "ton-giao"),
        (
            "A church group in Quang Tri says it was forced out, calling it religious persecution by officials",
            "ton-giao",
        ),
        (
            "Two activists arrested after criticising flood relief in the central province, groups say",
            "cuu-tro",
        ),
    ],
)
def test_stories_find_their_claim(text: str, key: str) -> None:
    found = LIBRARY.match(text)
    assert found and found[0].key == key and found[0].shared


def test_short_or_unrelated_stories_find_no_claim() -> None:
    assert LIBRARY.match("Đàn áp tôn giáo") == []  # under eight words
    assert (
        LIBRARY.match("Quảng Trị đón hơn hai triệu lượt khách du lịch quốc tế trong năm nay, doanh thu tăng")
        == []
    )
    assert claims.ClaimIndex([]).match("bất kỳ nội dung nào dài hơn tám từ để thử chỉ mục rỗng") == []


def test_a_claim_matches_itself_fully_and_links() -> None:
    found = LIBRARY.match(
        "Chính quyền tỉnh Quảng Trị đàn áp tôn giáo khi di dời điểm nhóm tín đồ; religious persecution"
    )
    assert found[0].score >= claims.LINK and found[0].linked


@pytest.mark.parametrize(
    "recent, baseline, raised",
    [
        (5, [0, 1, 0, 0, 1, 0, 0], True),  # mean 0.29, 17 times
        (3, [], True),  # never written about before: the threshold alone
        (2, [0, 0, 0], False),  # under the threshold
        (6, [3, 2, 3, 2], False),  # 2.4 times its usual 2.5: not a spike
        (8, [3, 2, 3, 2], True),
    ],
)
def test_a_spike_is_measured_against_its_own_baseline(recent: int, baseline: list[int], raised: bool) -> None:
    verdict = alerts.spike(recent, baseline, factor=3, min_count=3)
    assert verdict.raised is raised and verdict.why


def test_watchlists_match_whole_words() -> None:
    terms = ["tù nhân lương tâm", "Assad"]
    assert alerts.watched("Tổ chức nọ gọi họ là tù nhân lương tâm", terms) == ["tù nhân lương tâm"]
    assert alerts.watched("The ambassador said", terms) == []


def test_top_terms_are_syllable_pairs_in_vietnamese_and_words_elsewhere() -> None:
    from ttdn.monitoring.pipeline.terms import top_terms

    found = dict(
        top_terms(
            [
                "Quảng Trị đón khách du lịch quốc tế",
                "Du lịch Quảng Trị tăng trưởng, khách quốc tế đông",
                "Tourists flock to the heritage sites of Quang Tri",
                "The heritage of Quang Tri draws more tourists",
            ]
        )
    )
    assert found["du lịch"] == 2 and found["quốc tế"] == 2 and found["heritage"] == 2
    assert "the" not in found and "của" not in found and not any(" và" in t or "và " in t for t in found)


def test_top_terms_do_not_straddle_two_words_nor_punctuation() -> None:
    from ttdn.monitoring.pipeline.terms import terms_of, top_terms

    texts = [
        "Thu hút đầu tư nước ngoài vào Quảng Trị",
        "Đầu tư nước ngoài tăng mạnh",
        "Vốn đầu tư nước ngoài đổ về miền Trung",
        "Du lịch tăng trưởng, khách quốc tế đông",
        "Ngành du lịch tăng trưởng, khách nội địa đông",
    ]
    found = dict(top_terms(texts))
    assert found["đầu tư"] == 3 and found["nước ngoài"] == 3 and found["tăng trưởng"] == 2
    assert "tư nước" in terms_of(texts[1])  # a candidate before the stories are cut
    assert "tư nước" not in found
    assert "trưởng khách" not in terms_of(texts[3])  # the comma parts them


@given(
    st.lists(
        st.one_of(st.text(alphabet="abcđêôơư àáảãạ,.\n", max_size=60), st.text(max_size=60)), max_size=12
    )
)
def test_top_terms_count_stories_holding_them(texts: list[str]) -> None:
    from ttdn.monitoring.pipeline.terms import terms_of, top_terms

    for term, n in top_terms(texts, least=1):
        assert 1 <= n <= sum(term in terms_of(text) for text in texts)
