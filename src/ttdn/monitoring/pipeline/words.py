"""Words of a story as the taggers compare them.

Vietnamese tells words apart by their marks: "bão" (storm) is not "báo" (newspaper), "Hà Nam" not "hà nằm".
A text written with Vietnamese marks is compared in lower case with its marks; a text written without them
(English, French, Vietnamese typed without marks) is compared folded, and so are the names and keywords."""

from __future__ import annotations

import re
import unicodedata

from ttdn.core.text import fold

WORD = re.compile(r"\w+")
# Scripts written without spaces between words (Chinese, Japanese), and Korean, whose words carry their particles
# ("하노이에서", in Hanoi): names and keywords found as they stand.
UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_MARKED = frozenset("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
# Letters no other language of the press writes (French has é, â, ô; Spanish á, ó; Portuguese ã, õ).
_ONLY_VIETNAMESE = frozenset("ăđơưảạấầẩẫậắằẳẵặẻẽẹếềểễệỉĩịỏọốồổỗộớờởỡợủũụứừửữựỳỷỹỵ")


def marked(text: str) -> bool:
    """Whether ``text`` is written with Vietnamese marks: a few marked letters, one of them a letter only
    Vietnamese writes (a French or Spanish text, "festival de Hué", is compared folded)."""
    count = 0
    own = False
    for ch in unicodedata.normalize("NFC", text[:2000].lower()):
        if ch in _MARKED:
            count += 1
            own = own or ch in _ONLY_VIETNAMESE
            if count >= 3 and own:
                return True
    return False


def plain(word: str) -> str:
    """A word folded; a word of a script that folding cannot write in Latin letters (Cyrillic, Chinese,
    Korean...) in lower case as it stands, rather than lost."""
    return fold(word) or exact(word)


def plain_words(text: str) -> list[str]:
    """The folded words of ``text`` (``plain``), a run in a script written without spaces cut into its
    characters, so that a Russian, Chinese or Japanese title or text has words to compare as a Latin one does."""
    source = unicodedata.normalize("NFC", text or "")
    if source.isascii():
        return fold(source).split()
    found: list[str] = []
    for word in WORD.findall(source):
        if UNSPACED.search(word):
            found.extend(ch for ch in word.lower() if ch.isalnum())
        else:
            found.extend(plain(word).split())
    return found


def exact(word: str) -> str:
    return unicodedata.normalize("NFC", word.lower())


def key(text: str, *, with_marks: bool) -> tuple[str, ...]:
    """The compared form of a name or keyword."""
    return tuple(WORD.findall(exact(text)) if with_marks else plain_words(text))


def compared(text: str) -> tuple[list[re.Match[str]], list[str], bool]:
    """The words of ``text``, their compared forms, and whether marks count."""
    with_marks = marked(text)
    found = list(WORD.finditer(unicodedata.normalize("NFC", text)))
    forms = [exact(m.group()) if with_marks else plain(m.group()) for m in found]
    return found, forms, with_marks
