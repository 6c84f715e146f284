"""A new organisation asks to list its groups. The applicant becomes its first admin."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Membership, Organisation
from accounts.signup_forms import OrganisationSignupForm
from directory import emails


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_signup(request):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        # A plain page with no form, so no cookie: it explains and links to sign-up.
        return render(request, "accounts/organisation_signup_signin.html")
    form = OrganisationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            organisation = form.save(commit=False)
            organisation.status = Organisation.Status.PENDING
            organisation.save()
            Membership.objects.create(
                user=request.user, organisation=organisation, role=Membership.Role.ADMIN
            )
            emails.new_organisation(organisation, request.user)
        return redirect("organisation_signup_done")
    return render(request, "accounts/organisation_signup.html", {"form": form})


@require_safe
@login_required
def organisation_signup_done(request):
    waiting = Organisation.objects.filter(
        memberships__user=request.user, status=Organisation.Status.PENDING
    )
    return render(request, "accounts/organisation_signup_done.html", {"waiting": waiting})
