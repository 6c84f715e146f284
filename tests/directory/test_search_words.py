"""Everyday search words are data: a moderator's new word works at once, with no code."""

import pytest
from django.core.exceptions import ValidationError

from directory.models import Group, SearchWord
from tests.factories import AreaFactory, TopicFactory, VenueFactory, group_with_schedule

pytestmark = pytest.mark.django_db


def found(words):
    return list(Group.objects.published().search(words).values_list("name", flat=True))


def test_a_word_a_moderator_adds_finds_the_groups_of_its_topic():
    sleep = TopicFactory(name="Sleep")
    group = group_with_schedule(name="Tired Parents Cuppa")
    group.topics.add(sleep)
    group_with_schedule(name="Other Group")
    assert found("exhausted") == []
    SearchWord.objects.create(words="Exhausted", topic=sleep)
    assert found("exhausted") == ["Tired Parents Cuppa"]


def test_a_village_a_moderator_adds_finds_the_groups_of_its_area():
    forres = AreaFactory(name="Forres")
    group_with_schedule(name="Forres Natter", schedule_kwargs={"venue": VenueFactory(area=forres)})
    group_with_schedule(name="Elsewhere")
    SearchWord.objects.create(words="Rafford", area=forres)
    assert found("rafford") == ["Forres Natter"]


def test_its_words_are_kept_as_a_search_reads_them():
    word = SearchWord.objects.create(words="  Can’t  COPE! ", crisis=True)
    assert word.words == "cant cope"


@pytest.mark.parametrize(
    "meaning",
    [{}, {"crisis": True, "topic": True}, {"topic": True, "area": True}],
    ids=["nothing", "crisis and a topic", "two meanings"],
)
def test_a_word_must_mean_exactly_one_thing(meaning):
    values = {"words": "worried", "crisis": meaning.get("crisis", False)}
    if meaning.get("topic"):
        values["topic"] = TopicFactory(name="Anxiety")
    if meaning.get("area"):
        values["area"] = AreaFactory(name="Forres")
    with pytest.raises(ValidationError):
        SearchWord(**values).full_clean()


def test_an_unknown_word_is_never_an_error():
    group_with_schedule(name="Natter")
    assert found("%_'\"; drop table") == []
