import datetime
import re
import uuid

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Subquery, When, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation, unique_slug

# An amount in pounds within the cost an organiser writes, such as "£2" or "£1.50".
POUNDS = re.compile(r"£\s?(\d+(?:\.\d{1,2})?)")


class Facet(models.Model):
    """A term a parent can filter on; kept as data so moderators can edit it in the admin."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class Area(Facet):
    is_online = models.BooleanField(
        default=False, help_text="Stands for groups that meet online or by phone."
    )
    nearby = models.ManyToManyField("self", blank=True, symmetrical=True)

    class Meta(Facet.Meta):
        pass

    def get_absolute_url(self):
        return reverse("area_detail", args=[self.slug])


class Topic(Facet):
    class Meta(Facet.Meta):
        pass

    def get_absolute_url(self):
        return reverse("topic_detail", args=[self.slug])


class Audience(Facet):
    class Meta(Facet.Meta):
        pass


class SearchWord(models.Model):
    """An everyday word or phrase a parent may type ("worried", "PND", "Kinloss", "IV36") and
    what the directory calls it: one topic, audience or area. Or words that may mean someone
    is in danger ("can't cope"), which put the urgent help numbers above any results.

    Kept as data so moderators can add to it in the admin; `manage.py load_terms` seeds it
    (directory.terms). A search reads it through directory.vocabulary.
    """

    words = models.CharField(
        max_length=100,
        unique=True,
        help_text="As a parent might type it. Capitals, accents and punctuation don't matter.",
    )
    topic = models.ForeignKey(
        Topic, on_delete=models.CASCADE, null=True, blank=True, related_name="search_words"
    )
    audience = models.ForeignKey(
        Audience, on_delete=models.CASCADE, null=True, blank=True, related_name="search_words"
    )
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, null=True, blank=True, related_name="search_words"
    )
    crisis = models.BooleanField(
        "may mean someone is in danger",
        default=False,
        help_text="Shows the urgent help numbers first, above any results.",
    )

    class Meta:
        ordering = ["words"]
        constraints = [
            models.CheckConstraint(
                name="search_word_means_one_thing",
                condition=(
                    Q(crisis=True, topic__isnull=True, audience__isnull=True, area__isnull=True)
                    | Q(crisis=False, topic__isnull=False, audience__isnull=True, area__isnull=True)
                    | Q(crisis=False, topic__isnull=True, audience__isnull=False, area__isnull=True)
                    | Q(crisis=False, topic__isnull=True, audience__isnull=True, area__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return self.words

    def save(self, *args, **kwargs):
        from directory.vocabulary import normalise

        self.words = normalise(self.words)
        super().save(*args, **kwargs)

    @property
    def meaning(self):
        return self.topic or self.audience or self.area

    def clean(self):
        from django.core.exceptions import ValidationError

        from directory.vocabulary import normalise

        self.words = normalise(self.words)
        if not self.words:
            raise ValidationError({"words": "Enter the words a parent might type."})
        meanings = [m for m in (self.topic_id, self.audience_id, self.area_id) if m]
        if self.crisis and meanings:
            raise ValidationError(
                "Words that may mean someone is in danger need no topic, audience or area."
            )
        if not self.crisis and len(meanings) != 1:
            raise ValidationError("Choose one topic, audience or area these words mean.")


class Venue(models.Model):
    # What the venue offers parents getting in, as yes-or-no features.
    FEATURES = (
        "step_free",
        "accessible_toilet",
        "baby_change",
        "pram_space",
        "parking",
        "bus_route",
    )
    # What an organiser describes: edited in the venue form, restored from its history and
    # exchanged in the CSV. The rest is bookkeeping.
    CONTENT_FIELDS = (
        "name",
        "agreed_place",
        "address",
        "town",
        "postcode",
        "area",
        *FEATURES,
        "accessibility_notes",
        "directions",
        "latitude",
        "longitude",
    )

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    # Some groups have no fixed address: a peer supporter meets each parent at home, in a
    # café or wherever suits them. Such a place has a description and an area, never a
    # made-up address.
    agreed_place = models.BooleanField(
        "we agree a place with each person",
        default=False,
        help_text="No fixed address: you meet at home, in a café or wherever suits them.",
    )
    address = models.CharField(
        max_length=300, blank=True, help_text="Street address, without the town."
    )
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="venues")
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    step_free = models.BooleanField("step-free access", default=False)
    parking = models.BooleanField(default=False)
    bus_route = models.BooleanField("on a bus route", default=False)
    pram_space = models.BooleanField("space for prams", default=False)
    accessible_toilet = models.BooleanField(default=False)
    baby_change = models.BooleanField("baby changing", default=False)
    accessibility_notes = models.TextField(blank=True)
    directions = models.TextField(blank=True, help_text="How to find the room once there.")
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["town", "name"]

    def __str__(self):
        return f"{self.name}, {self.town}" if self.town else self.name

    def clean(self):
        super().clean()
        if self.agreed_place:
            return
        missing = {
            field: "Enter the venue’s " + label
            for field, label in (
                ("address", "street address"),
                ("town", "town"),
                ("postcode", "postcode"),
            )
            if not getattr(self, field).strip()
        }
        if missing:
            raise ValidationError(missing)

    @property
    def has_address(self):
        """A fixed place with a street address (not one agreed with each person)."""
        return not self.agreed_place and bool(self.address and self.postcode)

    @property
    def full_address(self):
        return ", ".join(
            part for part in (self.name, self.address, self.town, self.postcode) if part
        )

    @property
    def map_point(self):
        """(latitude, longitude) of a fixed place, or None: a place agreed with each person has
        none to give, whatever coordinates it once had."""
        return self.point_from(self.latitude, self.longitude, self.agreed_place)

    @staticmethod
    def point_from(latitude, longitude, agreed_place):
        """map_point from a venue's columns read as plain values (a list of thousands)."""
        if agreed_place or latitude is None or longitude is None:
            return None
        return float(latitude), float(longitude)

    @property
    def directions_url(self):
        """Directions to the venue in the phone's maps app (a universal Maps link, which
        phones hand to the app and computers open in the browser)."""
        from urllib.parse import quote

        if self.agreed_place:
            return ""
        if self.map_point:
            destination = f"{self.latitude},{self.longitude}"
        else:
            destination = f"{self.address}, {self.town}, {self.postcode}"
        return f"https://www.google.com/maps/dir/?api=1&destination={quote(destination)}"


