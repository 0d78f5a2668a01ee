"""The language of a story (ngôn ngữ), by py3langid's bundled model, restricted to the languages the press
about Vietnam is read in, so that a short Vietnamese text without diacritics is not taken for Tagalog."""

from __future__ import annotations

from functools import cache
from typing import Any

LANGUAGES = ("vi", "en", "fr", "zh", "ru", "ja", "ko", "de", "es", "lo", "km", "th", "id", "pt", "it")
NAMES = {
    "vi": "Tiếng Việt",
    "en": "Tiếng Anh",
    "fr": "Tiếng Pháp",
    "zh": "Tiếng Trung",
    "ru": "Tiếng Nga",
    "ja": "Tiếng Nhật",
    "ko": "Tiếng Hàn",
    "de": "Tiếng Đức",
    "es": "Tiếng Tây Ban Nha",
    "lo": "Tiếng Lào",
    "km": "Tiếng Khmer",
    "th": "Tiếng Thái",
    "id": "Tiếng Indonesia",
    "pt": "Tiếng Bồ Đào Nha",
    "it": "Tiếng Ý",
}
NAMES_EN = {
    "vi": "Vietnamese",
    "en": "English",
    "fr": "French",
    "zh": "Chinese",
    "ru": "Russian",
    "ja": "Japanese",
    "ko": "Korean",
    "de": "German",
    "es": "Spanish",
    "lo": "Lao",
    "km": "Khmer",
    "th": "Thai",
    "id": "Indonesian",
    "pt": "Portuguese",
    "it": "Italian",
}


def names_in(language: str) -> dict[str, str]:
    """The languages' names in ``language`` (a code of the interface: English, else Vietnamese)."""
    return NAMES_EN if language.startswith("en") else NAMES


_VIETNAMESE_MARKS = frozenset("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(LANGUAGES))
    return identifier


def detect(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence 0-1) of ``text``; ("", 0.0) when there is nothing to tell it by."""
    sample = (text or "").strip()[:4000]
    if sum(ch.isalpha() for ch in sample[:400]) < 3:
        return "", 0.0
    lowered = sample.lower()
    marks = sum(ch in _VIETNAMESE_MARKS for ch in lowered)
    if marks >= 3 and marks >= 0.03 * sum(ch.isalpha() for ch in lowered):
        return "vi", 1.0  # letters no other language in the list writes
    code, confidence = _identifier().classify(sample)
    return str(code), round(float(confidence), 3)
