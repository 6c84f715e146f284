"""The directory's vocabulary: Moray's areas, the topics and the audiences parents filter on.

These are real reference data from the product brief, part of every install: `manage.py
load_terms` (run by `make run` and by the compose `release` step) adds any term that is
missing and never changes one that exists, so a moderator's edits in the admin stay.
"""

from django.db import transaction

from directory.models import Area, Audience, SearchWord, Topic
from directory.page_cache import data_changed
from directory.vocabulary import normalise

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

# The oldest a young parent is, as the "Young parents" audience defines it (and the feed's
# maximum_age for a group only for young parents).
YOUNG_PARENTS_UP_TO = 25

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
        "description": f"Parents and parents-to-be aged {YOUNG_PARENTS_UP_TO} and under.",
    },
    {
        "slug": "any-parent",
        "name": "Any parent or carer",
        "description": "Mums, dads, grandparents, kinship and foster carers.",
    },
]

# Everyday words parents search with, and the topic, audience or area each means. The topics',
# audiences' and areas' own names and slugs need no entry. Villages are those the areas'
# descriptions above name, plus a few more a moderator placed; postcode districts are as
# Royal Mail names them by post town (Wikipedia: "IV postcode area", "AB postcode area").
SEARCH_WORDS = {
    "topic": {
        "anxiety": [
            "anxious",
            "anxieties",
            "worried",
            "worry",
            "worries",
            "worrying",
            "panic",
            "panic attacks",
            "nervous",
            "scared",
            "stressed",
            "stress",
            "on edge",
            "intrusive thoughts",
            "ocd",
        ],
        "low-mood": [
            "pnd",
            "postnatal depression",
            "post natal depression",
            "postpartum depression",
            "depression",
            "depressed",
            "down",
            "low",
            "feeling low",
            "sad",
            "tearful",
            "crying",
            "baby blues",
            "not myself",
            "mental health",
        ],
        "loneliness": [
            "lonely",
            "alone",
            "isolated",
            "isolation",
            "no friends",
            "on my own",
            "by myself",
            "cut off",
        ],
        "confidence": ["self esteem", "self-esteem", "confident", "not good enough", "guilt"],
        "friendships": ["friends", "friend", "meet people", "meet other parents"],
        "feeding": [
            "breastfeeding",
            "breast feeding",
            "breastfeed",
            "bottle",
            "bottle feeding",
            "formula",
            "weaning",
            "solids",
            "feed",
        ],
        "pregnancy-birth": ["birth", "labour", "antenatal", "ante natal", "bump", "bumps"],
        "partner": [
            "relationship",
            "relationships",
            "arguing",
            "couple",
            "couples",
            "co parenting",
        ],
        "identity": ["who i am", "lost myself", "identity"],
        "child-development": ["play", "sleep", "talking", "development", "toddler tantrums"],
    },
    "audience": {
        "dads-partners": [
            "dad",
            "dads",
            "daddy",
            "father",
            "fathers",
            "partner",
            "partners",
            "dads to be",
            "husband",
            "boyfriend",
            "co parent",
        ],
        "pregnancy": [
            "pregnancy",
            "expecting",
            "pregnant",
            "mum to be",
            "mums to be",
            "parent to be",
        ],
        "new-baby": ["newborn", "new born", "new baby", "new mum", "new parents", "infant"],
        "toddler": ["toddlers", "toddler", "one year old", "two year old"],
        "young-parents": [
            "young mum",
            "young mums",
            "young dad",
            "young dads",
            "teen mum",
            "teenage parent",
            "young parent",
        ],
        "any-parent": ["carer", "carers", "grandparent", "kinship carer", "foster carer"],
    },
    "area": {
        "elgin": ["new elgin", "bishopmill", "lhanbryde", "iv30"],
        "lossiemouth": ["lossie", "iv31"],
        "forres": ["kinloss", "findhorn", "dyke", "iv36"],
        "buckie": ["portknockie", "findochty", "portgordon", "cullen", "portessie", "ab56"],
        "keith": ["ab55"],
        "fochabers": ["mosstodloch", "garmouth", "iv32"],
        "speyside": [
            "aberlour",
            "rothes",
            "dufftown",
            "craigellachie",
            "archiestown",
            "ab38",
        ],
        "burghead-hopeman": ["burghead", "hopeman", "cummingston", "duffus"],
        "online": ["online", "video", "zoom", "from home", "phone", "text"],
    },
}

# Words that may mean someone is in danger: the urgent help numbers show first, warmly.
CRISIS_WORDS = [
    "suicide",
    "suicidal",
    "kill myself",
    "end my life",
    "end it all",
    "want to die",
    "dont want to be here",
    "cant cope",
    "cannot cope",
    "can't cope",
    "cant go on",
    "hurt myself",
    "hurting myself",
    "self harm",
    "self-harm",
    "harm",
    "harm my baby",
    "hurt my baby",
    "emergency",
    "crisis",
]


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
    return added + load_search_words()


def load_search_words():
    """Add the everyday words a database lacks, keyed by their words: a moderator's change of
    what one means stays, and one deleted comes back, as a term does. Returns how many were
    added."""
    known = {normalise(words) for words in SearchWord.objects.values_list("words", flat=True)}
    added = []
    for kind, meanings in SEARCH_WORDS.items():
        model = {"topic": Topic, "audience": Audience, "area": Area}[kind]
        terms = model.objects.in_bulk(list(meanings), field_name="slug")
        for slug, phrases in meanings.items():
            for words in phrases:
                if slug in terms and normalise(words) not in known:
                    known.add(normalise(words))
                    added.append(SearchWord(words=normalise(words), **{kind: terms[slug]}))
    for words in CRISIS_WORDS:
        if normalise(words) not in known:
            known.add(normalise(words))
            added.append(SearchWord(words=normalise(words), crisis=True))
    SearchWord.objects.bulk_create(added)
    if added:
        data_changed()  # bulk_create sends no signal: searches read the new words at once
    return len(added)
