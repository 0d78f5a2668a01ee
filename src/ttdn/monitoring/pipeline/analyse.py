"""One story through the pipeline's pure steps: the keys it is deduplicated by, its language, its tags and
sentiment. What the store already holds (earlier stories) is the service's to ask; this module decides nothing
that needs it."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from ttdn.core.text import fold, without_controls
from ttdn.monitoring.pipeline import (
    dedup,
    extract,
    language,
    places,
    sentiment,
    sentiment_model,
    titles,
    topics,
    urls,
)

MIN_CLAIM_WORDS = 8  # below this a text is not matched to a claim (Check's rule)


@dataclass(frozen=True)
class Story:
    title: str
    text: str
    url: str = ""
    published: dt.datetime | None = None
    outlets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysed:
    title: str
    text: str
    url_key: str
    title_key: str
    language: str
    language_confidence: float
    shingles: frozenset[str]
    places: tuple[places.Found, ...]
    topics: tuple[topics.TopicFound, ...]
    sentiment: sentiment.Sentiment
    search_text: str


def clean(text: str, *, limit: int) -> str:
    """NFC, no control characters, at most ``limit`` characters."""
    return without_controls(unicodedata.normalize("NFC", text or ""), keep_lines=True).strip()[:limit]


def analyse(story: Story, *, tagger: places.Tagger, topic_tagger: topics.TopicTagger) -> Analysed:
    title = " ".join(clean(extract.one_line(story.title, 2000), limit=500).split())
    text = clean(extract.html_to_text(story.text), limit=200_000)
    whole = f"{title}\n{text}" if text else title
    code, confidence = language.detect(whole)
    return Analysed(
        title=title,
        text=text,
        url_key=urls.normalise_url(story.url),
        title_key=titles.title_key(title, story.outlets),
        language=code,
        language_confidence=confidence,
        shingles=dedup.shingles(text),
        places=tuple(tagger.find(whole)),
        topics=tuple(topic_tagger.find(whole)),
        sentiment=sentiment_model.reading(whole),  # the model's label, the lexicon's beside it
        search_text=fold(whole)[:100_000],
    )
