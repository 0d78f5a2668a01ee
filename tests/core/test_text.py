import re

from hypothesis import given
from hypothesis import strategies as st

from ttdn.core.text import compact, fold, matches, strip_diacritics


def test_fold_examples() -> None:
    assert fold("Bà Rịa - Vũng Tàu") == "ba ria vung tau"
    assert fold("Đắk Lắk") == "dak lak"
    assert fold("  Quảng   TRỊ ") == "quang tri"
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    assert compact("Thành phố Hồ Chí Minh") == "thanhphohochiminh"
    assert strip_diacritics("Đồng Nai") == "Dong Nai"


def test_matches_every_word() -> None:
    assert matches("dak lak", fold("Tỉnh Đắk Lắk"))
    assert matches("DAK", fold("Đắk Nông"))
    assert not matches("dak lak", fold("Đắk Nông"))


@given(st.text())
def test_fold_is_idempotent_and_plain(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert set(once) <= set("abcdefghijklmnopqrstuvwxyz0123456789 ")
    assert "  " not in once and once == once.strip()


@given(
    st.text(
        alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ -"
    )
)
def test_fold_ignores_case_and_marks(text: str) -> None:
    assert fold(text.upper()) == fold(text)
    assert fold(strip_diacritics(text)) == fold(text)


def test_file_slug_reads_without_diacritics() -> None:
    from ttdn.core.text import file_slug

    assert file_slug("Tỉnh Quảng Trị") == "tinh-quang-tri"
    assert (
        file_slug("Sở Văn hóa, Thể thao và Du lịch tỉnh Đồng Nai")
        == "so-van-hoa-the-thao-va-du-lich-tinh-dong-nai"
    )
    assert file_slug("***") == "tep"


@given(st.text(max_size=200))
def test_file_slug_is_always_a_safe_file_name(text: str) -> None:
    from ttdn.core.text import file_slug

    slug = file_slug(text)
    assert slug and len(slug) <= 60 and re.fullmatch(r"[0-9a-z]+(?:-[0-9a-z]+)*|tep", slug)
