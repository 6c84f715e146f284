"""Our listings as Open Referral UK 3.0 (HSDS-UK-3.0) records: plain dicts, ready for JSON.

Optional fields without a value are left out, never sent as null or "" (the standard asks for
this). Groups are services, venues are locations, and a group at a venue is a
service_at_location; a group meeting online or by phone also has a virtual location.
Records are built from objects fetched by opendata.queries, so they cost no queries.
"""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.http import urlencode

from directory.ics import BYDAY
from directory.models import Schedule
from directory.recurrence import (
    DAY_NAMES,
    dates_between,
    format_time,
    next_date,
    runs_between_breaks,
)
from directory.terms import YOUNG_PARENTS_UP_TO
from opendata.identifiers import derived_id, service_at_location_id, virtual_location_id
from opendata.queries import has_virtual_location

# Cancellations and breaks this close are announced in a service's alert.
ALERT_DAYS = 28
# Every venue is in Moray: it is what the directory covers.
COUNTY = "Moray"
COUNTRY = "GB"
AGREED_PLACE = "No fixed address: the group agrees a place with each person."
DEMO_ALERT = "Example listing from demo data: this group is not real."
VENUE_ACCESS = (
    ("step_free", "Step-free access"),
    ("accessible_toilet", "Accessible toilet"),
    ("baby_change", "Baby changing"),
    ("pram_space", "Space for prams"),
)


def compact(record):
    """The record without empty optional values."""
    return {key: value for key, value in record.items() if value not in (None, "", [], {})}


def site_url(path):
    return f"{settings.SITE_URL}{path}"


def iso_date(value):
    return value.isoformat() if value else None


