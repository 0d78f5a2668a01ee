"""Names the pipeline keeps in Vietnamese (topics, languages, the rule that found a tag) are shown in the
reader's interface language, and what is stored does not depend on who was reading when a story came in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import translation

from ttdn.accounts.models import User
from ttdn.monitoring import selectors, services
from ttdn.monitoring.models import Item, ItemTag
from ttdn.monitoring.pipeline.analyse import Story

TZ = dt.timezone(dt.timedelta(hours=7))
WHEN = dt.datetime(2026, 11, 18, 9, tzinfo=TZ)


@pytest.fixture
def story() -> Item:
    source = services.add_source(None, name="Báo thử tên gọi")
    with translation.override("en"):  # a worker or a reader in English when the story comes in
        services._taggers.clear()
        services.take_in(
            source,
            [
                Story(
                    "Quảng Bình bàn chuyện nhân quyền và tự do tôn giáo với khách quốc tế",
                    "Tỉnh Quảng Bình tiếp đoàn khách quốc tế bàn về nhân quyền, tự do tôn giáo.",
                    "https://tengoi.example/1",
                    WHEN,
                )
            ],
            now=WHEN,
        )
    return Item.objects.get(url="https://tengoi.example/1")


@pytest.mark.django_db
def test_rules_are_stored_in_vietnamese_whoever_was_reading(story: Item) -> None:
    rules = set(ItemTag.objects.filter(item=story).values_list("rule", flat=True))
    assert "tên cũ" in rules and "từ khoá chủ đề" in rules
    assert not rules & {"former name", "topic keywords"}


@pytest.mark.django_db
def test_the_story_page_speaks_the_readers_language(story: Item) -> None:
    client = Client()
    client.force_login(User.objects.get(username="cuc.phantich"))
    vietnamese = client.get(f"/monitoring/{story.pk}/").content.decode()
    assert "Chủ đề: Nhân quyền" in vietnamese and "tên cũ" in vietnamese and "Tiếng Việt" in vietnamese

    client.post("/i18n/setlang/", {"language": "en", "next": "/monitoring/"})
    english = client.get(f"/monitoring/{story.pk}/").content.decode()
    assert "Human rights" in english and "former name" in english and "Vietnamese" in english
    assert "Nhân quyền" not in english and "Tiếng Việt" not in english
    listed = client.get("/monitoring/").content.decode()
    assert "Human rights" in listed and "Religion" in listed  # the breakdown and the filter's choices


def test_every_topic_and_language_has_an_english_name() -> None:
    with translation.override("en"):
        topics = selectors.topic_names()
        languages = selectors.language_names()
    with translation.override("vi"):
        assert set(selectors.topic_names()) == set(topics)
        assert set(selectors.language_names()) == set(languages)
    assert all(name and name.isascii() for name in [*topics.values(), *languages.values()])
    assert topics["human-rights"] == "Human rights" and languages["lo"] == "Lao"
