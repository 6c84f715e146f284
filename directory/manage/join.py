"""A new organisation asks to list its groups. The applicant becomes its first admin."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from accounts.models import Membership, Organisation, User
from accounts.signup_forms import OrganisationSignupForm
from directory import emails
from moray_peer.ratelimit import PublicLimit

# Each application emails every moderator: a few a day from one connection, and a few
# waiting at once from one account, are more than any real organisation sends.
JOIN_LIMIT = PublicLimit("join", per_window=3, window_seconds=24 * 60 * 60)
MOST_APPLICATIONS_WAITING = 3


def applications_waiting(user):
    return Organisation.objects.filter(
        memberships__user=user, status=Organisation.Status.PENDING
    ).count()


def too_many_applications(request):
    response = render(request, "accounts/organisation_signup_limited.html", status=429)
    response["Retry-After"] = str(JOIN_LIMIT.window_seconds)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_signup(request):
    if not request.user.is_authenticated:
        if request.method == "POST":
            return redirect_to_login(request.get_full_path())
        # A plain page with no form, so no cookie: it explains and links to sign-up.
        return render(request, "accounts/organisation_signup_signin.html")
    if request.method == "POST" and (
        JOIN_LIMIT.reached(request)
        or applications_waiting(request.user) >= MOST_APPLICATIONS_WAITING
    ):
        return too_many_applications(request)
    form = OrganisationSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not JOIN_LIMIT.take(request):
            return too_many_applications(request)
        with transaction.atomic():
            # One application at a time per account, so two sent at once count each other.
            User.objects.select_for_update().filter(pk=request.user.pk).exists()
            if applications_waiting(request.user) >= MOST_APPLICATIONS_WAITING:
                return too_many_applications(request)
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
