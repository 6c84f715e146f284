"""Problem reports from the public: a rate limit per visitor, and telling the right people.

The limit is counted in the shared cache under a keyed hash of the visitor's IP address: the
address itself is never stored, and the count disappears when its window ends.
"""

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac

from directory.moderation import member_emails, moderator_emails, send_to_each, site_url

REPORTS_PER_WINDOW = 5
WINDOW_SECONDS = 10 * 60


def _limit_key(request):
    # The same client IP allauth's own rate limits use (it knows about trusted proxies).
    ip = get_adapter(request).get_client_ip(request)
    return "report-limit:" + salted_hmac("directory.reports", ip).hexdigest()


def limit_reached(request):
    return cache.get(_limit_key(request), 0) >= REPORTS_PER_WINDOW


def count_report(request):
    key = _limit_key(request)
    # add() starts the window only if none is running; incr() keeps its expiry.
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        cache.incr(key)
    except ValueError:  # the window ended between the two calls
        cache.add(key, 1, timeout=WINDOW_SECONDS)


def file_report(request, form, group):
    """Save the report, count it against the sender's limit and email everyone concerned."""
    report = form.save(commit=False)
    report.group = group
    report.save()
    count_report(request)
    organisation = group.organisation
    send_to_each(
        member_emails(organisation) + moderator_emails(),
        f"Problem reported with {group.name}",
        "moderation/email/report.txt",
        {
            "report": report,
            "group": group,
            "group_url": site_url(group.get_absolute_url()),
            "moderation_url": site_url(reverse("moderation_overview")) + "#reports",
        },
        reply_to=report.email or None,
    )
    return report
