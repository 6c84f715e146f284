"""Organisers' forms: plain, labelled, and strict about what a link may point to."""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator, URLValidator
from django.utils import timezone

from accounts.models import Membership, Organisation
from directory import feeds
from directory.models import (
    Area,
    Audience,
    CalendarFeed,
    Cancellation,
    ExtraSession,
    Group,
    Pause,
    Schedule,
    Topic,
    Venue,
)
from directory.recurrence import format_time

WEB_ADDRESS = URLValidator(
    schemes=["http", "https"],
    message="Enter a web address that starts with https:// (or http://).",
    # Its own code, so URLField's generic "Enter a valid URL." does not replace the message.
    code="unsupported_scheme",
)
PHONE_NUMBER = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,24}$",
    message="Enter a phone number using digits and spaces, for example 01343 123456.",
)


class WebAddressField(forms.URLField):
    """A web link an organiser enters: http or https only, never javascript: or data:."""

    default_validators = [WEB_ADDRESS]


def web_address_field(label, help_text=""):
    return WebAddressField(
        label=label, help_text=help_text, required=False, max_length=200, assume_scheme="https"
    )


class SectionsMixin:
    """Lets a template show a long form in short, titled parts."""

    sections = ()

    def bound_sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.sections]


class VersionedForm(forms.ModelForm):
    """Carries the version the editor started from, so a later save can spot a clash."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            # Something new has nothing to clash with.
            self.fields.pop("version", None)
        elif "version" not in self.initial:
            self.initial["version"] = self.instance.version

    def content_fields(self):
        """The model fields this form edits (the version is bookkeeping, not content)."""
        return [name for name in self.fields if name != "version"]


class GroupForm(SectionsMixin, VersionedForm):
    website = web_address_field("Website", "The group's own page, if it has one.")
    booking_url = web_address_field("Booking link", "Where parents book a place, if they need to.")
    contact_phone = forms.CharField(
        label="Contact phone",
        required=False,
        max_length=40,
        validators=[PHONE_NUMBER],
        help_text="Parents can tap it to call.",
    )

    sections = (
        ("About the group", ["name", "summary", "description", "what_to_expect"]),
        (
            "How it works",
            [
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
            ],
        ),
        ("Cost", ["is_free", "cost"]),
        ("Who it's for", ["audiences", "topics"]),
        (
            "Contact",
            ["contact_name", "contact_phone", "contact_email", "website", "booking_url"],
        ),
    )

    class Meta:
        model = Group
        fields = [*Group.CONTENT_FIELDS, *Group.FACET_FIELDS]
        labels = {
            "name": "Group name",
            "summary": "One-line summary",
            "description": "What happens at the group",
            "leadership": "Who runs it",
            "focus": "What the sessions are about",
            "audiences": "Who it's for",
            "topics": "What it can help with",
        }
        help_texts = {
            "name": "As parents would say it, for example “Cuppa and Chat, Elgin”.",
            "description": "A few friendly sentences. Blank lines start a new paragraph.",
            "cost": "Leave empty if it's free.",
        }
        widgets = {
            "summary": forms.TextInput,
            "description": forms.Textarea(attrs={"rows": 5}),
            "what_to_expect": forms.Textarea(attrs={"rows": 3}),
            "leadership": forms.RadioSelect,
            "focus": forms.RadioSelect,
            "audiences": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = Topic.objects.all()
        self.fields["audiences"].queryset = Audience.objects.all()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_free") and cleaned.get("cost", "").strip():
            self.add_error(
                "cost",
                "You ticked “Free”: leave the cost empty, or untick “Free” if there is a cost.",
            )
        if cleaned.get("booked_service") and cleaned.get("drop_in"):
            self.add_error(
                "drop_in",
                "A service parents arrange is not a drop-in: untick “drop in”, or untick "
                "“a service you arrange”.",
            )
        if not (cleaned.get("in_person") or cleaned.get("online") or cleaned.get("phone")):
            raise forms.ValidationError(
                "Tick at least one of: meets in person, meets online, by phone or text."
            )
        return cleaned


class NewGroupForm(GroupForm):
    """A new group: which organisation runs it, and whether to show it straight away."""

    PUBLISH = "publish"
    DRAFT = "draft"

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Organisation",
        empty_label=None,
    )
    visibility = forms.ChoiceField(
        label="When should parents see it?",
        choices=[
            (DRAFT, "Save it as a draft, and publish once it has its times"),
            (PUBLISH, "Publish it now: 1-2-1 or phone support arranged directly, no set times"),
        ],
        initial=DRAFT,
        widget=forms.RadioSelect,
        help_text="A group is published once it has a time parents can come, or a way to "
        "arrange one. A new organisation's listings are checked by a moderator first.",
    )
    version = None

    sections = (
        (("Organisation", ["organisation"]),)
        + GroupForm.sections
        + (("Publishing", ["visibility"]),)
    )

    class Meta(GroupForm.Meta):
        fields = ["organisation", *GroupForm.Meta.fields]

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations

    def content_fields(self):
        return [name for name in self.fields if name not in ("version", "visibility")]


class VenueForm(SectionsMixin, VersionedForm):
    sections = (
        ("Where it is", ["name", "agreed_place", "address", "town", "postcode", "area"]),
        (
            "Getting in",
            [
                "step_free",
                "accessible_toilet",
                "baby_change",
                "pram_space",
                "parking",
                "bus_route",
                "accessibility_notes",
                "directions",
            ],
        ),
        ("On the map (optional)", ["latitude", "longitude"]),
    )

    class Meta:
        model = Venue
        fields = list(Venue.CONTENT_FIELDS)
        labels = {"name": "Venue name", "area": "Area of Moray"}
        error_messages = {
            "name": {"required": "Enter the venue’s name"},
            "area": {"required": "Choose the area of Moray the venue is in"},
        }
        help_texts = {
            "name": "For example “Elgin Community Centre”, or “At home or a place near you”.",
            "address": "Leave empty if you agree a place with each person.",
            "accessibility_notes": "Anything else about getting in and around.",
            "latitude": "For example 57.64900. Leave empty and the address is used.",
            "longitude": "For example -3.31800.",
        }
        widgets = {
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
            "directions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = Area.objects.filter(is_online=False)
        self.fields["area"].empty_label = "Choose an area"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class TimesMixin:
    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", "The finish time must be after the start time.")
        return cleaned


class ScheduleForm(TimesMixin, VersionedForm):
    class Meta:
        model = Schedule
        fields = [
            "frequency",
            "weekday",
            "week_of_month",
            "start_time",
            "end_time",
            "venue",
            "starts_on",
            "ends_on",
            "term_time_only",
        ]
        labels = {
            "frequency": "How often",
            "weekday": "Day",
            "week_of_month": "Which week of the month",
            "start_time": "Starts at",
            "end_time": "Finishes at",
            "starts_on": "First date",
            "ends_on": "Last date",
        }
        help_texts = {
            "week_of_month": "Only for groups that meet once a month, e.g. the first Tuesday.",
            "starts_on": "Every-other-week groups count their fortnights from this date.",
            "ends_on": "Leave empty if it carries on.",
            "venue": "Leave empty if the group meets online or by phone.",
        }
        widgets = {
            "frequency": forms.RadioSelect,
            "starts_on": DateInput,
            "ends_on": DateInput,
            "start_time": TimeInput,
            "end_time": TimeInput,
        }

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        venues = Venue.objects.filter(organisation=organisation) if organisation else Venue.objects
        self.fields["venue"].queryset = venues.order_by("town", "name")
        self.fields["venue"].empty_label = "No venue: online or by phone"
        self.fields["week_of_month"].choices = [("", "Not monthly")] + list(
            Schedule.WeekOfMonth.choices
        )
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault("starts_on", timezone.localdate())

    def clean(self):
        cleaned = super().clean()
        frequency = cleaned.get("frequency")
        week = cleaned.get("week_of_month")
        if frequency == Schedule.Frequency.MONTHLY and not week:
            self.add_error("week_of_month", "Choose which week of the month the group meets.")
        if frequency and frequency != Schedule.Frequency.MONTHLY and week:
            self.add_error(
                "week_of_month",
                "A week of the month is only for groups that meet once a month: choose "
                "“Once a month”, or choose “Not monthly” here.",
            )
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last date can't be before the first date.")
        return cleaned


class PauseForm(VersionedForm):
    class Meta:
        model = Pause
        fields = ["starts_on", "ends_on", "note"]
        labels = {
            "starts_on": "First day with no group",
            "ends_on": "Last day with no group",
            "note": "A note for parents",
        }
        help_texts = {"note": "For example “Summer holidays — back on 19 August”."}
        widgets = {"starts_on": DateInput, "ends_on": DateInput}

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "The last day can't be before the first day.")
        elif ends_on and ends_on < timezone.localdate():
            self.add_error(
                "ends_on", "That break is already over. Choose a last day from today on."
            )
        return cleaned


class CancellationForm(forms.ModelForm):
    class Meta:
        model = Cancellation
        fields = ["note"]
        labels = {"note": "A note for parents"}
        help_texts = {"note": "For example “The hall is closed — see you next week”."}


class SessionEmailsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["session_emails"]
        labels = {"session_emails": "How often should we ask?"}
        help_texts = {
            "session_emails": "Each email has two links for each date: “Yes, it's on” and "
            "“Cancel this one”. Parents see on the group's page that you've confirmed a date."
        }
        widgets = {"session_emails": forms.RadioSelect}


class ExtraSessionForm(TimesMixin, VersionedForm):
    class Meta:
        model = ExtraSession
        fields = ["date", "start_time", "end_time", "venue", "note"]
        labels = {
            "start_time": "Starts at",
            "end_time": "Finishes at",
            "note": "A note for parents",
        }
        help_texts = {"venue": "Where it meets this time; the group's usual venue to begin with."}
        widgets = {"date": DateInput, "start_time": TimeInput, "end_time": TimeInput}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.group = group
        self.fields["venue"].queryset = Venue.objects.filter(organisation=group.organisation)
        self.fields["venue"].empty_label = "No venue: online or by phone"
        if not self.instance.pk and not self.is_bound:
            usual = group.usual_venue()
            if usual is not None:
                self.initial.setdefault("venue", usual.pk)

    def clean_date(self):
        date = self.cleaned_data["date"]
        today = timezone.localdate()
        last = today + datetime.timedelta(days=settings.SESSION_HORIZON_DAYS)
        if date < today:
            raise forms.ValidationError("Choose today or a date in the future.")
        if date > last:
            raise forms.ValidationError(
                f"Choose a date up to {last:%-d %B %Y}: dates further ahead aren't shown to "
                "parents yet. Add it nearer the time."
            )
        return date

    def clean(self):
        cleaned = super().clean()
        date, start, end = cleaned.get("date"), cleaned.get("start_time"), cleaned.get("end_time")
        if date and start and end and end > start:
            from directory.timetable import expected_sessions

            regular = [
                session
                for session in expected_sessions(self.group, date, date)
                if session.extra_id is None and not session.cancelled
            ]
            clash = next((s for s in regular if s.start_time < end and start < s.end_time), None)
            if clash is not None:
                self.add_error(
                    "date",
                    f"The group already meets on {date:%A %-d %B} from "
                    f"{format_time(clash.start_time)} to {format_time(clash.end_time)}, so "
                    "parents see that date already. Choose another date or time.",
                )
        return cleaned


class CalendarFeedForm(forms.ModelForm):
    """The address of the organiser's own calendar, and where its dates happen."""

    url = forms.CharField(
        label="Your calendar's iCal address",
        max_length=1000,
        help_text="It starts with https:// (or webcal://) and often ends in .ics. In Google "
        "Calendar it is the “public address in iCal format”; in Outlook, “Publish calendar” "
        "gives an ICS link.",
    )

    class Meta:
        model = CalendarFeed
        fields = ["url", "venue"]
        labels = {"venue": "Where these dates happen"}
        help_texts = {"venue": "Leave empty if it's online or by phone."}

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = Venue.objects.filter(organisation=organisation)
        self.fields["venue"].empty_label = "No venue: online or by phone"

    def clean_url(self):
        url = feeds.normalise_url(self.cleaned_data["url"])
        try:
            feeds.check_url(url)
        except feeds.FeedError as error:
            raise forms.ValidationError(f"Enter your calendar's address: {error}.") from error
        return url