def area_condition(areas):
    """A Q on Group: meets in any of `areas`; an online area stands for online and phone
    groups."""
    areas = list(areas)
    place_ids = [a.pk for a in areas if not a.is_online]
    condition = Q(pk__in=[])
    if place_ids:
        condition |= Exists(
            Schedule.objects.filter(group=OuterRef("pk"), venue__area_id__in=place_ids)
        ) | Exists(ExtraSession.objects.filter(group=OuterRef("pk"), venue__area_id__in=place_ids))
    if any(a.is_online for a in areas):
        condition |= Q(online=True) | Q(phone=True)
    return condition


CARD_FIELDS = [
    "slug",
    "booked_service",
    "name",
    "summary",
    "drop_in",
    "children_welcome",
    "in_person",
    "leadership",
    "is_free",
    "one_to_one",
    "online",
    "phone",
    "next_session_at",
    "last_confirmed",
    "organisation__name",
]


class GroupQuerySet(models.QuerySet):
    def published(self):
        return self.filter(
            status=Group.Status.PUBLISHED,
            organisation__status=Organisation.Status.APPROVED,
        )

    def in_areas(self, areas):
        """Groups meeting in any of `areas`; an online area stands for online and phone groups."""
        return self.filter(area_condition(areas))

    def with_venue_features(self, fields):
        """Groups that usually meet at a venue having every one of `fields` (e.g. step_free)."""
        needs = {f"venue__{field}": True for field in fields}
        return self.filter(Exists(Schedule.objects.filter(group=OuterRef("pk"), **needs)))

    def meeting(self, session_filter):
        """Groups with an upcoming, not-cancelled session matching `session_filter` (a Q)."""
        return self.filter(
            Exists(Session.objects.upcoming().filter(session_filter, group=OuterRef("pk")))
        )

    def search(self, text):
        """Groups matching what a parent typed, read as she means it (directory.vocabulary):
        "worried" is about anxiety, "Kinloss" is in the Forres area, "dads" are dads and
        partners, "anxeity" is anxiety misspelt; any other word is looked for in the group's
        text in any of its forms ("lonely", "loneliness"). Each thing asked for must hold.

        A group's text is one column, and what it stands for (its topics, audiences and
        areas) another, as marks (directory.search). On PostgreSQL both are in its stored
        full-text reading, so a whole search is one lookup in that index (migrations 0017 and
        0018), groups whose names hold her words first, then in this queryset's own order; on
        SQLite every word and mark is a "contains".
        """
        from directory import search
        from directory.vocabulary import read

        reading = read(text)
        found = self.filter(reading.condition())
        if not (search.full_text() and reading.words):
            return found
        order = self.query.order_by or self.model._meta.ordering
        return found.annotate(
            search_rank=search.full_text_rank(reading.words),
            search_named=search.named_condition(reading.words),
        ).order_by("-search_rank", *order)

    def for_cards(self):
        """Only what a result card shows (includes/group_card.html), with the organisation,
        so a page of cards never reads the long texts. A card that shows more must name it
        here (the list's query-count tests catch a miss)."""
        return self.select_related("organisation").only(*CARD_FIELDS)

    def with_current_meetings(self, today=None):
        """Prefetch each group's running schedules and coming extra dates, with their venues,
        for current_venues() and anything else that lists where and when a group meets."""
        return self.prefetch_related(
            Prefetch(
                "schedules",
                queryset=Schedule.objects.current(today)
                .select_related("venue__area")
                .order_by(*Schedule.WEEK_ORDER),
                to_attr="current_schedules",
            ),
            Prefetch(
                "extra_sessions",
                queryset=ExtraSession.objects.upcoming(today)
                .select_related("venue__area")
                .order_by(*ExtraSession.DATE_ORDER),
                to_attr="upcoming_extras",
            ),
        )

    def with_last_modified(self, today=None):
        """Annotate `last_modified`: the latest recorded change to the group or anything
        published with it (its organisation, schedules, breaks, cancellations, extra dates,
        venues), for the feeds and calendars that say when a listing last changed.

        The change history also records deletions, which leave no row behind to carry a date.
        """

        def latest(queryset, field):
            return Subquery(queryset.order_by(F(field).desc()).values(field)[:1])

        histories = [latest(Group.history.model.objects.filter(id=OuterRef("pk")), "history_date")]
        histories += [
            latest(model.history.model.objects.filter(group_id=OuterRef("pk")), "history_date")
            for model in (Schedule, Pause, Cancellation, ExtraSession)
        ]
        meetings = (Schedule.objects.current(today), ExtraSession.objects.upcoming(today))
        venues = [
            latest(m.filter(group=OuterRef("pk"), venue__isnull=False), "venue__updated")
            for m in meetings
        ]
        # SQLite's MAX() of several values is NULL if any is NULL, so each falls back to a
        # date that is always there.
        return self.annotate(
            last_modified=Greatest(
                F("updated"),
                F("organisation__updated"),
                *(Coalesce(change, F("updated")) for change in histories + venues),
            )
        )

    def by_next_session(self, now=None):
        """Soonest first by the real next session at this moment, then the services parents
        arrange (home visits are not a session to turn up to), then groups with no dates.

        The stored next_session_at is right until that session starts; once it has, the
        next one is looked up (for those groups only) rather than waiting for the nightly
        refresh, so tonight's groups are not listed below Thursday's by 4pm."""
        now = now or timezone.now()
        looked_up = Subquery(
            Session.objects.upcoming(now=now).filter(group=OuterRef("pk")).values("starts_at")[:1]
        )
        next_at = Case(When(next_session_at__gte=now, then=F("next_session_at")), default=looked_up)
        return self.annotate(next_at=next_at).order_by(
            "booked_service", F("next_at").asc(nulls_last=True), "name"
        )

    def unconfirmed_for(self, days, today=None):
        """Groups whose organiser has not said "still correct" for more than `days` days,
        the longest-unconfirmed (never confirmed) first."""
        cutoff = (today or timezone.localdate()) - datetime.timedelta(days=days)
        return self.filter(Q(last_confirmed__lt=cutoff) | Q(last_confirmed__isnull=True)).order_by(
            models.F("last_confirmed").asc(nulls_first=True), "name"
        )


