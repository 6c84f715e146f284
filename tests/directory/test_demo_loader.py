from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import Organisation
from directory.context_processors import demo_data_loaded
from directory.models import (
    Area,
    Audience,
    Cancellation,
    ExtraSession,
    Group,
    Pause,
    Schedule,
    Session,
    Topic,
    Venue,
)

pytestmark = pytest.mark.django_db


def load(*args):
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Organisation,
            Venue,
            Group,
            Schedule,
            Pause,
            Cancellation,
            ExtraSession,
            Session,
            Area,
            Topic,
            Audience,
        )
    }


def test_it_loads_forty_public_groups_in_eight_organisations():
    output = load()

    public = Group.objects.published()
    assert public.count() >= 40
    assert Organisation.objects.filter(is_demo=True, groups__in=public).distinct().count() >= 8
    assert output.startswith("Demo data loaded:")


def test_every_area_topic_and_audience_has_a_public_group():
    load()
    public = Group.objects.published()

    for area in Area.objects.all():
        assert public.in_areas([area]).exists(), area
    for topic in Topic.objects.all():
        assert public.filter(topics=topic).exists(), topic
    for audience in Audience.objects.all():
        assert public.filter(audiences=audience).exists(), audience


def test_it_covers_every_format_and_practicality():
    load()
    public = Group.objects.published()

    for condition in (
        {"in_person": False, "online": True},
        {"in_person": False, "phone": True},
        {"drop_in": True},
        {"drop_in": False},
        {"one_to_one": True},
        {"creche": True},
        {"is_free": True},
        {"is_free": False},
    ):
        assert public.filter(**condition).exists(), condition
    for choice in Group.Leadership.values:
        assert public.filter(leadership=choice).exists(), choice
    for choice in Group.Focus.values:
        assert public.filter(focus=choice).exists(), choice
    assert all(group.cost for group in public.filter(is_free=False))
    assert Group.objects.filter(status=Group.Status.DRAFT).count() == 2
    assert Group.objects.filter(status=Group.Status.PAUSED).count() == 1


def test_online_and_phone_groups_meet_without_a_venue():
    load()
    remote = Group.objects.filter(in_person=False)

    assert remote.exists()
    assert not Schedule.objects.filter(group__in=remote, venue__isnull=False).exists()


def test_running_it_twice_changes_no_counts():
    load()
    first = counts()
    load()

    assert counts() == first


def test_every_published_group_has_an_upcoming_session():
    load()

    for group in Group.objects.published():
        assert group.sessions.upcoming().exists(), group
        assert group.next_session_at is not None, group


def test_cancellations_fall_on_real_upcoming_sessions():
    load()

    cancellations = Cancellation.objects.all()
    assert cancellations.count() >= 5
    for cancellation in cancellations:
        assert Session.objects.filter(
            group=cancellation.group, date=cancellation.date, cancelled=True
        ).exists(), cancellation
    assert ExtraSession.objects.count() >= 3
    for extra in ExtraSession.objects.all():
        assert Session.objects.filter(extra=extra).exists(), extra


def test_some_listings_are_out_of_date_but_most_are_fresh():
    load()
    public = list(Group.objects.published())

    stale = [group for group in public if group.is_stale]
    assert 2 <= len(stale) <= len(public) // 4


def test_every_demo_organisation_says_it_is_an_example():
    load()

    for organisation in Organisation.objects.filter(is_demo=True):
        assert organisation.description.startswith("Example listing")
        assert organisation.is_approved
        assert organisation.email.endswith("@example.org")
        assert organisation.phone.startswith("01632 960")


def test_the_demo_banner_shows_straight_after_loading():
    assert not demo_data_loaded()
    load()

    assert demo_data_loaded()


def test_remove_deletes_demo_organisations_and_leaves_real_ones():
    real = Organisation.objects.create(name="A Real Charity", status=Organisation.Status.APPROVED)
    load()
    output = load("--remove")

    assert not Organisation.objects.filter(is_demo=True).exists()
    assert not Venue.objects.exists()
    assert list(Organisation.objects.all()) == [real]
    assert Area.objects.exists(), "reference terms stay"
    assert "Demo data removed: 10 organisations" in output
    assert not demo_data_loaded()


def test_it_never_takes_over_a_real_group_with_the_same_name():
    real_org = Organisation.objects.create(
        name="A Real Charity", status=Organisation.Status.APPROVED
    )
    real_group = Group.objects.create(
        organisation=real_org,
        name="Forres Baby & Me",
        slug="forres-baby-me",
        summary="The real one",
        description="Real.",
        status=Group.Status.PUBLISHED,
    )
    load()
    load()
    load("--remove")

    real_group.refresh_from_db()
    assert real_group.organisation == real_org
    assert real_group.summary == "The real one"
    assert Group.objects.get() == real_group


def test_demo_groups_come_with_evidence_counts_that_go_with_them():
    from evidence.models import DailyCount
    from tests.factories import GroupFactory

    real = GroupFactory(name="A real group")
    DailyCount.objects.create(day="2026-01-05", metric="group_view", key=str(real.pk), count=9)
    load()
    demo = Group.objects.published().filter(organisation__is_demo=True)
    counted = set(DailyCount.objects.filter(metric="group_view").values_list("key", flat=True))
    assert {str(group.pk) for group in demo} <= counted
    assert DailyCount.objects.filter(metric="organisation_view").exists()
    assert DailyCount.objects.filter(metric="embed_view").exists()
    rows = DailyCount.objects.count()
    load()
    assert DailyCount.objects.count() == rows, "loading again replaces, never adds"
    load("--remove")
    assert list(DailyCount.objects.values_list("key", "count")) == [(str(real.pk), 9)]
