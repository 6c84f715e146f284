"""One-line text stays on one line, and no text is longer than a person would write.

No control characters in any single-line field:

A line break in a group's name breaks every place that name goes on one line: an email's
subject (the report lost), a calendar's properties (a lone CR starts a new one). Every
`CharField` of our models is single-line (multi-line text is a `TextField`), so each gets
the check, and it runs wherever a value enters through a model form: organisers' and
moderators' forms, the admin, the CSV import (opendata.csv_io validates rows with the forms).
Every `TextField` is capped at LONGEST_TEXT characters the same way (a `CharField` has its
`max_length` already), so no one can store megabytes in a "why" or a description.
"""

import unicodedata

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models

# Apps whose models hold text people type (allauth's and Django's own are left as they are).
OUR_APPS = ("accounts", "directory", "opendata", "evidence")
LINE_SEPARATORS = {"\u2028", "\u2029"}
# A long description is a few hundred words; this is several pages.
LONGEST_TEXT = 5000


def has_control_characters(value):
    return any(unicodedata.category(ch) == "Cc" or ch in LINE_SEPARATORS for ch in str(value or ""))


def plain_text(value, max_length):
    """Typed text made safe for any database and page: control and formatting characters
    dropped, spaces collapsed, length capped."""
    cleaned = "".join(ch for ch in value[: max_length * 4] if ch.isprintable() or ch == " ")
    return " ".join(cleaned.split())[:max_length]


def no_control_characters(value):
    if has_control_characters(value):
        raise ValidationError(
            "Use one line only: take out any line breaks, tabs or other hidden characters.",
            code="control_characters",
        )


def guard_text_fields():
    """Give every CharField of our models the one-line check, and every TextField people
    edit the length cap (called once, when the apps are ready). Validators added here are
    not part of migrations."""
    cap = MaxLengthValidator(LONGEST_TEXT)
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField):
                add_validator(field, no_control_characters)
            elif isinstance(field, models.TextField) and field.editable:
                add_validator(field, cap)


def add_validator(field, validator):
    # Added to the field's own list, which already holds what the field made for itself
    # (a CharField's length and null-character checks).
    if validator not in field.validators:
        field.validators.append(validator)