class Group(models.Model):
    # What an organiser describes: edited in the group form, restored from its history and
    # exchanged in the CSV. Status, dates and the stored search text are not content.
    CONTENT_FIELDS = (
        "name",
        "summary",
        "description",
        "what_to_expect",
        "in_person",
        "online",
        "phone",
        "drop_in",
        "one_to_one",
        "booked_service",
        "children_welcome",
        "creche",
        "leadership",
        "focus",
        "is_free",
        "cost",
        "contact_name",
        "contact_phone",
        "contact_email",
        "website",
        "booking_url",
    )
    FACET_FIELDS = ("audiences", "topics")

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Awaiting approval"
        PUBLISHED = "published", "Published"
        PAUSED = "paused", "Paused"

    class Leadership(models.TextChoices):
        PEER = "peer", "Peer-led (trained peer supporters)"
        PROFESSIONAL = "professional", "Led by a professional"
        BOTH = "both", "Peer supporters with a professional"

    class Focus(models.TextChoices):
        PARENT = "parent", "About you, the parent"
        CHILD = "child", "Activities with your child"
        BOTH = "both", "A bit of both"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.CharField(max_length=300, help_text="One line a parent reads in the list.")
    description = models.TextField(help_text="What happens at the group.")
    what_to_expect = models.TextField(
        "what to expect on a first visit",
        blank=True,
        help_text="For example: you don't have to talk; bring your baby; tea and biscuits.",
    )

    in_person = models.BooleanField("meets in person", default=True)
    online = models.BooleanField("meets online", default=False)
    phone = models.BooleanField("by phone or text", default=False)
    drop_in = models.BooleanField("drop in, no need to book", default=True)
    one_to_one = models.BooleanField("1-2-1 support available", default=False)
    booked_service = models.BooleanField(
        "a service you arrange, such as home visits",
        default=False,
        help_text="Not a group that meets: parents get in touch to arrange a time. Lists show "
        "it as a service, after the groups, rather than by its hours.",
    )
    leadership = models.CharField(
        max_length=20, choices=Leadership.choices, default=Leadership.PEER
    )
    focus = models.CharField(max_length=10, choices=Focus.choices, default=Focus.PARENT)
    children_welcome = models.BooleanField("babies and children welcome", default=True)
    creche = models.BooleanField(default=False)
    is_free = models.BooleanField("free", default=True)
    cost = models.CharField(max_length=200, blank=True, help_text="What it costs, if anything.")

    topics = models.ManyToManyField(Topic, blank=True, related_name="groups")
    audiences = models.ManyToManyField(Audience, blank=True, related_name="groups")

    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    booking_url = models.URLField(blank=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    moderation_note = models.TextField(blank=True, help_text="Why a moderator declined it.")
    last_confirmed = models.DateField(null=True, blank=True)
    # How many "is this still correct?" reminders went out since the last confirmation.
    stale_reminders_sent = models.PositiveSmallIntegerField(default=0, editable=False)
    # Bumped on every organiser edit, so a second editor cannot silently overwrite the first.
    version = models.PositiveIntegerField(default=1, editable=False)
    # Kept by directory.timetable so lists can sort by it without expanding schedules.
    next_session_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Everything a search looks in, in lower case; kept by directory.search.
    search_text = models.TextField(blank=True, default="", editable=False)
    # What it stands for in a search's vocabulary: topics, audiences, areas (search.meaning_marks).
    search_marks = models.TextField(blank=True, default="", editable=False)
    # That text read by PostgreSQL's full-text search (search.FULL_TEXT_CONFIG), with those
    # marks, kept so a search reads it instead of parsing every group's text; empty on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=["next_session_at", "search_text", "search_marks", "search_vector"],
        m2m_fields=[topics, audiences],
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["status", "next_session_at"]),
            # The list's order (pagination.SoonestFirst).
            models.Index(fields=["status", "booked_service", "next_session_at", "name", "id"]),
            # The Open Referral feed pages through published groups by name.
            models.Index(fields=["status", "name", "id"]),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Group, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("group_detail", args=[self.slug])

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.organisation.is_approved

    @property
    def is_peer_led(self):
        return self.leadership in (self.Leadership.PEER, self.Leadership.BOTH)

    @property
    def checked_on(self):
        """The day the listing was last confirmed (or, never confirmed, made)."""
        if self.last_confirmed is not None:
            return self.last_confirmed
        return timezone.localtime(self.created).date() if self.created else timezone.localdate()

    @property
    def check_by(self):
        """The last day a check keeps the note away from parents."""
        return self.checked_on + datetime.timedelta(days=settings.STALE_AFTER_DAYS)

    @property
    def needs_check(self):
        """Due for a check: the first reminder email has gone, or parents already see the
        note. The dashboard and the reminder emails follow this one rule."""
        if self.is_stale:
            return True
        age = timezone.localdate() - self.checked_on
        return age >= datetime.timedelta(days=settings.REVIEW_REMINDER_DAYS[0])

    @property
    def is_stale(self):
        if self.last_confirmed is None:
            return True
        age = timezone.localdate() - self.last_confirmed
        return age > datetime.timedelta(days=settings.STALE_AFTER_DAYS)

    # --- What a family needs to know before going along: said the same way on the
    # shortlist, the text message, the referral sheet and the posters ---------------------

    @property
    def contact_number(self):
        """The number to call: the group's own, or else its organisation's."""
        return self.contact_phone or self.organisation.phone

    @property
    def booking_words(self):
        """ "Drop in", or how to book first."""
        if self.drop_in:
            return "Drop in"
        if self.contact_number:
            return f"Book first: call {self.contact_number}"
        if self.booking_url:
            return "Book first: online"
        return "Book first: ask the organiser"

    @property
    def cost_words(self):
        if self.is_free:
            return f"Free ({self.cost})" if self.cost else "Free"
        return f"Cost: {self.cost}" if self.cost else "Cost: ask the organiser"

    @property
    def babies_come_along(self):
        """Babies and children are welcome in the room: only a group that meets in person."""
        return self.in_person and self.children_welcome

    @property
    def babies_words(self):
        """Whether children come along; "" for a group that never meets in person."""
        if not self.in_person:
            return ""
        if self.babies_come_along:
            return "Babies and children come along"
        return "For grown-ups: please arrange childcare"

    @property
    def remote_words(self):
        """How the group meets when no venue is named: online, by phone or text, or either."""
        if self.online and not self.phone:
            return "Online"
        if self.phone and not self.online:
            return "By phone or text"
        return "Online or by phone"

    @property
    def audience_words(self):
        """Who it is for, from the audiences prefetched or fetched here; "" when unset."""
        names = [audience.name for audience in self.audiences.all()]
        return "For: " + ", ".join(names) if names else ""

    # --- Status changes: the rules live here, views and moderators call them -----------

    def single_price(self):
        """The price in pounds when the cost names exactly one amount ("£2 a session"), for
        feeds that want a number; None when free, unpriced, or priced several ways."""
        if self.is_free:
            return None
        amounts = POUNDS.findall(self.cost or "")
        return float(amounts[0]) if len(amounts) == 1 else None

    def status_when_published(self):
        """The status publishing gives: live at once for an approved organisation, waiting
        for a moderator while the organisation itself waits; None for a declined one."""
        if self.organisation.status == Organisation.Status.APPROVED:
            return self.Status.PUBLISHED
        if self.organisation.status == Organisation.Status.PENDING:
            return self.Status.PENDING
        return None

    @property
    def is_by_arrangement(self):
        """1-2-1 or phone support arranged directly with the organiser, with no set times."""
        return (self.one_to_one or self.phone) and bool(self.contact_phone or self.contact_email)

    def missing_for_publishing(self):
        """What parents would miss if this listing went public now, in plain words; empty when
        it has a name, a summary, and a coming session or a way to arrange one."""
        missing = []
        if not self.name.strip():
            missing.append("a name")
        if not self.summary.strip():
            missing.append("a one-line summary")
        if not self.is_by_arrangement and not self.sessions.upcoming().exists():
            missing.append(
                "a regular time or an extra date (or, for 1-2-1 or phone support arranged "
                "directly, a contact phone or email)"
            )
        return missing

    def publish(self):
        """The organiser puts a draft or paused listing live (or in the moderators' queue).
        Returns the new status; None when nothing changed: the listing was already live or
        waiting, it is missing what parents need (missing_for_publishing), or its
        organisation may not publish."""
        if self.status not in (self.Status.DRAFT, self.Status.PAUSED):
            return None
        if self.missing_for_publishing():
            return None
        status = self.status_when_published()
        if status is not None:
            self._set_status(status)
        return status

    def pause(self):
        """Take a live or waiting listing off the site until its organiser restarts it."""
        if self.status not in (self.Status.PUBLISHED, self.Status.PENDING):
            return False
        self._set_status(self.Status.PAUSED)
        return True

    def approve(self, today=None):
        """A moderator publishes a waiting listing. False if it was not waiting, or if it is
        missing what parents need (missing_for_publishing)."""
        if self.status != self.Status.PENDING or self.missing_for_publishing():
            return False
        self.status = self.Status.PUBLISHED
        self.moderation_note = ""
        fields = ["status", "moderation_note", "updated"]
        # A moderator has just checked it, so it does not start out "may be out of date".
        if self.last_confirmed is None:
            self.last_confirmed = today or timezone.localdate()
            fields.append("last_confirmed")
        self.save(update_fields=fields)
        return True

    def decline(self, reason):
        """A moderator sends a waiting listing back to draft with a reason. False if it was
        not waiting."""
        if self.status != self.Status.PENDING:
            return False
        self.status = self.Status.DRAFT
        self.moderation_note = reason
        self.save(update_fields=["status", "moderation_note", "updated"])
        return True

    def _set_status(self, status):
        self.status = status
        self.save(update_fields=["status", "updated"])

    def confirm(self, on=None):
        """The organiser says the listing is still correct."""
        self.last_confirmed = on or timezone.localdate()
        self.stale_reminders_sent = 0
        self.save(update_fields=["last_confirmed", "stale_reminders_sent", "updated"])

    def upcoming_sessions(self):
        return self.sessions.upcoming(include_cancelled=True).select_related("venue__area")

    def coming_breaks(self, today=None):
        """The breaks parents are told of: the group's own not yet over, and the school
        holidays not yet over when every regular time it has keeps to term time."""
        today = today or timezone.localdate()
        breaks = [pause for pause in self.pauses.all() if pause.ends_on >= today]
        schedules = self.running_schedules(today)
        if schedules and all(schedule.term_time_only for schedule in schedules):
            breaks += SchoolHoliday.objects.filter(ends_on__gte=today)
        return sorted(breaks, key=lambda pause: (pause.starts_on, pause.ends_on))

    def running_schedules(self, today=None):
        """The schedules that have not ended, in the order of the week (Monday first)."""
        if hasattr(self, "current_schedules"):
            return self.current_schedules
        today = today or timezone.localdate()
        if "schedules" in getattr(self, "_prefetched_objects_cache", {}):
            running = [s for s in self.schedules.all() if s.ends_on is None or s.ends_on >= today]
            return sorted(running, key=lambda s: (s.weekday, s.start_time, s.pk))
        current = self.schedules.current(today).select_related("venue__area")
        return list(current.order_by(*Schedule.WEEK_ORDER))

    def coming_extras(self, today=None):
        """The extra dates from today on, in date order."""
        if hasattr(self, "upcoming_extras"):
            return self.upcoming_extras
        today = today or timezone.localdate()
        if "extra_sessions" in getattr(self, "_prefetched_objects_cache", {}):
            coming = [e for e in self.extra_sessions.all() if e.date >= today]
            return sorted(coming, key=lambda e: (e.date, e.start_time, e.pk))
        upcoming = self.extra_sessions.upcoming(today).select_related("venue__area")
        return list(upcoming.order_by(*ExtraSession.DATE_ORDER))

    def usual_venue(self, today=None):
        """Where the group most often meets: the venue of most of its running regular times
        (the first in the week's order on a tie); None for a group that meets online."""
        venues = [s.venue for s in self.running_schedules(today) if s.venue_id is not None]
        if not venues:
            return None
        counts = {}
        for venue in venues:
            counts[venue.pk] = counts.get(venue.pk, 0) + 1
        return max(venues, key=lambda v: counts[v.pk])

    def current_venues(self, today=None):
        """Where the group meets from today: its running schedules' venues in the order of the
        week, then any other venue of a coming extra date; each venue once. Prefetched by
        GroupQuerySet.with_current_meetings() for lists of groups."""
        meetings = [*self.running_schedules(today), *self.coming_extras(today)]
        venues = {m.venue_id: m.venue for m in meetings if m.venue_id is not None}
        return list(venues.values())


