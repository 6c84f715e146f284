"""The urgent-help numbers, kept here once: the "Need help now?" panel on every page (the crisis
search, the help page and the offline page too), the printed referral sheet and the service
worker's saved copies all read them from this list.

Each number is printed as the service's own page gives it, with that page's address and the day
we read it beside it. Check them again against the live pages whenever this list is touched.
"""

import datetime
import hashlib
from dataclasses import dataclass

# The day each source below was read. The pages were read as stored copies, not live.
READ_ON = datetime.date(2026, 12, 1)


@dataclass(frozen=True)
class Helpline:
    name: str
    number: str  # as printed, spaced the way the service prints it
    when: str  # when someone answers, in the panel's words
    source: str  # the page the number, the hours and the cost come from
    text_word: str = ""  # a text line: the word to send to `number`
    free: bool = False  # the source says it costs nothing
    for_whom: str = ""  # who the line is for, when it is not everyone
    sheet_label: str = ""  # the printed sheet's short form, when "name, when" is too long
    checked: datetime.date = READ_ON

    @property
    def digits(self):
        return self.number.replace(" ", "")

    @property
    def href(self):
        if self.text_word:
            # "?&body=" opens the messages app with the word typed in on Android and on iPhone
            # (iOS 8 and later read "&body=", Android "?body="):
            # https://communications.uams.edu/web/kb/creating-an-sms-link and
            # https://stackoverflow.com/questions/6480462/how-to-pre-populate-the-sms-body-text-via-an-html-link
            # The words "Text SHOUT to 85258" are printed as the link too, for phones that
            # open the app empty.
            return f"sms:{self.digits}?&body={self.text_word}"
        return f"tel:{self.digits}"

    @property
    def action(self):
        """What to do, in the words printed as the link: "call 116 123", "text SHOUT to 85258"."""
        if self.text_word:
            return f"text {self.text_word} to {self.number}"
        return f"call {self.number}"

    @property
    def link_words(self):
        """The link's own words: the number alone for a call, the whole instruction for a text."""
        return self.action.removeprefix("call ")

    @property
    def sheet_words(self):
        return self.sheet_label or ", ".join(part for part in (self.name, self.when) if part)

    @property
    def sheet_number(self):
        return self.action[0].upper() + self.action[1:] if self.text_word else self.number


EMERGENCY = Helpline(
    name="In an emergency",
    for_whom="or if you or your baby are in danger",
    number="999",
    when="",
    # "Phone 999 or go to A&E if: You have: a life or limb threatening emergency".
    source="https://www.nhs24.scot/111/",
    sheet_label="Emergency",
)

HELPLINES = (
    Helpline(
        name="NHS 24",
        number="111",
        when="day or night",
        # nhs24.scot: "Phone 111 if ... you need support with mental health distress".
        # "day or night": gov.scot, Right Care Right Place, "calling NHS 24 on 111 - day or
        # night", https://gov.scot/publications/right-care-right-place-2/pages/5
        # Free: "NHS 24 - Call free on 111",
        # http://www.nhsborders.scot.nhs.uk/patients-and-visitors/right-care,-right-place/nhs24/
        source="https://www.nhs24.scot/111/",
        free=True,
    ),
    Helpline(
        name="Samaritans",
        number="116 123",
        when="any time",
        # "free to call from both landlines and mobiles"; "available 24 hours a day, every day
        # of the year": https://samaritans.org/branches/coventry/coventry-branch-news/coventry-samaritans-will-be-open-usual-over-christmas
        source="https://www.samaritans.org/how-we-can-help/contact-samaritan/",
        free=True,
    ),
    Helpline(
        name="PANDAS text line",
        number="85258",
        text_word="PANDAS",
        when="any time",
        for_whom="in pregnancy or after having a baby",
        # PANDAS Foundation with Mental Health Innovations (who run Shout), launched January
        # 2022: free, confidential, any time of day or night, for anyone affected by
        # perinatal mental illness.
        source="https://mentalhealthinnovations.org/news-and-information/latest-news/maternal-mental-health-in-discussion-with-sally-bunkham-communications-and-development-manager-at-pandas-foundation/",
        sheet_label="PANDAS, pregnancy and after birth",
        free=True,
    ),
    Helpline(
        name="Shout",
        number="85258",
        text_word="SHOUT",
        when="any time",
        # FAQ "Last updated 4 November 2024": "a free, 24/7 text messaging mental health
        # support service"; text 'SHOUT' to '85258'; for anyone resident in the UK.
        source="https://giveusashout.org/about-us/faq/",
        free=True,
    ),
    Helpline(
        name="Breathing Space",
        number="0800 83 85 87",
        # "Weekdays: Monday-Thursday 6pm to 2am; Weekend: Friday 6pm-Monday 6am"; "Call free";
        # "This service is for people in Scotland" (the header of every page of the site).
        when="evenings and weekends (Monday to Thursday 6pm to 2am, Friday 6pm to Monday 6am)",
        source="https://www.breathingspace.scot/news/2022/springfield-unveils-breathing-space-bench-in-blairgowrie/",
        sheet_label="Breathing Space, evenings and weekends",
        free=True,
    ),
)


def digest():
    """Changes whenever a number, its hours or its source does: the service worker carries it,
    so phones fetch the saved help and offline pages again with the new numbers."""
    lines = (EMERGENCY, *HELPLINES)
    return hashlib.sha256(repr(lines).encode()).hexdigest()[:12]
