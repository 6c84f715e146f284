"""How a search reads what a parent types, in her own words.

A parent types "worried", "PND", "Kinloss", "IV36 0AB", "elgin dads" or "anxeity". Each is
read against the directory's vocabulary: the topics, audiences and areas by name, and the
everyday words moderators keep for them (SearchWord, seeded by directory.terms). A phrase
found there means that topic, audience or area; any other word is looked for in a group's
text in any of its forms ("lonely" finds "loneliness": both are compared by their Snowball
English stems, the same stemmer PostgreSQL's "english" configuration uses), and a word found
nowhere but close to one the vocabulary knows is taken to mean that too ("anxeity").
Little words ("a", "in", "group") ask for nothing. Words that may mean someone is in danger
are noticed so the page can put the urgent help numbers first.

Nothing typed is kept: the reading lives only as long as the request.
"""

import difflib
import pathlib
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import snowballstemmer
from django.db.models import Q

# Words that ask for nothing in a directory of parents' groups.
_STOP_WORDS = """
    a about after am an and any anything are around as at be been before being bring but
    by can could do does doing for from get go going group groups has have help how i im
    in into is it its just like look looking me mum mums mother mothers my near nearby
    need of on or our parent parents place places please so some somewhere support that
    the there this to want we what when where which who with would you your
"""
# PostgreSQL's full-text search drops its English stop words, and a search made only of them
# finds nothing there: dropped here too, on any database ("dads only", "on my own").
POSTGRESQL_STOP_WORDS = pathlib.Path(__file__).parent / "data" / "english_stop_words.txt"
STOP_WORDS = frozenset(_STOP_WORDS.split()) | frozenset(
    line.strip()
    for line in POSTGRESQL_STOP_WORDS.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
# Longest vocabulary phrase, in words.
LONGEST_PHRASE = 4
# At most this many things asked for, so a hand-made address cannot build a huge query.
MAX_PARTS = 8
# How close a misspelt word must be to one the vocabulary knows (difflib's ratio).
TYPO_CUTOFF = 0.8
SUGGESTION_CUTOFF = 0.6
# A postcode's outward code (IV36, AB56), then perhaps its sector and unit ("3" or "3BN").
OUTWARD_CODE = re.compile(r"^[a-z]{1,2}\d[a-z\d]?$")
INWARD_PART = re.compile(r"^\d([a-z]{2})?$")
FULL_POSTCODE = re.compile(r"^([a-z]{1,2}\d[a-z\d]?)(\d[a-z]{2})$")

# A stemmer keeps the word it is working on in itself, so each thread has its own: the
# server's threads stem parents' words at the same time.
_stemmers = threading.local()


def normalise(text):
    """Lower case, accents and punctuation dropped, "can't" as "cant", spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "").lower()
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"['’‘`]", "", text)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def stem(word):
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        stemmer = _stemmers.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def stems_line(text):
    """The stems of every word of `text`, each after a space, for a search to find a word in
    any of its forms with one "contains" (" lone" is in " loneli")."""
    words = dict.fromkeys(stem(word) for word in normalise(text).split())
    return "".join(f" {word}" for word in words)


@dataclass(frozen=True)
class Meaning:
    """A topic, audience or area a parent's words stand for."""

    kind: str  # "topic", "audience" or "area"
    term: object  # the Topic, Audience or Area

    @property
    def name(self):
        return self.term.name

    @property
    def mark(self):
        """The mark a group carries for this (directory.search.meaning_marks)."""
        from directory import search

        if self.kind == "area" and self.term.is_online:
            return search.mark("online")
        return search.mark(self.kind, self.term.pk)


@dataclass
class Part:
    """One thing a search asks for: words typed, and what they may mean."""

    words: str
    meaning: Meaning | None = None
    guessed: bool = False  # the meaning is a guess at a misspelling

    def condition(self):
        """What a group must have for this part, on SQLite: the words themselves, in any form,
        anywhere in its text (a description may say "Kinloss" or "anxious" without the area or
        topic being set), or the mark of what they mean."""
        found = Q(search_text__contains=self.words)
        if " " not in self.words:
            found |= Q(search_text__contains=f" {stem(self.words)}")
        if self.meaning is not None:
            found |= Q(search_marks__contains=self.meaning.mark)
        return found

    def full_text_query(self):
        """The same as condition(), as a PostgreSQL full-text query on the stored reading."""
        from directory import search

        words = self.words.split()
        if self.meaning is None:
            return search.words_query(words)
        return search.phrase_query(words) | search.mark_query(self.meaning.mark)


@dataclass
class Reading:
    text: str
    vocabulary: "Vocabulary"
    parts: list = field(default_factory=list)
    crisis: bool = False

    def condition(self):
        """A condition on Group: every part holds. On PostgreSQL it is one full-text query on
        each group's stored reading, so one lookup in its index finds the groups."""
        from directory import search

        parts = self.parts[:MAX_PARTS]
        if not search.full_text():
            condition = Q()
            for part in parts:
                condition &= part.condition()
            return condition
        if not parts:
            return Q()
        query = parts[0].full_text_query()
        for part in parts[1:]:
            query &= part.full_text_query()
        return Q(search_vector=query)

    @property
    def words(self):
        """Every word of what is asked for, the vocabulary's phrases split."""
        return list(dict.fromkeys(w for part in self.parts[:MAX_PARTS] for w in part.words.split()))

    @property
    def unknown(self):
        """The words the vocabulary does not know (they may still be in a group's text)."""
        return [part.words for part in self.parts if part.meaning is None]

    @property
    def meanings(self):
        return [part.meaning for part in self.parts if part.meaning is not None]

    @property
    def guesses(self):
        return [part for part in self.parts if part.guessed]


class Vocabulary:
    def __init__(self, phrases, crisis):
        self.phrases = phrases  # {tuple of stems: Meaning}
        self.crisis = crisis  # set of tuples of stems
        # Single words by their spelling, for guessing at misspellings.
        self.spellings = {}
        for words, meaning in phrases.items():
            if len(words) == 1:
                self.spellings.setdefault(words[0], meaning)

    def add_spelling(self, word, meaning):
        if " " not in word:
            self.spellings.setdefault(word, meaning)

    def read(self, text):
        words = postcode_districts(normalise(text).split())
        stems = [stem(word) for word in words]
        reading = Reading(text=text, vocabulary=self)
        i = 0
        while i < len(words):
            crisis = self._crisis_at(stems, i)
            if crisis:
                # Noticed, not looked for: "suicidal" is in no group's text.
                reading.crisis = True
                i += crisis
                continue
            for n in range(min(LONGEST_PHRASE, len(words) - i), 0, -1):
                meaning = self.phrases.get(tuple(stems[i : i + n]))
                if meaning is not None:
                    reading.parts.append(Part(" ".join(words[i : i + n]), meaning))
                    i += n
                    break
            else:
                word = words[i]
                i += 1
                if is_postcode_district(word):
                    reading.parts.append(Part(word))
                elif word not in STOP_WORDS:
                    reading.parts.append(self._guess(word))
        return reading

    def _guess(self, word):
        if len(word) >= 4:
            close = difflib.get_close_matches(word, self.spellings, n=1, cutoff=TYPO_CUTOFF)
            if close:
                return Part(word, self.spellings[close[0]], guessed=True)
        return Part(word)

    def _crisis_at(self, stems, i):
        """How many words from the i-th make a phrase that may mean danger (0 if none)."""
        for phrase in self.crisis:
            if tuple(stems[i : i + len(phrase)]) == phrase:
                return len(phrase)
        return 0

    def nearest(self, word, count=3):
        """The meanings whose words are closest in spelling to `word`, closest first."""
        close = difflib.get_close_matches(word, self.spellings, n=count, cutoff=SUGGESTION_CUTOFF)
        return [(spelling, self.spellings[spelling]) for spelling in close]


def is_postcode_district(word):
    return bool(OUTWARD_CODE.match(word)) and any(ch.isdigit() for ch in word)


def postcode_districts(words):
    """The words with each postcode cut to its district: "iv36 3bn", "iv36 3" and "iv363bn"
    are all IV36, which is as near as the directory places anyone by postcode."""
    kept = []
    for word in words:
        whole = FULL_POSTCODE.match(word)
        if whole:
            kept.append(whole.group(1))
        elif kept and is_postcode_district(kept[-1]) and INWARD_PART.match(word):
            continue
        else:
            kept.append(word)
    return kept


def phrase_key(words):
    return tuple(stem(word) for word in normalise(words).split())


@lru_cache(maxsize=4)
def _build(rows, terms):
    """The vocabulary from SearchWord rows ((words, kind, term id, crisis), ...) and the
    terms ((kind, term), ...); kept while neither changes."""
    by_id = {(kind, term.pk): term for kind, term in terms}
    phrases, crisis = {}, set()
    spellings = []
    # The terms' own names first; a moderator's words may add to them.
    for kind, term in terms:
        meaning = Meaning(kind, term)
        key = phrase_key(term.name)
        if key and key not in phrases:
            phrases[key] = meaning
            spellings.append((normalise(term.name), meaning))
    for words, kind, term_id, is_crisis in rows:
        key = phrase_key(words)
        if not key:
            continue
        if is_crisis:
            crisis.add(key)
        elif (kind, term_id) in by_id:
            meaning = Meaning(kind, by_id[(kind, term_id)])
            phrases.setdefault(key, meaning)
            spellings.append((normalise(words), meaning))
    vocabulary = Vocabulary(phrases, crisis)
    for words, meaning in spellings:
        vocabulary.add_spelling(words, meaning)
    return vocabulary


def vocabulary():
    from directory import facets
    from directory.models import Area, Audience, Topic

    terms = tuple(
        (kind, term)
        for kind, model in (("topic", Topic), ("audience", Audience), ("area", Area))
        for term in facets.terms(model)
    )
    return _build(tuple(facets.search_words()), _Hashable(terms))


class _Hashable(tuple):
    """The terms, compared by what the vocabulary reads of them (kind, id, name, and whether
    an area stands for online groups, which its mark depends on)."""

    def __new__(cls, terms):
        return super().__new__(cls, terms)

    def _key(self):
        return tuple(
            (kind, term.pk, term.name, getattr(term, "is_online", None)) for kind, term in self
        )

    def __hash__(self):
        return hash(self._key())

    def __eq__(self, other):
        return isinstance(other, _Hashable) and self._key() == other._key()


def read(text):
    """What `text` asks for (see the module notes); read once per request, however many
    filters and suggestions ask."""
    from directory import facets

    return facets.once_per_request(("reading", text or ""), lambda: vocabulary().read(text or ""))
