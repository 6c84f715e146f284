"""What parents type, in their own words, and the groups each must find, on the demo listings
(directory/demo/listings.py) with the real vocabulary (directory/terms.py)."""

import pytest
from django.core.management import call_command

from directory.models import Group

pytestmark = pytest.mark.django_db

ELGIN_WELLBEING = "Elgin Parent Wellbeing Drop-in"
TALK_IT_THROUGH = "Talk It Through: Elgin Evening Group"
PARENTING_TOGETHER = "Parenting Together Evenings, Elgin"
FORRES_BABY = "Forres Baby & Me"
FORRES_FEEDING = "Forres Feeding Friends"
FORRES_WALK = "Forres Walk & Talk"
FORRES_DADS = "Dads & Bairns Saturday, Forres"
BUCKIE_FEEDING = "Buckie Feeding Support Café"
LOSSIE_DADS_CLUB = "Lossie Dads Saturday Club"
LOSSIE_DADS_ONLINE = "Lossie Dads Online Check-in"
ROTHES = "Rothes Rhymes & Chat"
PHONE_CHATS = "Peer Supporter Phone Chats"
KEITH_YOUNG = "Keith Young Mums & Dads"
YOUNG_NEW_ELGIN = "Young Parents' Group, New Elgin"
EVENING_CIRCLE = "Evening Circle Online"
COASTAL = "Coastal Parents' Wellbeing Group"
BURGHEAD_BABY = "Little Waves Baby Group, Burghead"

# (what she types, groups it must find, groups it must not find)
EVERYDAY_QUERIES = [
    ("anxious", [ELGIN_WELLBEING, TALK_IT_THROUGH, EVENING_CIRCLE], [FORRES_FEEDING]),
    ("anxiety", [ELGIN_WELLBEING, TALK_IT_THROUGH], [FORRES_FEEDING]),
    ("worried", [ELGIN_WELLBEING, PHONE_CHATS], [ROTHES]),
    ("worrying", [ELGIN_WELLBEING], []),
    ("panic attacks", [ELGIN_WELLBEING, EVENING_CIRCLE], []),
    ("anxeity", [ELGIN_WELLBEING, TALK_IT_THROUGH], [FORRES_FEEDING]),
    ("lonely", [FORRES_BABY, ROTHES, ELGIN_WELLBEING], [BUCKIE_FEEDING]),
    ("loneliness", [FORRES_BABY, ROTHES], [BUCKIE_FEEDING]),
    ("isolated", [FORRES_BABY, ROTHES], [BUCKIE_FEEDING]),
    ("no friends", [FORRES_BABY], []),
    ("lonley", [FORRES_BABY, ROTHES], [BUCKIE_FEEDING]),
    ("depressed", [COASTAL, FORRES_WALK, TALK_IT_THROUGH], [FORRES_FEEDING]),
    ("PND", [COASTAL, FORRES_WALK], [FORRES_FEEDING]),
    ("postnatal depression", [COASTAL, FORRES_WALK], [FORRES_FEEDING]),
    ("feeling low", [COASTAL, TALK_IT_THROUGH], [FORRES_FEEDING]),
    ("down", [FORRES_WALK], []),
    ("breastfeeding", [FORRES_FEEDING, BUCKIE_FEEDING, FORRES_BABY], [TALK_IT_THROUGH]),
    ("bottle", [FORRES_FEEDING, BUCKIE_FEEDING], [TALK_IT_THROUGH]),
    ("Kinloss", [FORRES_BABY, FORRES_FEEDING, FORRES_DADS], [ELGIN_WELLBEING]),
    ("Findhorn", [FORRES_WALK], [ELGIN_WELLBEING]),
    ("IV36", [FORRES_BABY, FORRES_FEEDING], [ELGIN_WELLBEING]),
    ("IV36 3BN", [FORRES_BABY, FORRES_FEEDING], [ELGIN_WELLBEING]),
    ("iv363bn", [FORRES_BABY], [ELGIN_WELLBEING]),
    ("New Elgin", [YOUNG_NEW_ELGIN, ELGIN_WELLBEING], [FORRES_BABY]),
    ("Lossie", [LOSSIE_DADS_CLUB], [FORRES_BABY]),
    ("Rothes", [ROTHES, "Dufftown Parent & Toddler Cuppa"], [FORRES_BABY]),
    ("Rothess", [ROTHES], [FORRES_BABY]),
    ("Hopeman", [COASTAL, "Hopeman Parent & Toddler Drop-in"], [FORRES_BABY]),
    ("Portknockie", ["Buckie Bumps & Babies Drop-in"], [FORRES_BABY]),
    ("forres feeding", [FORRES_FEEDING, FORRES_BABY], [BUCKIE_FEEDING]),
    ("Elgin dads", [PARENTING_TOGETHER], [FORRES_DADS, LOSSIE_DADS_CLUB]),
    ("dads", [FORRES_DADS, LOSSIE_DADS_CLUB, LOSSIE_DADS_ONLINE], [FORRES_FEEDING]),
    ("father", [FORRES_DADS, LOSSIE_DADS_CLUB], [FORRES_FEEDING]),
    ("partner", [FORRES_DADS, PARENTING_TOGETHER], []),
    ("lossie dads", [LOSSIE_DADS_CLUB, LOSSIE_DADS_ONLINE], [FORRES_DADS]),
    ("young mum", [KEITH_YOUNG, YOUNG_NEW_ELGIN], [FORRES_BABY]),
    ("pregnant", ["Bump Buddies Online", "Young Bumps, Elgin"], [FORRES_DADS]),
    ("expecting", ["Bump Buddies Online"], [FORRES_DADS]),
    ("newborn", [FORRES_BABY], [FORRES_DADS]),
    ("online", [EVENING_CIRCLE, LOSSIE_DADS_ONLINE], [FORRES_BABY]),
    ("phone", [PHONE_CHATS], [FORRES_BABY]),
    ("Elgin anxiety", [ELGIN_WELLBEING, TALK_IT_THROUGH], [EVENING_CIRCLE]),
    ("worried in elgin", [ELGIN_WELLBEING, TALK_IT_THROUGH], [EVENING_CIRCLE]),
    ("burghead baby", [BURGHEAD_BABY], [FORRES_BABY]),
    ("Café", [BUCKIE_FEEDING, "Keith Confidence Café"], []),
    ("walks", [FORRES_WALK, "Lossie Beach Walk for Families"], []),
    ("friends", [FORRES_BABY], []),
]


@pytest.fixture
def demo_directory():
    call_command("load_terms", verbosity=0)
    call_command("load_demo", verbosity=0)


def found(words):
    return set(Group.objects.published().search(words).values_list("name", flat=True))


def test_the_table_has_at_least_forty_everyday_queries():
    assert len(EVERYDAY_QUERIES) >= 40


def test_everyday_words_find_the_groups_parents_mean(demo_directory):
    wrong = []
    for words, wanted, unwanted in EVERYDAY_QUERIES:
        groups = found(words)
        missing = set(wanted) - groups
        extra = set(unwanted) & groups
        if missing or extra:
            wrong.append((words, sorted(missing), sorted(extra)))
    assert wrong == []


def test_every_wanted_group_is_a_real_demo_listing(demo_directory):
    names = set(Group.objects.published().values_list("name", flat=True))
    named = {name for _w, wanted, unwanted in EVERYDAY_QUERIES for name in wanted + unwanted}
    assert named - names == set()
