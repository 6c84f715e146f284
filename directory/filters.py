"""The search and filters a parent uses, shared by the group list and "what's on"."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from directory.models import Area, Audience, Group, Session, Topic

SEARCH_MAX_LENGTH = 100

FORMAT_CHOICES = [
    ("in-person", "In person"),
    ("online", "Online"),
    ("phone", "Phone or text"),
    ("drop-in", "Drop in, no need to book"),
    ("booking", "Booking needed"),
    ("one-to-one", "1-2-1 support available"),
]
FORMAT_CONDITIONS = {
    "in-person": Q(in_person=True),
    "online": Q(online=True),
    "phone": Q(phone=True),
    "drop-in": Q(drop_in=True),
    "booking": Q(drop_in=False),
    "one-to-one": Q(one_to_one=True),
}

PRACTICAL_CHOICES = [
    ("children-welcome", "Babies and children welcome"),
    ("free", "Free"),
    ("step-free", "Step-free access"),
    ("parking", "Parking"),
    ("bus", "On a bus route"),
    ("pram", "Space for prams"),
    ("creche", "Creche"),
    ("peer-led", "Peer-led"),
]
GROUP_PRACTICALS = {
    "children-welcome": Q(children_welcome=True),
    "free": Q(is_free=True),
    "creche": Q(creche=True),
    "peer-led": Q(leadership__in=[Group.Leadership.PEER, Group.Leadership.BOTH]),
}
VENUE_PRACTICALS = {
    "step-free": "step_free",
    "parking": "parking",
    "bus": "bus_route",
    "pram": "pram_space",
}

DAY_CHOICES = [("today", "Today"), ("week", "In the next 7 days"), ("weekend", "Weekends")]
TIME_CHOICES = [
    ("morning", "Mornings"),
    ("afternoon", "Afternoons"),
    ("evening", "Evenings"),
]
WHEN_CHOICES = DAY_CHOICES + TIME_CHOICES
NOON = datetime.time(12)
FIVE_PM = datetime.time(17)


def when_condition(values, today):
    """A Q on Session for the chosen days and times: any chosen day, and any chosen time."""
    day_conditions = {
        "today": Q(date=today),
        "week": Q(date__lte=today + datetime.timedelta(days=6)),
        # Django's week_day runs from Sunday (1) to Saturday (7).
        "weekend": Q(date__week_day__in=[1, 7]),
    }
    time_conditions = {
        "morning": Q(start_time__lt=NOON),
        "afternoon": Q(start_time__gte=NOON, start_time__lt=FIVE_PM),
        "evening": Q(start_time__gte=FIVE_PM),
    }
    condition = Q()
    for conditions in (day_conditions, time_conditions):
        chosen = [conditions[v] for v in values if v in conditions]
        if chosen:
            any_of = Q()
            for c in chosen:
                any_of |= c
            condition &= any_of
    return condition


class SearchField(forms.CharField):
    """Free text, made safe for any database: control characters dropped, length capped."""

    def to_python(self, value):
        value = super().to_python(value)
        cleaned = "".join(ch for ch in value if ch.isprintable() or ch == " ")
        return " ".join(cleaned.split())[:SEARCH_MAX_LENGTH]


class SearchFilter(django_filters.CharFilter):
    field_class = SearchField


class SlugChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "slug")
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        super().__init__(*args, **kwargs)


class GroupFilter(django_filters.FilterSet):
    q = SearchFilter(label="Search", method="filter_search")
    area = SlugChoiceFilter(queryset=Area.objects.all(), label="Area", method="filter_area")
    format = django_filters.MultipleChoiceFilter(
        choices=FORMAT_CHOICES,
        label="How it runs",
        method="filter_format",
        widget=forms.CheckboxSelectMultiple,
    )
    topic = SlugChoiceFilter(
        queryset=Topic.objects.all(), label="What it can help with", method="filter_topic"
    )
    audience = SlugChoiceFilter(
        queryset=Audience.objects.all(), label="Who it's for", method="filter_audience"
    )
    practical = django_filters.MultipleChoiceFilter(
        choices=PRACTICAL_CHOICES,
        label="Practical things",
        method="filter_practical",
        widget=forms.CheckboxSelectMultiple,
    )
    when = django_filters.MultipleChoiceFilter(
        choices=WHEN_CHOICES,
        label="When",
        method="filter_when",
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Group
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_area(self, queryset, name, value):
        return queryset.in_areas(value) if value else queryset

    def filter_format(self, queryset, name, value):
        for choice in value:
            queryset = queryset.filter(FORMAT_CONDITIONS[choice])
        return queryset

    def filter_topic(self, queryset, name, value):
        if not value:
            return queryset
        through = Group.topics.through
        return queryset.filter(
            Exists(through.objects.filter(group=OuterRef("pk"), topic__in=value))
        )

    def filter_audience(self, queryset, name, value):
        if not value:
            return queryset
        through = Group.audiences.through
        return queryset.filter(
            Exists(through.objects.filter(group=OuterRef("pk"), audience__in=value))
        )

    def filter_practical(self, queryset, name, value):
        for choice in value:
            if choice in GROUP_PRACTICALS:
                queryset = queryset.filter(GROUP_PRACTICALS[choice])
            else:
                queryset = queryset.with_venue_feature(VENUE_PRACTICALS[choice])
        return queryset

    def filter_when(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.meeting(when_condition(value, timezone.localdate()))

    @property
    def dropped_fields(self):
        """Names of filters whose values we did not recognise and so left out."""
        return [self.filters[name].label for name in self.form.errors if name in self.filters]

    def active_choices(self):
        """(filter name, value, label) for each chosen value, to show and remove one by one."""
        if not self.form.is_valid():
            data = {k: v for k, v in self.form.cleaned_data.items() if k not in self.form.errors}
        else:
            data = self.form.cleaned_data
        chosen = []
        for name, value in data.items():
            if not value:
                continue
            if name == "q":
                chosen.append((name, value, f"“{value}”"))
                continue
            labels = dict(self.filters[name].extra.get("choices", []))
            for item in value:
                if hasattr(item, "slug"):
                    chosen.append((name, item.slug, item.name))
                else:
                    chosen.append((name, item, labels.get(item, item)))
        return chosen


class SessionFilter(GroupFilter):
    """The same filters applied to sessions, for "what's on"."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        self.session_queryset = queryset
        super().__init__(data, Group.objects.published(), request=request, prefix=prefix)

    @property
    def qs(self):
        groups = super().qs
        sessions = self.session_queryset.filter(group__in=groups.values("pk"))
        when = self.form.cleaned_data.get("when") if hasattr(self.form, "cleaned_data") else None
        if when:
            sessions = sessions.filter(when_condition(when, timezone.localdate()))
        return sessions


def sessions_for_window(first_day, last_day):
    return (
        Session.objects.public()
        .between(first_day, last_day)
        .filter(ends_at__gte=timezone.now())
        .select_related("group__organisation", "venue__area")
        .order_by("starts_at", "group__name")
    )
