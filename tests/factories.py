import datetime

import factory
from django.utils import timezone

from accounts.models import Membership, Organisation, User
from directory.models import (
    Area,
    Audience,
    Cancellation,
    ExtraSession,
    Group,
    Pause,
    Schedule,
    Topic,
    Venue,
)

PASSWORD = "a-long-test-password"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"organiser{n}@example.org")
    password = factory.django.Password(PASSWORD)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Family Support {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))
    summary = "A local charity supporting parents."
    status = Organisation.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.ADMIN


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Town {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class AudienceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audience
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Audience {n}")
    slug = factory.LazyAttribute(lambda o: o.name.lower().replace(" ", "-"))


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Community Hall {n}")
    address = "1 High Street"
    town = "Elgin"
    postcode = "IV30 1AA"
    area = factory.SubFactory(AreaFactory, name="Elgin")
    latitude = "57.64900"
    longitude = "-3.31800"


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Cuppa and Chat {n}")
    summary = "A relaxed drop-in for parents and babies."
    description = "Come along for a cuppa and a chat with other parents."
    what_to_expect = "You don't have to talk. Bring your baby."
    status = Group.Status.PUBLISHED
    last_confirmed = factory.LazyFunction(timezone.localdate)


class ScheduleFactory(factory.django.DjangoModelFactory):
    """Weekly on the day after tomorrow, 10am to 11:30am, from a week ago."""

    class Meta:
        model = Schedule

    group = factory.SubFactory(GroupFactory)
    venue = factory.SubFactory(
        VenueFactory, organisation=factory.SelfAttribute("..group.organisation")
    )
    frequency = Schedule.Frequency.WEEKLY
    weekday = factory.LazyFunction(
        lambda: (timezone.localdate() + datetime.timedelta(days=2)).weekday()
    )
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    start_time = datetime.time(10, 0)
    end_time = datetime.time(11, 30)


class PauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pause

    group = factory.SubFactory(GroupFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=44))
    note = "Summer holidays"


class CancellationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cancellation

    group = factory.SubFactory(GroupFactory)
    note = "The hall is closed"


class ExtraSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExtraSession

    group = factory.SubFactory(GroupFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=3))
    start_time = datetime.time(18, 0)
    end_time = datetime.time(19, 0)


def group_with_schedule(rebuild=True, schedule_kwargs=None, **group_kwargs):
    """A published group meeting weekly, with its sessions expanded (the usual starting point)."""
    from directory.timetable import rebuild_sessions

    group = GroupFactory(**group_kwargs)
    ScheduleFactory(group=group, **(schedule_kwargs or {}))
    if rebuild:
        rebuild_sessions(group)
    return group


def online_group(**group_kwargs):
    """A published group that meets only online, weekly: no venue, never in the room."""
    return group_with_schedule(
        online=True, in_person=False, schedule_kwargs={"venue": None}, **group_kwargs
    )


class ModeratorFactory(UserFactory):
    """A moderator (staff) with an authenticator app set up, as moray_peer.security requires."""

    class Meta:
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"moderator{n}@example.org")
    is_staff = True

    @factory.post_generation
    def authenticator(user, create, extracted, **kwargs):
        if create:
            from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

            TOTP.activate(user, generate_totp_secret())