class ScheduleQuerySet(models.QuerySet):
    def current(self, today=None):
        """Schedules that have not ended: past ones say nothing about the future."""
        today = today or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))


class Schedule(models.Model):
    """A recurring rule: when and where a group meets."""

    # The order a parent reads a week in; the id keeps two at the same time in a fixed order.
    WEEK_ORDER = ("weekday", "start_time", "pk")

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", "Every week"
        FORTNIGHTLY = "fortnightly", "Every other week"
        MONTHLY = "monthly", "Once a month"

    class WeekOfMonth(models.IntegerChoices):
        FIRST = 1, "First"
        SECOND = 2, "Second"
        THIRD = 3, "Third"
        FOURTH = 4, "Fourth"
        LAST = -1, "Last"

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="schedules")
    venue = models.ForeignKey(
        Venue,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schedules",
        help_text="Leave empty when the group meets online or by phone.",
    )
    frequency = models.CharField(max_length=20, choices=Frequency.choices, default=Frequency.WEEKLY)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        choices=WeekOfMonth.choices, null=True, blank=True, help_text="For monthly groups."
    )
    starts_on = models.DateField(help_text="The first date (fortnightly groups count from it).")
    ends_on = models.DateField(null=True, blank=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    term_time_only = models.BooleanField(
        "Not in the school holidays",
        default=False,
        help_text="The group follows Moray's school holidays as the moderators keep them, "
        "so you needn't add each one as a break.",
    )
    # Bumped on every organiser edit, so a second editor cannot silently overwrite the first.
    version = models.PositiveIntegerField(default=1, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ScheduleQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday", "start_time"]

    def __str__(self):
        return self.describe()

    def describe(self):
        """Plain words, e.g. "Every other Tuesday, 10:00am to 11:30am"."""
        from directory.recurrence import describe_schedule

        return describe_schedule(self)

    def breaks(self, pauses):
        """What stops this rule meeting between its first and last date: the group's own
        breaks (`pauses`, read once by the caller for all its schedules), and the school
        holidays when it keeps to term time. Each has starts_on, ends_on and note."""
        if not self.term_time_only:
            return list(pauses)
        return [*pauses, *SchoolHoliday.objects.all()]


class SchoolHoliday(models.Model):
    """One of Moray's school holidays, kept by the moderators (one set per school year), which
    every regular time marked "not in the school holidays" follows. Changing one rebuilds the
    sessions of the groups that follow them (directory.timetable)."""

    school_year = models.CharField(
        max_length=7,
        validators=[
            RegexValidator(r"^\d{4}-\d{2}$", "Write the school year like 2026-27."),
        ],
        help_text="For example 2026-27.",
    )
    name = models.CharField(
        max_length=60, help_text="For example “October school holidays”: parents read it."
    )
    starts_on = models.DateField("First day of the holiday")
    ends_on = models.DateField("Last day of the holiday")

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="school_holiday_ends_after_start"
            )
        ]

    def __str__(self):
        return f"{self.name} {self.school_year}"

    @property
    def note(self):
        """What parents read beside the break, as a group's own break has its note."""
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The last day must be on or after the first."})


