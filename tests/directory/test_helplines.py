"""The urgent-help numbers: one list, each with its source, dialled as printed."""

import dataclasses
import pathlib
import re

from django.conf import settings

from directory import helplines
from directory.helplines import EMERGENCY, HELPLINES

EVERY_LINE = (EMERGENCY, *HELPLINES)


def test_every_number_names_the_page_it_comes_from_and_when_that_was_read():
    for line in EVERY_LINE:
        assert line.source.startswith("https://"), line.name
        assert line.checked == helplines.READ_ON


def test_each_call_link_dials_the_number_as_it_is_printed():
    calls = {line.number: line.href for line in EVERY_LINE if not line.text_word}
    assert calls == {
        "999": "tel:999",
        "111": "tel:111",
        "116 123": "tel:116123",
        "0800 83 85 87": "tel:0800838587",
    }


def test_the_text_lines_open_the_messages_app_with_the_word_typed_in():
    texts = {line.name: (line.href, line.action) for line in HELPLINES if line.text_word}
    assert texts == {
        "Shout": ("sms:85258?&body=SHOUT", "text SHOUT to 85258"),
        "PANDAS text line": ("sms:85258?&body=PANDAS", "text PANDAS to 85258"),
    }


def test_the_printed_sheet_words_are_short_and_say_what_to_send():
    assert [(line.sheet_words, line.sheet_number) for line in EVERY_LINE] == [
        ("Emergency", "999"),
        ("NHS 24, day or night", "111"),
        ("Samaritans, any time", "116 123"),
        ("PANDAS, pregnancy and after birth", "Text PANDAS to 85258"),
        ("Shout, any time", "Text SHOUT to 85258"),
        ("Breathing Space, evenings and weekends", "0800 83 85 87"),
    ]


def test_no_template_writes_a_help_number_itself():
    templates = pathlib.Path(settings.BASE_DIR) / "templates"
    numbers = re.compile(r"116 ?123|0800 ?83 ?85 ?87|85258|tel:111|tel:999")
    written = [
        str(path.relative_to(templates))
        for path in templates.rglob("*")
        if path.is_file() and numbers.search(path.read_text(errors="ignore"))
    ]
    assert written == []


def test_the_digest_changes_with_any_number(monkeypatch):
    before = helplines.digest()
    moved = dataclasses.replace(HELPLINES[0], number="112")
    monkeypatch.setattr(helplines, "HELPLINES", (moved, *HELPLINES[1:]))
    assert helplines.digest() != before
