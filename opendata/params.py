"""Strict reading of the feed's query parameters: anything malformed is a BadRequest (400)
that names the parameter, never a surprise deeper down (or a 500)."""

import datetime
import re
import uuid
from dataclasses import dataclass

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

MAX_PAGE = 100_000
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_SEARCH_LENGTH = 200
# Metres. Moray is about 80 km across; further than this is not "nearby" any more.
MAX_PROXIMITY = 200_000

WHOLE_NUMBER = re.compile(r"\d{1,9}")
DISTANCE = re.compile(r"\d{1,9}(\.\d{1,6})?")
OUTWARD = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
INWARD = re.compile(r"[0-9][A-Z]{2}")
UNENCODED_OFFSET = re.compile(r"(T[\d:.]+) (\d\d:?\d\d)$")
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}


class BadRequest(Exception):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter
        self.message = message


@dataclass(frozen=True)
class Postcode:
    """A full postcode ("IV30 1AA"), a sector ("IV30 1") or a district ("IV30"), matched
    against postcodes written without spaces: `prefix` then `rest` more characters."""

    text: str
    prefix: str
    rest: int


def parse_postcode(text):
    """A Postcode, or None if `text` is not one of the three shapes."""
    words = text.upper().split()
    joined = "".join(words)
    if len(words) == 1:
        if re.fullmatch(OUTWARD.pattern + INWARD.pattern, joined):
            return Postcode(joined, joined, 0)
        if OUTWARD.fullmatch(joined):
            return Postcode(joined, joined, 3)
        return None
    if len(words) == 2 and OUTWARD.fullmatch(words[0]):
        inward = words[1]
        if INWARD.fullmatch(inward):
            return Postcode(joined, joined, 0)
        if re.fullmatch(r"[0-9]", inward):
            return Postcode(f"{words[0]} {inward}", joined, 2)
    return None


class Params:
    """One request's query string, read one parameter at a time."""

    def __init__(self, query):
        for key, values in query.lists():
            for value in (key, *values):
                if any(ord(ch) < 32 and ch not in "\t" for ch in value):
                    raise BadRequest(key, f"{key} contains a control character or NUL byte.")
        self.query = query

    def text(self, name):
        value = self.query.get(name, "").strip()
        return value or None

    def page(self):
        return self.whole_number("page", 1, 1, MAX_PAGE)

    def per_page(self):
        return self.whole_number("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)

    def given(self, name):
        """The parameter's value; an empty one given (`page=`) is a mistake, not a default."""
        value = self.text(name)
        if value is None and name in self.query:
            raise BadRequest(name, f"{name} is empty: give a value or leave it out.")
        return value

    def whole_number(self, name, default, lowest, highest):
        value = self.given(name)
        if value is None:
            return default
        if not WHOLE_NUMBER.fullmatch(value) or not lowest <= int(value) <= highest:
            raise BadRequest(name, f"{name} must be a whole number from {lowest} to {highest}.")
        return int(value)

    def search(self):
        value = self.text("search")
        if value is not None and len(value) > MAX_SEARCH_LENGTH:
            raise BadRequest("search", f"search must be at most {MAX_SEARCH_LENGTH} characters.")
        return value

    def uuids(self, name):
        """One id, or several separated by commas; an empty list when absent."""
        value = self.given(name)
        if value is None:
            return []
        return [parse_uuid(name, part) for part in value.split(",")]

    def uuid(self, name):
        value = self.given(name)
        return None if value is None else parse_uuid(name, value)

    def boolean(self, name):
        value = self.given(name)
        if value is None:
            return False
        if value.lower() not in BOOLEANS:
            raise BadRequest(name, f"{name} must be true or false.")
        return BOOLEANS[value.lower()]

    def moment(self, name):
        """A date or date-time; a date means its start, and no offset means UK time."""
        value = self.given(name)
        if value is None:
            return None
        problem = BadRequest(
            name, f"{name} must be a date or date-time such as 2025-01-31T09:00:00Z."
        )
        # An offset's "+" left unencoded in a query string arrives as a space.
        value = UNENCODED_OFFSET.sub(r"\1+\2", value)
        try:
            moment = parse_datetime(value)
            if moment is None:
                day = parse_date(value)
                if day is None:
                    raise problem
                moment = datetime.datetime.combine(day, datetime.time.min)
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            # The database compares in UTC; a moment that cannot be written in UTC is no date.
            return moment.astimezone(datetime.UTC)
        except (ValueError, OverflowError) as exc:
            raise problem from exc

    def postcode(self):
        value = self.given("postcode")
        if value is None:
            return None
        postcode = parse_postcode(value)
        if postcode is None:
            raise BadRequest("postcode", "postcode must be a UK postcode, sector or district.")
        return postcode

    def proximity(self):
        value = self.given("proximity")
        if value is None:
            return None
        if not DISTANCE.fullmatch(value) or not 0 < float(value) <= MAX_PROXIMITY:
            raise BadRequest(
                "proximity", f"proximity must be a distance in metres, up to {MAX_PROXIMITY}."
            )
        return float(value)

    def require_json(self):
        value = self.given("format")
        if value is not None and value != "json":
            raise BadRequest("format", "Only format=json is offered.")


def parse_uuid(name, value):
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError as exc:
        raise BadRequest(name, f"{name} must be a UUID.") from exc