class Pause(models.Model):
    """A break with no sessions at all, such as the school summer holidays."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="pauses")
    starts_on = models.DateField()
    ends_on = models.DateField()
    note = models.CharField(max_length=200, blank=True)
    # Bumped on every organiser edit, so a second editor cannot silently overwrite the first.
    version = models.PositiveIntegerField(default=1, editable=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["starts_on"]

    def __str__(self):
        return self.describe()

    def describe(self):
        """Plain words, e.g. "No group from Monday 21 December to Sunday 3 January"."""
        if self.starts_on == self.ends_on:
            return f"No group on {self.starts_on:%A %-d %B %Y}"
        return f"No group from {self.starts_on:%A %-d %B} to {self.ends_on:%A %-d %B %Y}"


class Cancellation(models.Model):
    """One date on which the group does not meet."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="cancellations")
    date = models.DateField()
    note = models.CharField(max_length=200, blank=True, help_text="Shown to parents.")
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["group", "date"], name="one_cancellation_per_day")
        ]

    def __str__(self):
        return f"No {self.group} on {self.date}"


class ExtraSessionQuerySet(models.QuerySet):
    def upcoming(self, today=None):
        return self.filter(date__gte=today or timezone.localdate())


class ExtraSession(models.Model):
    """A one-off date outside the usual schedule."""

    DATE_ORDER = ("date", "start_time", "pk")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="extra_sessions")
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="extra_sessions"
    )
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    note = models.CharField(max_length=200, blank=True)
    # Dates followed from the group's own calendar (directory.feeds): the event's UID and
    # original start; the date and times as last read from it, to tell an organiser's edit
    # (left alone from then on); and whether the event has since gone from the calendar.
    feed_key = models.CharField(max_length=500, blank=True, default="", editable=False)
    feed_read_as = models.CharField(max_length=40, blank=True, default="", editable=False)
    feed_removed = models.BooleanField(default=False, editable=False)
    # Bumped on every organiser edit, so a second editor cannot silently overwrite the first.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ExtraSessionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "start_time"]

    def __str__(self):
        return f"Extra {self.group} on {self.date}"

    def describe(self):
        """Plain words, e.g. "Thursday 17 December, 6:30pm to 8:00pm at Elgin Town Hall"."""
        from directory.recurrence import format_time

        where = f"at {self.venue.name}, {self.venue.town}" if self.venue else "online or by phone"
        times = f"{format_time(self.start_time)} to {format_time(self.end_time)}"
        return f"{self.date:%A %-d %B}, {times}, {where}"

    @property
    def timing(self):
        """The date and times as one string, to compare with what a feed said."""
        return f"{self.date:%Y-%m-%d} {self.start_time:%H:%M}-{self.end_time:%H:%M}"

    @property
    def from_feed(self):
        return bool(self.feed_key)

    @property
    def edited_by_hand(self):
        return self.from_feed and self.timing != self.feed_read_as

    def is_called_off(self, cancelled_dates):
        """Whether the date does not go ahead, given the group's cancelled dates. An extra
        date is the organiser's own addition, often in place of a cancelled usual session, so
        a cancellation of that day does not apply to it. A date followed from the group's
        calendar is its usual meeting: cancelling that day does, and so does its going from
        the calendar."""
        return self.from_feed and (self.feed_removed or self.date in cancelled_dates)


