""" "Report a problem" with a listing: public, no account, no session.

Only the form page sets a cookie (the CSRF token its form needs); nothing here touches the
session, so no session cookie is ever set for a reporter.
"""

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from directory import reports
from directory.moderation_forms import ReportForm
from directory.views import public_group


def too_many_reports(request, group):
    response = render(request, "directory/report_limited.html", {"group": group}, status=429)
    response["Retry-After"] = str(reports.WINDOW_SECONDS)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def group_report(request, slug):
    group = public_group(slug)
    if reports.limit_reached(request):
        return too_many_reports(request, group)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            reports.file_report(request, form, group)
            return redirect("group_report_thanks", group.slug)
    else:
        form = ReportForm()
    return render(request, "directory/report_form.html", {"group": group, "form": form})


@require_safe
def group_report_thanks(request, slug):
    return render(request, "directory/report_thanks.html", {"group": public_group(slug)})
