"""A shortlist of groups that lives only in the web address: no account, no cookie, no record.

The code is the groups' ids in base 36, joined by dashes (e.g. "k3-1f-9"), so a share link such
as /s/k3-1f-9/ is short enough to read out, type from a text message or fit in a QR code. Ids
never change, so a link handed to a family keeps working when a group is renamed.
"""

import string
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse

from directory.models import Group

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
    by_id = Group.objects.published().select_related("organisation").in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def page_path(ids):
    if not ids:
        return reverse("shortlist_empty")
    return reverse("shortlist", args=[encode(ids)])


def share_url(ids):
    return settings.SITE_URL + page_path(ids)


def share_message(url, count):
    groups = "is a group" if count == 1 else "are some groups"
    return (
        f"Hello, here {groups} for parents in Moray that you might like. "
        f"They're friendly and you can just go along: {url}"
    )


def sms_link(message):
    # "sms:?&body=" is the form both iPhones and Android phones understand.
    return "sms:?&body=" + quote(message)


def email_link(message):
    subject = "Peer support groups for parents in Moray"
    return f"mailto:?subject={quote(subject)}&body={quote(message)}"
