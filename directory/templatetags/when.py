"""How a session's time is written on a page: "Tuesday 3 March, 10:30am–12:00pm".

Written here rather than with the `date` and `time` filters: those four filters were a third
of the time a result card took to make, and "what's on" writes fifty of these a page.
"""

from django import template
from django.utils import timezone
from django.utils.html import format_html

from directory.recurrence import DAY_NAMES, MONTH_NAMES, format_time

register = template.Library()


@register.simple_tag
def session_when(session, with_day=True):
    """A <time> for when `session` runs, in Moray's local time; the day left out when the
    page already gives it (`with_day=False`)."""
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    text = f"{format_time(starts)}–{format_time(ends)}"
    if with_day:
        day = f"{DAY_NAMES[starts.weekday()]} {starts.day} {MONTH_NAMES[starts.month - 1]}"
        text = f"{day}, {text}"
    return format_html('<time datetime="{}">{}</time>', starts.isoformat(), text)
