"""Evidence pages: a group's last 12 weeks and an organisation's groups over any dates for its
organisers, the demand report for moderators, and the "Was this helpful?" answer parents send
from a group page."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from directory.manage.access import group_for_user, organisation_for_user
from directory.moderation.access import moderator_required
from directory.public.lookups import public_group
from evidence import charts, counting, helpful
from evidence.demand import demand_report, search_totals, whole_searches
from evidence.forms import DateRangeForm, HelpfulForm
from evidence.group_evidence import group_weeks, organisation_views, totals
from evidence.models import Metric
from evidence.organisation_evidence import organisation_report
from moray_peer import spreadsheets
from moray_peer.security import public_post

CHARTS = [
    ("views", "Page views", lambda week: week.views),
    ("referrals", "On a shortlist or referral sheet", lambda week: week.referral_uses),
    ("calendar", "Calendar downloads", lambda week: week.calendar_downloads),
    ("helpful", "Parents who said the page helped", lambda week: week.helpful_yes),
]
GROUP_CSV_COLUMNS = [
    ("week_beginning", lambda week: week.starts_on.isoformat()),
    ("page_views", lambda week: week.views),
    ("on_a_shortlist_opened", lambda week: week.shortlisted),
    ("printed_on_referral_sheet", lambda week: week.printed),
    ("calendar_downloads", lambda week: week.calendar_downloads),
    ("helpful_yes", lambda week: week.helpful_yes),
    ("helpful_no", lambda week: week.helpful_no),
    ("found_a_group", lambda week: week.count(Metric.FOUND_GROUP)),
    ("found_the_times", lambda week: week.count(Metric.FOUND_TIMES)),
    ("found_how_to_get_there", lambda week: week.count(Metric.FOUND_DIRECTIONS)),
]


def csv_response(filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@login_required
def group_evidence(request, pk):
    group, _ = group_for_user(request, pk)
    weeks = group_weeks(group)
    ctx = {
        "group": group,
        "weeks": weeks,
        "totals": totals(weeks),
        "charts": [
            charts.bar_chart(chart_id, title, weeks, [value(w) for w in weeks])
            for chart_id, title, value in CHARTS
        ],
        "organisation_views": organisation_views(
            group.organisation, weeks[0].starts_on, timezone.localdate()
        ),
    }
    return render(request, "evidence/group_evidence.html", ctx)


@require_safe
@login_required
def group_evidence_csv(request, pk):
    group, _ = group_for_user(request, pk)
    response = csv_response(f"{group.slug}-last-12-weeks.csv")
    writer = csv.writer(response)
    writer.writerow([name for name, _ in GROUP_CSV_COLUMNS])
    for week in group_weeks(group):
        writer.writerow([value(week) for _, value in GROUP_CSV_COLUMNS])
    return response


# The organisation report's columns: (CSV heading, page heading, metric).
ORGANISATION_COLUMNS = [
    ("page_views", "Page views", Metric.GROUP_VIEW),
    ("on_a_shortlist_opened", "On a shortlist", Metric.SHORTLIST_OPEN),
    ("printed_on_referral_sheet", "On a referral sheet", Metric.REFERRAL_PRINT),
    ("calendar_downloads", "Calendar downloads", Metric.CALENDAR_DOWNLOAD),
    ("helpful_yes", "Said it helped", Metric.HELPFUL_YES),
    ("helpful_no", "Said it didn't", Metric.HELPFUL_NO),
]


@require_safe
@login_required
def organisation_evidence(request, slug):
    organisation, _ = organisation_for_user(request, slug)
    form = DateRangeForm(request.GET)
    start, end = form.dates()
    rows, summed = organisation_report(organisation, start, end)
    ctx = {
        "organisation": organisation,
        "form": form,
        "start": start,
        "end": end,
        "headings": [heading for _, heading, _ in ORGANISATION_COLUMNS],
        "rows": [
            (row.group, [row.count(metric) for _, _, metric in ORGANISATION_COLUMNS])
            for row in rows
        ],
        "totals": [summed[metric] for _, _, metric in ORGANISATION_COLUMNS],
        "organisation_views": summed[Metric.ORGANISATION_VIEW],
        "embed_views": summed[Metric.EMBED_VIEW],
        "csv_query": f"start={start.isoformat()}&end={end.isoformat()}",
    }
    return render(request, "evidence/organisation_evidence.html", ctx)


@require_safe
@login_required
def organisation_evidence_csv(request, slug):
    organisation, _ = organisation_for_user(request, slug)
    start, end = DateRangeForm(request.GET).dates()
    rows, summed = organisation_report(organisation, start, end)
    response = csv_response(f"{organisation.slug}-{start.isoformat()}-to-{end.isoformat()}.csv")
    writer = csv.writer(response)
    writer.writerow(["group", *(name for name, _, _ in ORGANISATION_COLUMNS)])
    for row in rows:
        writer.writerow(
            [
                spreadsheets.defuse(row.group.name),
                *(row.count(metric) for _, _, metric in ORGANISATION_COLUMNS),
            ]
        )
    writer.writerow(["All groups", *(summed[metric] for _, _, metric in ORGANISATION_COLUMNS)])
    writer.writerow(["Organisation page views", summed[Metric.ORGANISATION_VIEW]])
    writer.writerow(["Views on partners' websites", summed[Metric.EMBED_VIEW]])
    return response


@require_safe
@moderator_required
def demand(request):
    form = DateRangeForm(request.GET)
    start, end = form.dates()
    totals = search_totals(start, end)
    ctx = {
        "form": form,
        "start": start,
        "end": end,
        "tables": demand_report(start, end, totals),
        "whole_searches": whole_searches(start, end, totals),
        "csv_query": f"start={start.isoformat()}&end={end.isoformat()}",
    }
    return render(request, "evidence/demand_report.html", ctx)


@require_safe
@moderator_required
def demand_csv(request):
    start, end = DateRangeForm(request.GET).dates()
    response = csv_response(f"demand-{start.isoformat()}-to-{end.isoformat()}.csv")
    writer = csv.writer(response)
    writer.writerow(["pair", "area", "topic_or_format", "searches", "found_nothing", "groups"])
    totals = search_totals(start, end)
    for table in demand_report(start, end, totals):
        for cell in table.cells:
            writer.writerow(
                [
                    f"area-{table.facet}",
                    spreadsheets.defuse(cell.area_name),
                    spreadsheets.defuse(cell.facet_name),
                    cell.searches,
                    cell.found_nothing,
                    cell.groups,
                ]
            )
    for search in whole_searches(start, end, totals):
        writer.writerow(
            [
                "whole-search",
                "",
                spreadsheets.defuse(search.label),
                search.searches,
                search.found_nothing,
                search.groups,
            ]
        )
    return response


# Why this form needs no CSRF token: the group page must set no cookie, so it cannot carry
# Django's CSRF cookie; cross-site POSTs are refused by the browser's own headers instead
# (public_post). It acts for no one (no session or account is read or changed), accepts only
# the known answers, and is rate-limited per visitor.
@public_post
@require_POST
def group_helpful(request, slug):
    group = public_group(slug)
    form = HelpfulForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(
            "We couldn't read that answer.", content_type="text/plain; charset=utf-8"
        )
    if helpful.HELPFUL_LIMIT.take(request) and counting.is_countable(request):
        counting.record([(metric, group.pk) for metric in form.metrics()])
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"thanks": True})
    url = f"{group.get_absolute_url()}?{counting.THANKS_PARAM}={counting.THANKS_VALUE}#helpful"
    return redirect(url)
