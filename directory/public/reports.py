""" "Report a problem" with a listing: public, no account, no session.

No cookie is set: the form carries no CSRF token and is protected instead by what the
browser says of where it was sent from (moray_peer.security.public_post), and nothing here
touches the session. Each visitor may send a few reports in a window; the group's organisers
and the moderators are emailed each one.
"""

from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from directory import emails
from directory.public.forms import ReportForm
from directory.public.lookups import public_group
from moray_peer.ratelimit import PublicLimit
from moray_peer.security import public_post

REPORT_LIMIT = PublicLimit("report", per_window=5, window_seconds=10 * 60)


def too_many_reports(request, group):
    response = render(request, "directory/report_limited.html", {"group": group}, status=429)
    response["Retry-After"] = str(REPORT_LIMIT.window_seconds)
    return response


@transaction.atomic
def file_report(form, group):
    """Save the report and email everyone concerned."""
    report = form.save(commit=False)
    report.group = group
    report.save()
    emails.problem_reported(report)
    return report


@public_post
@require_http_methods(["GET", "HEAD", "POST"])
def group_report(request, slug):
    group = public_group(slug)
    if REPORT_LIMIT.reached(request):
        return too_many_reports(request, group)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            # Counted before anything is saved or sent: reports sent at the same moment
            # each take one of the allowance, and the one over it is refused.
            if not REPORT_LIMIT.take(request):
                return too_many_reports(request, group)
            file_report(form, group)
            return redirect("group_report_thanks", group.slug)
    else:
        form = ReportForm()
    return render(request, "directory/report_form.html", {"group": group, "form": form})


@require_safe
def group_report_thanks(request, slug):
    return render(request, "directory/report_thanks.html", {"group": public_group(slug)})
