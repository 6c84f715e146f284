"""How a session's time is written on a page: "Tuesday 3 March, 10:30am–12:00pm", or "Today,
6:30pm–8:00pm" and "Tomorrow, ...".

Written here rather than with the `date` and `time` filters: those four filters were a third
of the time a result card took to make, and "what's on" writes fifty of these a page.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html

from directory.recurrence import DAY_NAMES, MONTH_NAMES, format_time

register = template.Library()


@register.simple_tag
def session_when(session, with_day=True, today=None):
    """A <time> for when `session` runs, in Moray's local time: "Today, 6:30pm–8:00pm",
    "Tomorrow, 10:00am–11:30am", "Thursday 5 March, 10:00am–11:30am"; the day left out when
    the page already gives it (`with_day=False`). `today` is the local date (tests)."""
    starts = timezone.localtime(session.starts_at)
    ends = timezone.localtime(session.ends_at)
    text = f"{format_time(starts)}–{format_time(ends)}"
    if with_day:
        today = today or timezone.localdate()
        if starts.date() == today:
            day = "Today"
        elif starts.date() == today + datetime.timedelta(days=1):
            day = "Tomorrow"
        else:
            day = f"{DAY_NAMES[starts.weekday()]} {starts.day} {MONTH_NAMES[starts.month - 1]}"
        text = f"{day}, {text}"
    return format_html('<time datetime="{}">{}</time>', starts.isoformat(), text)
