"""One-line text stays on one line: no control characters in any single-line field.

A line break in a group's name breaks every place that name goes on one line: an email's
subject (the report lost), a calendar's properties (a lone CR starts a new one). Every
`CharField` of our models is single-line (multi-line text is a `TextField`), so each gets
the check, and it runs wherever a value enters through a model form: organisers' and
moderators' forms, the admin, the CSV import (opendata.csv_io validates rows with the forms).
"""

import unicodedata

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

# Apps whose models hold text people type (allauth's and Django's own are left as they are).
OUR_APPS = ("accounts", "directory", "opendata", "evidence")
LINE_SEPARATORS = {"\u2028", "\u2029"}


def has_control_characters(value):
    return any(unicodedata.category(ch) == "Cc" or ch in LINE_SEPARATORS for ch in str(value or ""))


def no_control_characters(value):
    if has_control_characters(value):
        raise ValidationError(
            "Use one line only: take out any line breaks, tabs or other hidden characters.",
            code="control_characters",
        )


def guard_single_line_fields():
    """Give every CharField of our models the check (called once, when the apps are ready).
    It is added to the field's default validators, which are not part of migrations."""
    for model in apps.get_models():
        if model._meta.app_label not in OUR_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.CharField) and (
                no_control_characters not in field.default_validators
            ):
                field.default_validators = [*field.default_validators, no_control_characters]
                field.__dict__.pop("validators", None)  # a cached list, made before
