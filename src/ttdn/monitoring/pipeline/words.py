"""Words of a story as the taggers compare them.

Vietnamese tells words apart by their marks: "bão" (storm) is not "báo" (newspaper), "Hà Nam" not "hà nằm".
A text written with Vietnamese marks is compared in lower case with its marks; a text written without them
(English, French, Vietnamese typed without marks) is compared folded, and so are the names and keywords."""

from __future__ import annotations

import re
import unicodedata

from ttdn.core.text import fold

WORD = re.compile(r"\w+")
# Scripts written without spaces between words (Chinese, Japanese): names and keywords found as they stand.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_MARKED = frozenset("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def marked(text: str) -> bool:
    """Whether ``text`` is written with Vietnamese marks (a few marked letters are enough)."""
    count = 0
    for ch in unicodedata.normalize("NFC", text[:2000].lower()):
        if ch in _MARKED:
            count += 1
            if count >= 3:
                return True
    return False


def exact(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower())


def key(text: str, *, with_marks: bool) -> tuple[str, ...]:
    """The compared form of a name or keyword."""
    return tuple(WORD.findall(exact(text) if with_marks else fold(text)))


def compared(text: str) -> tuple[list[re.Match[str]], list[str], bool]:
    """The words of ``text``, their compared forms, and whether marks count."""
    with_marks = marked(text)
    found = list(WORD.finditer(unicodedata.normalize("NFC", text)))
    forms = [exact(m.group()) if with_marks else fold(m.group()) for m in found]
    return found, forms, with_marks
