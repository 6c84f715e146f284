"""What an organisation tells us about itself: its Scottish charity number is checked (SC and
six digits, the Scottish Charity Register's format) in every form that edits it."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "number", ["SC12345", "SC0123456", "012345", "SCO12345", "XSC012345", "SC 01234A", "<b>SC1</b>"]
)
def test_a_charity_number_must_be_sc_and_six_digits(number):
    organisation = OrganisationFactory.build(charity_number=number)
    with pytest.raises(ValidationError) as refused:
        organisation.full_clean(exclude=["slug"])
    assert refused.value.message_dict == {
        "charity_number": ["Enter a Scottish charity number in the right format, like SC012345"]
    }


@pytest.mark.parametrize("typed", ["SC012345", "sc012345", " SC 012 345 ", "Sc012345"])
def test_a_charity_number_is_kept_as_the_register_writes_it(typed):
    organisation = OrganisationFactory.build(charity_number=typed)
    organisation.full_clean(exclude=["slug"])
    assert organisation.charity_number == "SC012345"


def test_an_organisation_without_a_charity_number_is_welcome():
    organisation = OrganisationFactory.build(charity_number="")
    organisation.full_clean(exclude=["slug"])
    assert organisation.scottish_charity_number == ""


def test_a_number_saved_before_the_check_is_not_taken_for_a_scottish_charity_number():
    assert OrganisationFactory(charity_number="<b>SC1</b>").scottish_charity_number == ""
    assert OrganisationFactory(charity_number="sc 012345").scottish_charity_number == "SC012345"
