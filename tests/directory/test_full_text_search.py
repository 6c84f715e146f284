"""On PostgreSQL a search looks for the words its vocabulary does not know by full-text search
(English stems, accents dropped), through an index, and lists the best answers first; the
everyday words still mean their topics, audiences and areas. SQLite keeps its own search."""

import pytest
from django.core.management import call_command
from django.db import connection

from directory.models import Group, Topic
from directory.search import full_text
from tests.factories import TopicFactory, group_with_schedule

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("full-text search (tsvector, unaccent) is a PostgreSQL feature")


def names(text):
    return list(
        Group.objects.published().order_by("name").search(text).values_list("name", flat=True)
    )


def test_searches_use_full_text_on_postgresql():
    assert full_text()


def test_a_word_in_a_groups_name_comes_before_one_mention_in_a_description():
    group_with_schedule(name="Aardvark Club", description="Now and then we natter over tea.")
    group_with_schedule(name="Natter and Nibbles", description="A friendly morning for parents.")
    group_with_schedule(name="Quiet Corner", description="No chatting required.")
    assert names("natter") == ["Natter and Nibbles", "Aardvark Club"]


def test_a_word_is_found_in_any_of_its_forms_and_without_its_accents():
    group_with_schedule(name="Café Mums", description="Sharing stories over breakfasts.")
    group_with_schedule(name="Tea Time")
    assert names("cafe") == ["Café Mums"]
    assert names("story breakfast") == ["Café Mums"]


def test_everyday_words_still_mean_their_topic_before_full_text():
    call_command("load_terms", verbosity=0)
    anxiety = TopicFactory(name="Anxiety")
    group_with_schedule(name="Calm Together").topics.add(anxiety)
    group_with_schedule(name="Tea Time")
    assert names("worried") == ["Calm Together"]


def test_an_everyday_word_and_a_word_of_text_must_both_hold():
    call_command("load_terms", verbosity=0)
    anxiety = TopicFactory(name="Anxiety")
    group_with_schedule(name="Calm Natter").topics.add(anxiety)
    group_with_schedule(name="Calm Together").topics.add(anxiety)
    group_with_schedule(name="Elgin Natter")
    assert names("worried natter") == ["Calm Natter"]


def test_a_typed_tsquery_operator_is_just_a_character():
    group_with_schedule(name="Natter")
    assert names("natter & ! | :* <->") == ["Natter"]


def test_words_postgresql_never_indexes_are_left_out_of_a_search():
    # "only" and "too" are English stop words: left as the only words for full text beside
    # an everyday word, they made the search find nothing.
    call_command("load_terms", verbosity=0)
    group_with_schedule(name="Calm Natter").topics.add(Topic.objects.get(name="Anxiety"))
    assert names("worried") == ["Calm Natter"]
    assert names("worried only") == ["Calm Natter"]
    assert names("worried too") == ["Calm Natter"]
