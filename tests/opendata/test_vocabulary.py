"""Each taxonomy term's database filter finds exactly the groups whose records carry the term."""

import pytest
from django.utils import timezone

from directory.filters import FORMAT_CHOICES, PRACTICAL_CHOICES, VENUE_PRACTICALS
from directory.models import Group
from opendata.queries import services
from opendata.taxonomies import FORMAT_FIELDS, GROUP_PRACTICAL_FIELDS, Vocabulary
from tests.factories import ExtraSessionFactory, GroupFactory, ScheduleFactory, VenueFactory

pytestmark = pytest.mark.django_db


def test_every_format_and_practical_choice_is_a_term():
    assert set(FORMAT_FIELDS) == {slug for slug, _ in FORMAT_CHOICES}
    practicals = {slug for slug, _ in PRACTICAL_CHOICES}
    assert set(GROUP_PRACTICAL_FIELDS) | set(VENUE_PRACTICALS) == practicals


def test_term_filters_agree_with_the_terms_records_carry(directory):
    phone_only = GroupFactory(
        name="Text Support", in_person=False, phone=True, drop_in=False, is_free=False
    )
    ExtraSessionFactory(group=phone_only, venue=None)
    step_free = VenueFactory(organisation=phone_only.organisation, step_free=True, parking=True)
    extra_only = GroupFactory(name="One-off Picnic", leadership=Group.Leadership.BOTH)
    ExtraSessionFactory(group=extra_only, venue=step_free)
    ScheduleFactory(group=GroupFactory(name="Weekly Elsewhere", creche=True))

    today = timezone.localdate()
    vocabulary = Vocabulary(today)
    groups = list(services(today))
    checked = 0
    for term in vocabulary.all_terms():
        by_filter = set(
            services(today).filter(term.taxonomy.condition(term)).values_list("pk", flat=True)
        )
        by_record = {g.pk for g in groups if term in vocabulary.terms_for(g)}
        assert by_filter == by_record, term.name
        checked += bool(by_record)
    assert checked >= 15
    for taxonomy in vocabulary.taxonomies:
        by_filter = set(
            services(today).filter(taxonomy.any_condition()).values_list("pk", flat=True)
        )
        by_record = {
            g.pk for g in groups if any(t.taxonomy is taxonomy for t in vocabulary.terms_for(g))
        }
        assert by_filter == by_record, taxonomy.name