def iso_timestamp(value):
    """UTC with millisecond accuracy, as the standard's examples give it."""
    if value is None:
        return None
    value = value.astimezone(datetime.UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def clock(value):
    """HH:MM:SS, as the standard's examples write opens_at and closes_at."""
    return value.strftime("%H:%M:%S")


def long_date(value):
    return f"{DAY_NAMES[value.weekday()]} {value.day} {value:%B %Y}"


def as_number(value):
    return None if value is None else float(value)


class Publisher:
    """Builds records with one request's vocabulary and date."""

    def __init__(self, vocabulary, today):
        self.vocabulary = vocabulary
        self.today = today
        # A term's record is the same wherever it appears: built once per request.
        self.term_records = {}

    # --- Organisations ----------------------------------------------------------------

    def organization(self, organisation, full=False):
        record = {
            "id": str(organisation.uuid),
            "name": organisation.name,
            # Required by the standard: fall back on the one-line summary, then the name.
            "description": organisation.description or organisation.summary or organisation.name,
            "email": organisation.email,
            "website": organisation.website,
        }
        if full:
            record["organization_identifiers"] = self.organization_identifiers(organisation)
        return compact(record)

    def organization_identifiers(self, organisation):
        """The organisation's number on the Scottish Charity Register, in org-id.guide's
        scheme; a stored number not in the register's format is not one to look up."""
        number = organisation.scottish_charity_number
        if not number:
            return []
        return [
            {
                "id": derived_id("organization_identifier", organisation.uuid, "charity"),
                "organization_id": str(organisation.uuid),
                "identifier_scheme": "GB-SC",
                "identifier_type": "Scottish charity number",
                "identifier": number,
            }
        ]

    # --- Services -----------------------------------------------------------------------

    def service(self, group, full=False, with_organization=True):
        """A group as a service; `full` nests everything the standard's service holds."""
        listing_url = site_url(group.get_absolute_url())
        record = {
            "id": str(group.uuid),
            "organization_id": str(group.organisation.uuid),
            "name": group.name,
            "description": self.service_description(group),
            "url": group.website or listing_url,
            "email": group.contact_email,
            "status": "active",
            "assured_date": iso_date(group.last_confirmed),
            "alert": self.alert(group),
            "last_modified": iso_timestamp(group.last_modified),
            # HSDS 3.0's words for who a service is for; the UK profile has only the ages.
            "eligibility_description": eligibility(group),
            "maximum_age": maximum_age(group),
        }
        if with_organization:
            record["organization"] = self.organization(group.organisation, full=full)
        if full:
            record.update(
                schedules=self.schedules(group),
                service_at_locations=[
                    self.service_at_location(group, venue, full=True, with_service=False)
                    for venue in self.places(group)
                ],
                service_areas=self.service_areas(group),
                phones=self.phones(group),
                contacts=self.contacts(group),
                cost_options=self.cost_options(group),
                attributes=[
                    self.attribute(group.uuid, "service", term)
                    for term in self.vocabulary.terms_for(group)
                ],
            )
        return compact(record)

    def minimal_service(self, group):
        """What `minimal=true` asks for: a service's id and when it last changed (with the
        name and status the standard requires of every service record)."""
        return {
            "id": str(group.uuid),
            "name": group.name,
            "status": "active",
            "last_modified": iso_timestamp(group.last_modified),
        }

    @staticmethod
    def service_description(group):
        parts = [group.summary, group.description]
        if group.what_to_expect:
            parts.append(f"What to expect on a first visit: {group.what_to_expect}")
        return "\n\n".join(part.strip() for part in parts if part.strip())

    def alert(self, group):
        """Short-term news: cancelled dates and breaks coming up soon."""
        horizon = self.today + datetime.timedelta(days=ALERT_DAYS)
        notes = []
        if group.organisation.is_demo:
            notes.append(DEMO_ALERT)
        notes += [
            break_words(pause)
            for pause in group.pauses.all()
            if pause.ends_on >= self.today and pause.starts_on <= horizon
        ]
        for cancellation in group.upcoming_cancellations:
            if cancellation.date <= horizon:
                text = f"No group on {long_date(cancellation.date)}"
                notes.append(with_note(text, cancellation.note))
        return " ".join(notes)

    def places(self, group):
        """The group's venues, then None for its online and phone meetings if it has them."""
        places = group.current_venues()
        if has_virtual_location(group):
            places.append(None)
        return places

    def service_areas(self, group):
        """The parts of Moray where the group meets people: its venues' areas (a place agreed
        with each person covers its whole area), or all of Moray for a group that only meets
        online or by phone."""
        areas = {venue.area.slug: venue.area.name for venue in group.current_venues()}
        if not areas:
            areas = {"moray": COUNTY}
        return [
            {
                "id": derived_id("service_area", group.uuid, slug),
                "service_id": str(group.uuid),
                "name": name,
            }
            for slug, name in sorted(areas.items())
        ]

    def phones(self, group):
        """The number to call about the group, on the service itself as HSDS 3.0 puts it (the
        UK profile links a phone only to a contact, so a consumer reading just the service
        would find none): the group's own, or else its organisation's, as its page shows."""
        if not group.contact_number:
            return []
        record = {
            "id": derived_id("phone", group.uuid, "service"),
            "service_id": str(group.uuid),
            "number": group.contact_number,
        }
        if not group.contact_phone:
            record["description"] = f"{group.organisation.name}, who run the group"
        return [record]

    def contacts(self, group):
        if not (group.contact_name or group.contact_phone or group.contact_email):
            return []
        contact_id = derived_id("contact", group.uuid)
        phones = []
        if group.contact_phone:
            phones.append(
                {
                    "id": derived_id("phone", group.uuid),
                    "contact_id": contact_id,
                    "number": group.contact_phone,
                }
            )
        # email and phones are HSDS 3.0 contact fields the UK profile leaves optional.
        contact = {
            "id": contact_id,
            "service_id": str(group.uuid),
            "name": group.contact_name,
            "email": group.contact_email,
            "phones": phones,
        }
        return [compact(contact)]

    def cost_options(self, group):
        if not group.is_free and not group.cost:
            return []
        record = {
            "id": derived_id("cost_option", group.uuid),
            "service_id": str(group.uuid),
            "amount_description": group.cost,
        }
        if group.is_free:
            record.update(option="Free", amount=0)
        elif group.single_price() is not None:
            record["amount"] = group.single_price()
        return [compact(record)]

    # --- Schedules ----------------------------------------------------------------------

    def schedules(self, group):
        """When the group meets, as rules a calendar expands to exactly its coming dates: a
        break ends one record and the next starts after it. A single cancelled date stays in
        its rule and is named in that record's notes (the standard has no field to exclude a
        date); an extra date called off is left out."""
        cancelled = {c.date: c for c in group.upcoming_cancellations}
        records = [
            record
            for schedule in group.running_schedules()
            for record in self.recurring(group, schedule, cancelled)
        ]
        records += [
            self.one_off(group, extra)
            for extra in group.coming_extras()
            if not extra.is_called_off(cancelled)
        ]
        return records

    def recurring(self, group, schedule, cancelled):
        """One record for each run of the schedule between breaks that has a date to come;
        valid_to is the day before a break, valid_from the day after it."""
        day = BYDAY[schedule.weekday]
        if schedule.frequency == Schedule.Frequency.MONTHLY:
            freq, interval, byday = "MONTHLY", 1, f"{schedule.week_of_month or 1}{day}"
        else:
            fortnightly = schedule.frequency == Schedule.Frequency.FORTNIGHTLY
            freq, interval, byday = "WEEKLY", 2 if fortnightly else 1, day
        records = []
        for run in runs_between_breaks(schedule, group.pauses.all()):
            coming = next_date(schedule, max(run.first_day, self.today))
            if coming is None or (run.last_day is not None and coming > run.last_day):
                continue
            # The first run keeps the schedule's own id; one after a break is named by the
            # day it starts, the same on every request.
            if run.first_day == schedule.starts_on:
                schedule_id = str(schedule.uuid)
            else:
                schedule_id = derived_id("schedule", schedule.uuid, "from", run.first_day)
            notes = [
                with_note(f"No group on {long_date(date)}", cancellation.note)
                for date, cancellation in cancelled.items()
                if run.first_day <= date <= (run.last_day or date)
                and dates_between(schedule, date, date)
            ]
            notes += [break_words(pause) for pause in run.breaks_after]
            record = self.meeting(schedule_id, group, schedule.venue)
            record.update(
                freq=freq,
                interval=interval,
                byday=byday,
                # The run's first meeting: from it, the rule's every-other-week rhythm runs on.
                dtstart=iso_date(next_date(schedule, run.first_day)),
                # RFC 5545's UNTIL, as HSDS 3.0 names it; valid_to says the same for the profile.
                until=iso_date(run.last_day),
                valid_from=iso_date(run.first_day),
                valid_to=iso_date(run.last_day),
                opens_at=clock(schedule.start_time),
                closes_at=clock(schedule.end_time),
                description=place_words(schedule.describe(), group, schedule.venue),
                notes=" ".join(notes),
            )
            records.append(compact(record))
        return records

    def one_off(self, group, extra):
        """An extra date: a rule that happens once (weekly, from and until the same day)."""
        description = place_words(
            f"One extra date: {long_date(extra.date)}, "
            f"{format_time(extra.start_time)} to {format_time(extra.end_time)}",
            group,
            extra.venue,
        )
        record = self.meeting(
            derived_id("schedule", group.uuid, "extra", extra.pk), group, extra.venue
        )
        record.update(
            freq="WEEKLY",
            interval=1,
            byday=BYDAY[extra.date.weekday()],
            dtstart=iso_date(extra.date),
            until=iso_date(extra.date),
            valid_from=iso_date(extra.date),
            valid_to=iso_date(extra.date),
            opens_at=clock(extra.start_time),
            closes_at=clock(extra.end_time),
            description=description,
            notes=extra.note,
        )
        return compact(record)

    def meeting(self, schedule_id, group, venue):
        venue_uuid = venue.uuid if venue else None
        return {
            "id": schedule_id,
            "service_id": str(group.uuid),
            "service_at_location_id": service_at_location_id(group.uuid, venue_uuid),
            "attending_type": attending_type(group, venue),
            # The group's page lists each coming date, with any cancellations.
            "schedule_link": group.booking_url or site_url(group.get_absolute_url()),
        }

    # --- Places -------------------------------------------------------------------------

    def service_at_location(self, group, venue, full=False, with_service=True):
        """`group` at `venue`, or (venue None) the group's online and phone meetings."""
        location = self.location(venue, full) if venue else self.virtual_location(group)
        record = {
            "id": service_at_location_id(group.uuid, venue.uuid if venue else None),
            "service_id": str(group.uuid),
            "location_id": location["id"],
            "location": location,
        }
        if with_service:
            record["service"] = self.service(group)
        return compact(record)

    def location(self, venue, full=False):
        record = {
            "id": str(venue.uuid),
            "location_type": "physical",
            "name": venue.name,
            "description": venue.directions,
            "latitude": as_number(venue.latitude),
            "longitude": as_number(venue.longitude),
        }
        if venue.agreed_place:
            # No fixed address to give: the place is agreed with each person, somewhere in
            # the service's area.
            record.update(
                description=f"{AGREED_PLACE} {venue.directions}".strip(),
                latitude=None,
                longitude=None,
            )
        if full:
            record.update(
                addresses=[self.address(venue)] if venue.has_address else [],
                accessibility=self.accessibility(venue),
                attributes=[
                    self.attribute(venue.uuid, "location", term)
                    for term in self.vocabulary.terms_for_venue(venue)
                ],
            )
        return compact(record)

    def virtual_location(self, group):
        if group.online and group.phone:
            name = "Online, or by phone or text"
        elif group.phone:
            name = "By phone or text"
        else:
            name = "Online"
        return {
            "id": virtual_location_id(group.uuid),
            "location_type": "virtual",
            "name": name,
        }

    def address(self, venue):
        return compact(
            {
                "id": derived_id("address", venue.uuid),
                "location_id": str(venue.uuid),
                "address_1": venue.address,
                "city": venue.town,
                "state_province": COUNTY,
                "postal_code": venue.postcode,
                "country": COUNTRY,
                "address_type": "physical",
            }
        )

    def accessibility(self, venue):
        records = [
            {
                "id": derived_id("accessibility", venue.uuid, field),
                "location_id": str(venue.uuid),
                "description": label,
            }
            for field, label in VENUE_ACCESS
            if getattr(venue, field)
        ]
        if venue.accessibility_notes:
            records.append(
                {
                    "id": derived_id("accessibility", venue.uuid, "notes"),
                    "location_id": str(venue.uuid),
                    "description": "Notes from the organiser",
                    "details": venue.accessibility_notes,
                }
            )
        return records

    # --- Taxonomies ---------------------------------------------------------------------

    def taxonomy(self, taxonomy, with_terms=False):
        record = {
            "id": taxonomy.id,
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": site_url(f"{reverse('open_data')}#{taxonomy.key}"),
        }
        if with_terms:
            record["taxonomy_terms"] = [self.taxonomy_term(term) for term in taxonomy.terms]
        return record

    def taxonomy_term(self, term):
        if term not in self.term_records:
            self.term_records[term] = self.term_record(term)
        return self.term_records[term]

    def term_record(self, term):
        query = urlencode({term.taxonomy.filter_name: term.slug})
        return {
            "id": term.id,
            "name": term.name,
            # Required by the standard; a term without a description explains itself.
            "description": term.description or term.name,
            "taxonomy_id": term.taxonomy.id,
            "term": term.name,
            "term_uri": site_url(f"{reverse('group_list')}?{query}"),
        }

    def attribute(self, link_uuid, link_entity, term):
        return {
            "id": derived_id("attribute", link_uuid, term.id),
            "link_id": str(link_uuid),
            # The kind of record linked: ORUK's own name for it, and HSDS 3.0's.
            "link_type": link_entity,
            "link_entity": link_entity,
            "taxonomy_term_id": term.id,
            "taxonomy_term": self.taxonomy_term(term),
        }


def eligibility(group):
    """Who the group is for and whether babies come along, as its page says it."""
    words = [group.audience_words, group.babies_words]
    return " ".join(f"{part}." for part in words if part)


def maximum_age(group):
    """The age limit of a group for young parents, as that audience defines it; None for any
    other group (and one also for any parent): they are for parents whatever their age."""
    audiences = {audience.slug for audience in group.audiences.all()}
    if "young-parents" in audiences and "any-parent" not in audiences:
        return YOUNG_PARENTS_UP_TO
    return None


def break_words(pause):
    when = f"No group from {long_date(pause.starts_on)} to {long_date(pause.ends_on)}"
    return with_note(when, pause.note)


def with_note(text, note):
    return f"{text} ({note.strip()})." if note.strip() else f"{text}."


def attending_type(group, venue):
    if venue is not None:
        return "in person"
    ways = [way for way, yes in (("online", group.online), ("phone", group.phone)) if yes]
    return " or ".join(ways) or "online"


def place_words(when, group, venue):
    if venue is None:
        return f"{when}, {attending_type(group, None)}"
    return f"{when}, at {venue}"
