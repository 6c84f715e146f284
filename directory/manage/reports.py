"""Problem reports from parents reach the organisers who can act on them: they see them on the
dashboard and the group's page, reply by email, and mark them dealt with (or reopen them)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from directory.manage.access import group_for_user
from directory.manage.groups import manage_url


@require_POST
@login_required
def report_resolve(request, pk, report_pk):
    group, _ = group_for_user(request, pk)
    report = get_object_or_404(group.reports, pk=report_pk)
    try:
        if report.resolve(request.user, request.POST.get("note", "")):
            messages.success(request, "Thank you: that report is marked dealt with.")
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + " ".join(error.messages))
    return redirect(manage_url(group, "reports"))


@require_POST
@login_required
def report_reopen(request, pk, report_pk):
    group, _ = group_for_user(request, pk)
    report = get_object_or_404(group.reports, pk=report_pk)
    if report.reopen():
        messages.success(request, "That report is open again.")
    return redirect(manage_url(group, "reports"))