class CalendarFeed(models.Model):
    """An organiser's own calendar (Google, Outlook, any iCal address) that the group's dates
    follow; read every half hour by `manage.py follow_calendar_feeds` (directory.feeds)."""

    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="calendar_feed")
    url = models.URLField("calendar address", max_length=1000)
    # Where the calendar's dates happen; none for online or by phone.
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, null=True, blank=True)
    etag = models.CharField(max_length=300, blank=True, default="", editable=False)
    last_modified = models.CharField(max_length=100, blank=True, default="", editable=False)
    last_read_at = models.DateTimeField(null=True, blank=True, editable=False)
    failing_since = models.DateTimeField(null=True, blank=True, editable=False)
    problem = models.CharField(max_length=300, blank=True, default="", editable=False)
    problem_emailed = models.BooleanField(default=False, editable=False)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Calendar of {self.group}"


WHATS_ON_FIELDS = [
    "date",
    "starts_at",
    "ends_at",
    "cancelled",
    "note",
    "group__slug",
    "group__name",
    "venue__name",
    "venue__town",
]


class SessionQuerySet(models.QuerySet):
    def for_whats_on(self):
        """Only what a line of "what's on" shows (directory/whats_on.html), with its group and
        venue. Sessions at the same hour are listed by group name, so the database sorts all
        of that hour's sessions for a page of fifty (hundreds at a Scotland-wide size): the
        narrower each row, the cheaper the sort."""
        return self.select_related("group", "venue").only(*WHATS_ON_FIELDS)

    def upcoming(self, include_cancelled=False, now=None):
        now = now or timezone.now()
        # A session ends on the day it starts, so one not yet over began less than a day ago:
        # saying so lets the starts_at indexes skip the months of history kept before it.
        qs = self.filter(ends_at__gte=now, starts_at__gt=now - datetime.timedelta(days=1))
        if not include_cancelled:
            qs = qs.filter(cancelled=False)
        return qs.order_by("starts_at")

    def between(self, first_day, last_day):
        # The days as a range of start times (each session's date is its local start date):
        # the starts_at index seeks straight to them, in time order.
        from directory.recurrence import local_datetime

        return self.filter(
            starts_at__gte=local_datetime(first_day, datetime.time.min),
            starts_at__lt=local_datetime(last_day + datetime.timedelta(days=1), datetime.time.min),
        )

    def first_of_each(self, group_ids, count=1):
        """The next `count` sessions of each group (going ahead, in time order).

        One session a group is found through the (group, starts_at) index with a correlated
        subquery, a few rows a group; more than one ranks each group's upcoming sessions.
        """
        upcoming = self.upcoming()
        if count == 1:
            first = upcoming.filter(group=OuterRef("pk")).values("pk")[:1]
            ids = Group.objects.filter(pk__in=group_ids).values(first=Subquery(first))
            return self.filter(pk__in=ids).order_by("starts_at")
        return (
            upcoming.filter(group__in=group_ids)
            .annotate(
                rank=Window(RowNumber(), partition_by=F("group_id"), order_by=F("starts_at").asc())
            )
            .filter(rank__lte=count)
        )

    def public(self):
        return self.filter(
            group__status=Group.Status.PUBLISHED,
            group__organisation__status=Organisation.Status.APPROVED,
        )

    def with_confirmation(self):
        """Each session's `confirmed_at`: when its organiser said "Yes, it's on" about this
        very date, time and venue (None if they haven't), in the same query."""
        same_place = Coalesce("venue_id", 0)  # online (no venue) matches online
        confirmations = SessionConfirmation.objects.alias(place=same_place).filter(
            group=OuterRef("group_id"),
            starts_at=OuterRef("starts_at"),
            ends_at=OuterRef("ends_at"),
            place=Coalesce(OuterRef("venue_id"), 0),
        )
        return self.annotate(confirmed_at=Subquery(confirmations.values("confirmed_at")[:1]))


