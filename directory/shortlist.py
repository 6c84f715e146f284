"""A shortlist of groups that lives only in the web address: no account, no cookie, no record.

The code is the groups' ids in base 36, joined by dashes (e.g. "k3-1f-9"), so a share link such
as /s/k3-1f-9/ is short enough to read out, type from a text message or fit in a QR code. Ids
never change, so a link handed to a family keeps working when a group is renamed.
"""

import math
import string
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from directory.models import Group
from directory.recurrence import DAY_NAMES, MONTH_NAMES, format_time

# What fits on one printed A4 referral sheet.
MAX_GROUPS = 6
# The query-string name that carries the shortlist from page to page.
PARAM = "shortlist"
DIGITS = string.digits + string.ascii_lowercase
DIGIT_SET = frozenset(DIGITS)
# Ignore anything past this many parts: a hand-edited or hostile link costs nothing to read.
MAX_PARTS = 20
MAX_PART_LENGTH = 12


def to_base36(number):
    digits = ""
    while True:
        number, remainder = divmod(number, 36)
        digits = DIGITS[remainder] + digits
        if number == 0:
            return digits


def decode(code):
    """The group ids in `code`, in order, without repeats or anything unreadable."""
    ids = []
    for part in (code or "").strip().lower().split("-")[:MAX_PARTS]:
        if not part or len(part) > MAX_PART_LENGTH or not set(part) <= DIGIT_SET:
            continue
        group_id = int(part, 36)
        if group_id > 0 and group_id not in ids:
            ids.append(group_id)
    return ids[:MAX_GROUPS]


def encode(ids):
    return "-".join(to_base36(group_id) for group_id in ids)


def toggled(ids, group_id):
    """The shortlist with `group_id` taken off if it is on, or added at the end if there's room."""
    if group_id in ids:
        return [i for i in ids if i != group_id]
    if len(ids) >= MAX_GROUPS:
        return list(ids)
    return [*ids, group_id]


def public_groups(ids):
    """The published groups among `ids`, in shortlist order."""
    by_id = (
        Group.objects.published()
        .select_related("organisation")
        .prefetch_related("audiences")
        .in_bulk(ids)
    )
    return [by_id[i] for i in ids if i in by_id]


def page_path(ids):
    if not ids:
        return reverse("shortlist_empty")
    return reverse("shortlist", args=[encode(ids)])


def share_url(ids):
    return settings.SITE_URL + page_path(ids)


def message_line(number, group):
    """One group in a text message: name, next date and time, town, how to go and a phone,
    so the family knows where and when even if the link never loads."""
    parts = [f"{number}) {group.name}"]
    session = getattr(group, "next_session", None)
    if session and not group.booked_service:
        starts = timezone.localtime(session.starts_at)
        day = f"{DAY_NAMES[starts.weekday()][:3]} {starts.day} {MONTH_NAMES[starts.month - 1][:3]}"
        place = session.venue.town if session.venue else group.remote_words.lower()
        parts.append(f"{day} {format_time(starts)}, {place}")
    elif group.booked_service:
        parts.append("A service you arrange: get in touch for a time")
    else:
        parts.append("ask for the next date")
    if group.drop_in:
        parts.append(f"Drop in, call {group.contact_number}" if group.contact_number else "Drop in")
    else:
        parts.append(group.booking_words)
    return gsm_safe(". ".join(parts))


def share_message(url, groups):
    """The text or email a health visitor sends: each group in a line, the link last."""
    if not groups:
        return f"Peer support groups for parents in Moray: {url}"
    lines = ["Groups for parents in Moray you might like:"]
    lines += [message_line(number, group) for number, group in enumerate(groups, start=1)]
    lines.append(f"Details: {url}")
    return "\n".join(lines)


# GSM 03.38, the alphabet a text message is sent in unless one character falls outside it,
# when the whole message goes as UCS-2 and fits less than half as much in each part.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENDED = frozenset("^{}\\[~]|€\f")  # each takes two places
# Typographic characters that would push a message out of GSM, and their plain forms.
PLAIN = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "..."})


def gsm_safe(text):
    return text.translate(PLAIN)


def sms_segments(text):
    """How many text messages `text` is sent as: 160 GSM characters in one, 153 a part when
    split; 70 and 67 when any character needs UCS-2."""
    if all(c in GSM_BASIC or c in GSM_EXTENDED for c in text):
        length = sum(2 if c in GSM_EXTENDED else 1 for c in text)
        single, part = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
    return 1 if length <= single else math.ceil(length / part)


def sms_link(message):
    # "sms:?&body=" is the form both iPhones and Android phones understand.
    return "sms:?&body=" + quote(message)


def email_link(message):
    subject = "Peer support groups for parents in Moray"
    return f"mailto:?subject={quote(subject)}&body={quote(message)}"
