"""The directory's vocabulary: Moray's areas, the topics and the audiences parents filter on.

These are real reference data from the product brief, part of every install: `manage.py
load_terms` (run by `make run` and by the compose `release` step) adds any term that is
missing and never changes one that exists, so a moderator's edits in the admin stay.
"""

from django.db import transaction

from directory.models import Area, Audience, Topic

AREAS = [
    {
        "slug": "elgin",
        "name": "Elgin",
        "description": "Elgin, New Elgin, Bishopmill and nearby villages",
    },
    {"slug": "lossiemouth", "name": "Lossiemouth", "description": "Lossiemouth and round about"},
    {
        "slug": "forres",
        "name": "Forres",
        "description": "Forres, Kinloss, Findhorn and round about",
    },
    {
        "slug": "buckie",
        "name": "Buckie",
        "description": "Buckie, Portknockie, Findochty and Portgordon",
    },
    {"slug": "keith", "name": "Keith", "description": "Keith and the villages around it"},
    {
        "slug": "fochabers",
        "name": "Fochabers",
        "description": "Fochabers, Mosstodloch and round about",
    },
    {
        "slug": "speyside",
        "name": "Speyside",
        "description": "Aberlour, Rothes, Dufftown and around",
    },
    {
        "slug": "burghead-hopeman",
        "name": "Burghead & Hopeman",
        "description": "Burghead, Hopeman, Cummingston and Duffus",
    },
    {
        "slug": "anywhere-in-moray",
        "name": "Anywhere in Moray",
        "description": "Support that comes to you, wherever you live in Moray",
    },
    {
        "slug": "online",
        "name": "Online and phone",
        "description": "Groups you can join from home, by video call, phone or text",
        "is_online": True,
    },
]

# Pairs of areas a parent could reasonably travel between; used to suggest "also nearby".
NEARBY = [
    ("elgin", "lossiemouth"),
    ("elgin", "fochabers"),
    ("elgin", "burghead-hopeman"),
    ("elgin", "speyside"),
    ("forres", "burghead-hopeman"),
    ("buckie", "fochabers"),
    ("buckie", "keith"),
    ("keith", "speyside"),
    ("fochabers", "speyside"),
    ("lossiemouth", "burghead-hopeman"),
]

TOPICS = [
    {
        "slug": "anxiety",
        "name": "Anxiety",
        "description": "When worry takes over, before or after your baby arrives.",
    },
    {
        "slug": "low-mood",
        "name": "Low mood",
        "description": "Feeling flat, tearful or not yourself.",
    },
    {
        "slug": "confidence",
        "name": "Confidence & self-esteem",
        "description": "Getting back to feeling you can do this.",
    },
    {
        "slug": "loneliness",
        "name": "Loneliness",
        "description": "Meeting people when parenting feels lonely.",
    },
    {
        "slug": "partner",
        "name": "Relationship with your partner",
        "description": "How a baby changes things between you, and what helps.",
    },
    {
        "slug": "friendships",
        "name": "Friendships",
        "description": "Making friends, and keeping the ones you have.",
    },
    {
        "slug": "identity",
        "name": "Who you are as a parent",
        "description": "Finding yourself again alongside being a mum, dad or carer.",
    },
    {
        "slug": "pregnancy-birth",
        "name": "Pregnancy & birth",
        "description": "Talking through pregnancy, birth and what comes next.",
    },
    {
        "slug": "child-development",
        "name": "Your child's development",
        "description": "Play, talking, sleep and growing up, shared between parents.",
    },
    {
        "slug": "feeding",
        "name": "Feeding",
        "description": "Breast, bottle, mixed or solids: friendly help without judgement.",
    },
]

AUDIENCES = [
    {
        "slug": "pregnancy",
        "name": "Pregnant",
        "description": "Expecting a baby, and birth partners too.",
    },
    {
        "slug": "new-baby",
        "name": "New baby (0–12 months)",
        "description": "Parents with a baby under one.",
    },
    {
        "slug": "toddler",
        "name": "Toddlers",
        "description": "Parents of little ones aged one to about four.",
    },
    {
        "slug": "dads-partners",
        "name": "Dads & partners",
        "description": "For dads, co-parents and partners.",
    },
    {
        "slug": "young-parents",
        "name": "Young parents",
        "description": "Parents and parents-to-be aged 25 and under.",
    },
    {
        "slug": "any-parent",
        "name": "Any parent or carer",
        "description": "Mums, dads, grandparents, kinship and foster carers.",
    },
]

# --- Demo organisations -----------------------------------------------------------------


@transaction.atomic
def load_terms():
    """Add the terms a database lacks, keyed by slug; returns how many were added.

    A term already there keeps whatever a moderator made of it (name, description, order),
    and so do the nearby pairs of areas that were there before.
    """
    added = 0
    areas = {}
    for model, rows in ((Area, AREAS), (Topic, TOPICS), (Audience, AUDIENCES)):
        for order, row in enumerate(rows, start=1):
            values = {**row, "order": order}
            term, created = model.objects.get_or_create(slug=values.pop("slug"), defaults=values)
            added += created
            if model is Area:
                areas[term.slug] = (term, created)
    for one, other in NEARBY:
        (first, first_new), (second, second_new) = areas[one], areas[other]
        if first_new or second_new:
            first.nearby.add(second)
    return added
