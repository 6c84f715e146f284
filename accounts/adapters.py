"""How allauth treats our organisers' accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string

from accounts import services


class AccountAdapter(DefaultAccountAdapter):
    def send_account_already_exists_mail(self, email):
        """A sign-up with an address that has an account creates nothing, but a new account's
        password is hashed, which takes most of a sign-up's time: hash one here too, so how
        long a sign-up takes never tells anyone whether an address has an account."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)

    def unstash_verified_email(self, request):
        """allauth would give a new account the stashed address, confirmed, whatever address
        was typed. Here the stash (the address an invitation's link was sent to, put there by
        directory.manage.members.invitation_signup) only fills in the sign-up form, and
        confirms that address only if it is the one typed (allauth's is_email_verified)."""
        return None

    def post_login(self, request, user, **kwargs):
        """A sign-up that began at an invitation's link ends as a member, with no second click."""
        response = super().post_login(request, user, **kwargs)
        if kwargs.get("signup"):
            super().unstash_verified_email(request)  # used up: it vouches for nothing more
            membership = services.accept_on_sign_up(request.session, user)
            if membership is not None:
                messages.success(request, f"Welcome to {membership.organisation.name}.")
        return response
