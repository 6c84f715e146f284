"""Moderators' CSV pages: download the directory, upload changes, preview, then apply."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from directory.moderation.access import moderator_required
from opendata import csv_io
from opendata.forms import ApplyForm, ExportForm, ImportForm, sign_upload


@require_safe
@moderator_required
def export(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        raise Http404("No such organisation")
    organisation = form.cleaned_data["organisation"]
    today = timezone.localdate()
    name = organisation.slug if organisation else "moray-peer-support"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{today}.csv"'
    # The byte-order mark tells spreadsheet programs the file is UTF-8.
    response.write("\ufeff")
    csv_io.write_csv(csv_io.export_groups(organisation), today, response)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@moderator_required
def upload(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        organisation, content = form.cleaned_data["organisation"], form.cleaned_data["file"]
        plan = csv_io.plan_import(organisation, content, timezone.localdate())
        return preview(request, plan, sign_upload(organisation, content))
    return render(
        request,
        "opendata/csv_import.html",
        {"form": form, "export_form": ExportForm(), "columns": csv_io.COLUMNS},
    )


def preview(request, plan, signed_upload):
    ctx = {"plan": plan, "apply_form": ApplyForm(initial={"upload": signed_upload})}
    return render(request, "opendata/csv_preview.html", ctx)


@require_POST
@moderator_required
def apply(request):
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["upload"]))
        return redirect("csv_import")
    organisation, content = form.cleaned_data["upload"]
    today = timezone.localdate()
    # Planned afresh: the directory may have changed since the preview.
    plan = csv_io.plan_import(organisation, content, today)
    if plan.errors:
        return preview(request, plan, form.data["upload"])
    csv_io.apply_plan(plan, today)
    messages.success(
        request,
        f"Saved {plan.count('new')} new and {plan.count('changed')} changed listings for "
        f"{organisation.name}.",
    )
    return redirect("csv_import")