class VenueChangeForm(forms.Form):
    """Where a regular time meets from one of its coming dates on; a new venue can be made
    here too (its details in a VenueForm with the prefix "new")."""

    NEW = "new"
    ONLINE = "online"

    from_date = forms.TypedChoiceField(
        label="From which date?",
        coerce=datetime.date.fromisoformat,
        help_text="Dates before this one keep the venue they have now.",
    )
    venue = forms.ChoiceField(label="Where will it meet?")

    def __init__(self, *args, schedule, dates, **kwargs):
        super().__init__(*args, **kwargs)
        self.schedule = schedule
        self.fields["from_date"].choices = [(d.isoformat(), f"{d:%A %-d %B %Y}") for d in dates]
        venues = Venue.objects.filter(organisation=schedule.group.organisation).exclude(
            pk=schedule.venue_id
        )
        self.fields["venue"].choices = [
            *((str(v.pk), str(v)) for v in venues.order_by("town", "name")),
            (self.NEW, "A new venue: fill in its details below"),
            (self.ONLINE, "No venue: online or by phone"),
        ]
        self.venues = {str(v.pk): v for v in venues}

    def chosen_venue(self):
        """The venue chosen, None for online; only for an existing venue or online."""
        return self.venues.get(self.cleaned_data["venue"])
