"""The full-text query builders: whatever a user types becomes folded words the engines' syntax cannot misread."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ttdn.core import fulltext


def test_words_are_folded_and_a_star_marks_a_start() -> None:
    assert fulltext.query_words("Quảng Trị") == ["quang", "tri"]
    assert fulltext.query_words("đầu* tư") == ["dau*", "tu"]
    assert fulltext.query_words("COVID-19*") == ["covid", "19*"]
    assert fulltext.query_words("a* * **") == ["a"]  # a start of one letter is a word of its own
    assert fulltext.query_words(" ".join(["x"] * 20)) == ["x"] * fulltext.MAX_WORDS
    assert fulltext.fts5_query(["quang", "tri*"]) == '"quang" AND "tri"*'
    assert fulltext.tsquery(["quang", "tri*"]) == "quang & tri:*"


@pytest.mark.parametrize("word", ["", "Quang", "a b", "x'y", 'x"y', "tri**", "đ", "a|b"])
def test_what_is_not_a_folded_word_is_refused(word: str) -> None:
    with pytest.raises(ValueError, match="not a folded word"):
        fulltext.tsquery([word])
    with pytest.raises(ValueError, match="not a folded word"):
        fulltext.fts5_query([word])


@given(st.text(max_size=300))
def test_any_text_gives_words_both_engines_read_as_words(text: str) -> None:
    words = fulltext.query_words(text)
    assert len(words) <= fulltext.MAX_WORDS
    for word in words:
        assert re.fullmatch(r"[0-9a-z]+\*?", word)
    if words:
        assert fulltext.tsquery(words).count("&") == len(words) - 1
        assert re.fullmatch(r'("[0-9a-z]+"\*?)( AND "[0-9a-z]+"\*?)*', fulltext.fts5_query(words))
