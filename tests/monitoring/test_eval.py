"""The labelled evaluation set: ``ttdn monitoring eval`` runs on it and its figures meet their targets, the
generated near-duplicates are the same on every run, and the shipped sentiment model loads, explains itself and
never fails on any text."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from ttdn.monitoring import evaluation
from ttdn.monitoring.pipeline import analyse, sentiment, sentiment_model


@pytest.fixture(scope="module")
def result(django_db_setup, django_db_blocker) -> dict:  # noqa: ANN001
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("monitoring", "eval", "--json", stdout=out)
    return json.loads(out.getvalue())


def test_the_set_is_large_mixed_and_balanced() -> None:
    data = evaluation.load()
    assert len(data.items) >= 300
    languages = {i.language for i in data.items}
    assert {"vi", "en", "fr", "zh", "ru", "ja", "ko", "de", "es"} <= languages
    counts = {label: sum(i.sentiment == label for i in data.items) for label in sentiment_model.LABELS}
    assert min(counts.values()) >= 0.2 * len(data.items)
    assert len({c.key for c in data.claims}) >= 20
    assert sum(1 for i in data.items if i.claim) >= 60
    assert len({i.id for i in data.items}) == len(data.items)


@pytest.mark.django_db
def test_every_figure_meets_its_target(result: dict) -> None:
    assert result["items"] >= 300 and result["generated_near_duplicates"] >= 50
    for name, target in evaluation.TARGETS.items():
        assert result["figures"][name] >= target, (name, result["figures"][name])
    assert all(result["met"].values())
    assert result["dedup"]["wrong"] == []
    assert (
        result["sentiment"]["model_cross_validated"]["macro_f1"] > result["sentiment"]["lexicon"]["macro_f1"]
    )
    assert (
        result["claim_matching"]["linked_without_claim"]
        <= 0.02 * result["claim_matching"]["items_without_claim"]
    )


@pytest.mark.django_db
def test_the_readable_table() -> None:
    out = StringIO()
    call_command("monitoring", "eval", stdout=out)
    text = out.getvalue()
    assert "Recall@5" in text and "macro-F1" in text and "✗" not in text


def test_generated_near_duplicates_are_deterministic() -> None:
    raw = evaluation.written_items()
    first = evaluation.generate_variants(raw)
    assert first == evaluation.generate_variants(list(reversed(raw)))
    kept = json.loads((evaluation.DATA / "generated.json").read_text(encoding="utf-8"))
    assert kept == first  # the file is what the generator makes ("ttdn monitoring variants" writes it)
    assert {v["generated"] for v in first} == set(evaluation.KINDS)
    assert evaluation.generate_variants(raw, seed=1) != first


def test_dedup_keeps_hard_negatives_apart() -> None:
    data = evaluation.load()
    folds = evaluation.run_dedup([*data.items, *data.variants]).folds
    folded = {item for item, _, _ in folds}
    # a follow-up, the same title template for another province, a daily rubric: none is folded
    assert not folded & {"vi-036", "vi-050", "vi-073", "vi-099", "vi-122", "en-006", "en-061"}
    assert {"vi-047", "vi-049", "en-005", "en-042"} <= folded


def test_model_loads_and_explains() -> None:
    model = sentiment_model.model()
    assert model is not None and set(model.labels) == set(sentiment_model.LABELS)
    found = sentiment_model.predict(
        "Lũ quét vùi lấp thôn ở Lào Cai, hàng chục người mất tích, nhiều ngôi nhà bị cuốn trôi."
    )
    assert found.label == sentiment.NEGATIVE
    assert found.words and all(weight > 0 for _, weight in found.words)
    assert abs(sum(found.probabilities.values()) - 1) < 0.01
    reading = sentiment_model.reading("Hanoi opens metro line, passengers praise the clean trains")
    assert reading.label == sentiment.POSITIVE and reading.lexicon == sentiment.POSITIVE and reading.words


def test_negation_is_its_own_word() -> None:
    assert "!thành_công" in sentiment_model.tokens("Dự án không thành công")
    assert "!success" in sentiment_model.tokens("The project was not a success")


def test_stories_get_the_model_label_with_the_lexicon_beside_it() -> None:
    from ttdn.monitoring.pipeline import places, topics

    found = analyse.analyse(
        analyse.Story("Bác bỏ thông tin sai sự thật", "Bộ Ngoại giao khẳng định thông tin là bịa đặt."),
        tagger=places.Tagger([]),
        topic_tagger=topics.TopicTagger(()),
    )
    assert found.sentiment.label in sentiment_model.LABELS
    assert found.sentiment.lexicon in sentiment_model.LABELS


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_the_model_never_fails(text: str) -> None:
    found = sentiment_model.predict(text)
    assert found.label in sentiment_model.LABELS
    assert -1.0 <= sentiment_model.reading(text).score <= 1.0