class Session(models.Model):
    """One dated meeting of a group, expanded from its schedules by directory.timetable.

    Stored rather than computed per request so lists, "what's on" and feeds stay fast however
    large the directory grows.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="sessions")
    schedule = models.ForeignKey(Schedule, on_delete=models.CASCADE, null=True, blank=True)
    extra = models.ForeignKey(ExtraSession, on_delete=models.CASCADE, null=True, blank=True)
    venue = models.ForeignKey(Venue, on_delete=models.SET_NULL, null=True, blank=True)
    date = models.DateField()
    start_time = models.TimeField()
    end_time = models.TimeField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)
    note = models.CharField(max_length=200, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["starts_at"]),
            models.Index(fields=["date"]),
        ]

    def __str__(self):
        return f"{self.group} at {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_online(self):
        return self.venue_id is None

    @property
    def called_off_with_its_day(self):
        """Whether cancelling its day (timetable.cancel_date) calls this session off: a usual
        meeting or a date followed from the group's calendar does; an extra date added by
        hand does not (ExtraSession.is_called_off)."""
        return self.extra_id is None or self.extra.from_feed

    @property
    def confirmed_words(self):
        """When the organiser said "Yes, it's on", as parents read it: "today", "yesterday"
        or "on Monday 30 November"; "" if they haven't. Needs
        SessionQuerySet.with_confirmation()."""
        if self.confirmed_at is None:
            return ""
        day = timezone.localdate(self.confirmed_at)
        days_ago = (timezone.localdate() - day).days
        if days_ago == 0:
            return "today"
        if days_ago == 1:
            return "yesterday"
        return f"on {day:%A} {day.day} {day:%B}"


class SessionConfirmation(models.Model):
    """An organiser said "Yes, it's on" about one coming date of a group.

    Kept by group and start time, not by Session, since sessions are rebuilt; the rebuild
    (directory.timetable) drops it once that date is cancelled or its time or venue changes,
    so parents never see a confirmation of something other than what is listed.
    """

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="confirmations")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(Venue, on_delete=models.CASCADE, null=True, blank=True)
    confirmed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "starts_at"], name="one_confirmation_per_session"
            )
        ]

    def __str__(self):
        return f"{self.group} at {self.starts_at:%Y-%m-%d %H:%M} confirmed"

    def matches(self, session):
        return (self.starts_at, self.ends_at, self.venue_id) == (
            session.starts_at,
            session.ends_at,
            session.venue_id,
        )


class SessionQuestion(models.Model):
    """One "is it still on?" emailed to one organiser about one coming date of a group.

    The record of what ask_about_coming_sessions sent, so each person is asked about each
    date once however often it runs; kept by group and start time, since sessions are
    rebuilt. Its two links carry its id and the action, signed: each works once (for either
    action), until the date is over, and only for that date.
    """

    LINK_SALT = "directory.session-question"

    class Answer(models.TextChoices):
        ON = "on", "Yes, it's on"
        CANCEL = "cancel", "Cancelled"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_questions"
    )
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="questions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    sent_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "group", "starts_at"], name="one_question_per_person_and_session"
            )
        ]

    def __str__(self):
        return f"{self.user} asked about {self.group} at {self.starts_at:%Y-%m-%d %H:%M}"

    def link_token(self, answer):
        return signing.dumps({"q": self.pk, "a": answer}, salt=self.LINK_SALT, compress=True)

    @classmethod
    def from_link(cls, token):
        """The question and answer a link stands for; None for a link that was tampered with
        or made up."""
        try:
            data = signing.loads(token, salt=cls.LINK_SALT)
            answer = cls.Answer(data["a"])
            question = cls.objects.select_related("group__organisation").get(pk=data["q"])
        except (signing.BadSignature, cls.DoesNotExist, KeyError, TypeError, ValueError):
            return None, None
        return question, answer

    @property
    def is_over(self):
        return self.ends_at <= timezone.now()

    def session(self):
        """The group's session at the time asked about (cancelled or not), or None once that
        date has moved or gone."""
        return (
            self.group.sessions.filter(starts_at=self.starts_at, ends_at=self.ends_at)
            .select_related("venue", "extra")
            .first()
        )

    def why_unusable(self, session, answer=None):
        """Why the link for `answer` can no longer act: "answered", "over" (the date has
        ended), "left" (the person asked is no longer a member, or their account is closed),
        "changed" (the date moved, was cancelled, or the listing is no longer live) or
        "extra" (cancelling an extra date added by hand, which cancelling its day does not
        call off); None while it works."""
        if self.answered_at is not None:
            return "answered"
        if self.is_over:
            return "over"
        still_member = self.user.memberships.filter(organisation_id=self.group.organisation_id)
        if not (self.user.is_active and still_member.exists()):
            return "left"
        if session is None or session.cancelled or not self.group.is_public:
            return "changed"
        if answer == self.Answer.CANCEL and not session.called_off_with_its_day:
            return "extra"
        return None

    def claim(self, answer):
        """Mark the question answered; False if it already was (by this or another request)."""
        claimed = SessionQuestion.objects.filter(pk=self.pk, answered_at__isnull=True).update(
            answer=answer, answered_at=timezone.now()
        )
        return bool(claimed)


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(resolved_at__isnull=True)

    def recently_resolved(self, days=30):
        """Dealt with in the last `days` days: still there to reopen if that was a mistake."""
        since = timezone.now() - datetime.timedelta(days=days)
        return self.filter(resolved_at__gte=since).order_by("-resolved_at")

    def for_user(self, user):
        """Reports on the listings of every organisation `user` is a member of."""
        return self.filter(group__organisation__memberships__user=user)

    def with_group(self):
        return self.select_related("group__organisation")


class Report(models.Model):
    """A member of the public telling us a listing is wrong. Holds no personal data but an
    optional email address the reporter chose to give for a reply."""

    class Kind(models.TextChoices):
        WRONG_TIME = "wrong_time", "The day or time is wrong"
        CLOSED = "closed", "The group has stopped or closed"
        WRONG_PLACE = "wrong_place", "The venue or address is wrong"
        WRONG_CONTACT = "wrong_contact", "The contact details don't work"
        OTHER = "other", "Something else"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    details = models.TextField(blank=True)
    email = models.EmailField(blank=True, help_text="Only if the reporter wants a reply.")
    created = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    resolution_note = models.CharField(
        max_length=500, blank=True, help_text="What was done about it, for the record."
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.group}"

    @property
    def is_open(self):
        return self.resolved_at is None

    def resolve(self, user, note=""):
        """Mark it dealt with, by an organiser of the listing or a moderator. False if it
        already was; ValidationError if the note is not one line the field can hold."""
        if not self.is_open:
            return False
        note = self._meta.get_field("resolution_note").clean(note.strip(), self)
        self.resolved_at = timezone.now()
        self.resolved_by = user
        self.resolution_note = note
        self.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
        return True

    def reopen(self):
        """Undo resolve(). False if it was still open."""
        if self.is_open:
            return False
        self.resolved_at = None
        self.resolved_by = None
        self.resolution_note = ""
        self.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
        return True


def attach_upcoming(groups, count=1):
    """Set `upcoming` (the next `count` sessions that go ahead, each with its organiser's
    confirmation) and `next_session` on each group, with one query however many groups there
    are; returns the groups as a list."""
    groups = list(groups)
    by_group = {}
    sessions = (
        Session.objects.first_of_each([g.pk for g in groups], count)
        .with_confirmation()
        .select_related("venue")
    )
    for session in sessions:
        by_group.setdefault(session.group_id, []).append(session)
    for group in groups:
        group.upcoming = by_group.get(group.pk, [])
        group.next_session = group.upcoming[0] if group.upcoming else None
    return groups


def attach_topics(groups):
    """Set `topic_names` (what each group can help with, in the vocabulary's order) on each
    of `groups`, for its card: one query however many groups, the names from the cached
    terms (directory.facets); returns the groups as a list."""
    from directory import facets

    groups = list(groups)
    chosen = {}
    for group_id, topic_id in Group.topics.through.objects.filter(
        group__in=[g.pk for g in groups]
    ).values_list("group_id", "topic_id"):
        chosen.setdefault(group_id, set()).add(topic_id)
    for group in groups:
        ids = chosen.get(group.pk, set())
        group.topic_names = [t.name for t in facets.terms(Topic) if t.pk in ids]
    return groups


def going_along_summary(groups):
    """A line about going along that is true of every group in `groups`: whether to book,
    whether babies come too and whether it costs, so a list never promises what one of its
    groups doesn't offer."""
    groups = list(groups)
    if not groups:
        return ""
    one = len(groups) == 1
    they = "It's" if one else "They're"
    drop_in = [g.drop_in for g in groups]
    # Whether babies come along means something only for groups that meet in person.
    babies = [g.children_welcome for g in groups if g.in_person]
    free = [g.is_free for g in groups]
    lines = []
    if all(drop_in):
        lines.append("You can just go along: no need to book.")
    elif not any(drop_in):
        lines.append(
            "Please book before you go: " + ("see how below." if one else "each group says how.")
        )
    else:
        lines.append(
            "Some you can just go along to; others ask you to book first: each group says which."
        )
    if not babies:
        pass
    elif all(babies):
        lines.append("Babies and children are welcome.")
    elif not any(babies):
        lines.append(f"{they} for grown-ups, so please arrange childcare.")
    else:
        lines.append("Some welcome babies and children; others are for grown-ups only.")
    if all(free):
        lines.append(f"{they} free." if one else "They're all free.")
    elif not any(free):
        lines.append(
            "There's a cost: see below." if one else "Each has a cost, shown with the group."
        )
    else:
        lines.append("Some are free; others have a cost, shown with the group.")
    return " ".join(lines)


def place_key(name):
    """How a place name or postcode is looked up: lower case, spaces collapsed."""
    return " ".join(name.lower().split())


class Place(models.Model):
    """A point a parent can say she is near ("Lossiemouth", "IV30 1AB"), from open data named
    in `source` (directory.places loads and imports them). Never a made-up coordinate."""

    class Kind(models.TextChoices):
        TOWN = "town", "Town"
        VILLAGE = "village", "Village"
        DISTRICT = "district", "Postcode district"
        SECTOR = "sector", "Postcode sector"
        POSTCODE = "postcode", "Postcode"

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, db_index=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    area = models.ForeignKey(
        Area, on_delete=models.SET_NULL, null=True, blank=True, related_name="places"
    )
    source = models.CharField(
        max_length=200, help_text="The dataset the coordinates come from, and its licence."
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["key", "kind"], name="place_unique_key_kind")
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display().lower()})"

    def save(self, *args, **kwargs):
        self.key = place_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        same = Place.objects.filter(key=place_key(self.name), kind=self.kind).exclude(pk=self.pk)
        if same.exists():
            raise ValidationError({"name": "There is already a place of this kind by that name."})

    @property
    def point(self):
        return float(self.latitude), float(self.longitude)


class PlaceAlias(models.Model):
    """Another name parents use for a place: "Lossie" for Lossiemouth."""

    name = models.CharField(max_length=100)
    key = models.CharField(max_length=100, unique=True, editable=False)
    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="aliases")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "place aliases"

    def __str__(self):
        return f"{self.name} → {self.place.name}"

    def save(self, *args, **kwargs):
        self.key = place_key(self.name)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if PlaceAlias.objects.filter(key=place_key(self.name)).exclude(pk=self.pk).exists():
            raise ValidationError({"name": "That name is already an alias of a place."})
