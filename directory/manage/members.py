"""An organisation's admins manage who can edit its listings; invitations bring people in."""

from allauth.account.adapter import get_adapter as get_account_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import services
from accounts.forms import InvitationForm, RoleForm
from accounts.models import Invitation
from directory import emails
from directory.manage.access import organisation_for_user


def members_page(request, organisation, form, status=200):
    return render(
        request,
        "organiser/members.html",
        {
            "organisation": organisation,
            "memberships": organisation.memberships.select_related("user").order_by(
                "role", "user__email"
            ),
            "invitations": organisation.invitations.usable().select_related("invited_by"),
            "form": form,
            "roles": RoleForm.base_fields["role"].choices,
        },
        status=status,
    )


@require_safe
@login_required
def member_list(request, slug):
    organisation, _ = organisation_for_user(request, slug, admin_only=True)
    return members_page(request, organisation, InvitationForm(organisation=organisation))


@require_POST
@login_required
def member_invite(request, slug):
    organisation, _ = organisation_for_user(request, slug, admin_only=True)
    form = InvitationForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return members_page(request, organisation, form, status=400)
    invitation = services.invite(
        organisation, form.cleaned_data["email"], form.cleaned_data["role"], request.user
    )
    emails.invitation(invitation)
    messages.success(request, f"Invitation sent to {invitation.email}.")
    return redirect("member_list", organisation.slug)


@require_POST
@login_required
def member_role(request, slug, membership_pk):
    organisation, _ = organisation_for_user(request, slug, admin_only=True)
    membership = get_object_or_404(
        organisation.memberships.select_related("user"), pk=membership_pk
    )
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership, form.cleaned_data["role"])
        except services.LastAdminError:
            messages.error(
                request, "Someone else needs to be an admin first: an organisation needs one."
            )
        else:
            messages.success(
                request, f"{membership.user} is now {membership.get_role_display().lower()}."
            )
    return redirect("member_list", organisation.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def member_remove(request, slug, membership_pk):
    """Asks first ("Remove … from …?"), then removes on POST and tells the person removed."""
    organisation, _ = organisation_for_user(request, slug, admin_only=True)
    membership = get_object_or_404(
        organisation.memberships.select_related("user"), pk=membership_pk
    )
    leaving = membership.user_id == request.user.pk
    if request.method != "POST":
        return render(
            request,
            "organiser/member_remove.html",
            {"organisation": organisation, "membership": membership, "leaving": leaving},
        )
    try:
        services.remove_member(membership)
    except services.LastAdminError:
        messages.error(
            request,
            "You're the only admin, so you can't leave."
            if leaving
            else "They're the only admin, so they can't be removed: an organisation needs one.",
        )
        return redirect("member_list", organisation.slug)
    if leaving:
        messages.success(request, f"You have left {organisation.name}.")
        return redirect("dashboard")
    emails.member_removed(membership.user, organisation, request.user)
    messages.success(
        request, f"{membership.user} no longer has access. We've emailed them to let them know."
    )
    return redirect("member_list", organisation.slug)


@require_POST
@login_required
def invitation_withdraw(request, slug, invitation_pk):
    organisation, _ = organisation_for_user(request, slug, admin_only=True)
    invitation = get_object_or_404(
        organisation.invitations.filter(accepted_at__isnull=True), pk=invitation_pk
    )
    invitation.delete()
    messages.success(request, f"The invitation to {invitation.email} is withdrawn.")
    return redirect("member_list", organisation.slug)


@require_http_methods(["GET", "HEAD", "POST"])
def invitation_accept(request, token):
    """Open to anyone holding the link: it explains how to sign in or sign up to accept it."""
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation", "invited_by"), token=token
    )
    ctx = {"invitation": invitation, "organisation": invitation.organisation}
    usable = Invitation.objects.usable().filter(pk=invitation.pk).exists()
    if not usable:
        return render(
            request, "organiser/invitation_accept.html", {**ctx, "unusable": True}, status=410
        )
    if not request.user.is_authenticated:
        return render(request, "organiser/invitation_accept.html", {**ctx, "anonymous": True})
    if not services.can_accept(request.user, invitation):
        return render(
            request, "organiser/invitation_accept.html", {**ctx, "wrong_person": True}, status=403
        )
    if request.method == "POST":
        try:
            membership, created = services.accept(invitation, request.user)
        except services.InvitationUnusable:
            return render(
                request, "organiser/invitation_accept.html", {**ctx, "unusable": True}, status=410
            )
        if created:
            messages.success(request, f"Welcome to {membership.organisation.name}.")
        else:
            messages.info(request, f"You're already a member of {membership.organisation.name}.")
        return redirect("dashboard")
    return render(request, "organiser/invitation_accept.html", ctx)


@require_safe
def invitation_signup(request, token):
    """The invitation's "Create an account": only its emailed link leads here, so it proves
    the mailbox. The sign-up form has the invited address filled in, that address counts as
    confirmed, and the invitation is accepted as the account is made
    (accounts.adapters.AccountAdapter.post_login)."""
    invitation = get_object_or_404(Invitation, token=token)
    usable = Invitation.objects.usable().filter(pk=invitation.pk).exists()
    if not usable or request.user.is_authenticated:
        return redirect("invitation_accept", token)
    get_account_adapter(request).stash_verified_email(request, invitation.email)
    services.remember_for_sign_up(request.session, invitation)
    return redirect("account_signup")
