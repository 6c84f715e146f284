"""How allauth treats our organisers' accounts."""

from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string


class AccountAdapter(DefaultAccountAdapter):
    def send_account_already_exists_mail(self, email):
        """A sign-up with an address that has an account creates nothing, but a new account's
        password is hashed, which takes most of a sign-up's time: hash one here too, so how
        long a sign-up takes never tells anyone whether an address has an account."""
        make_password(get_random_string(32))
        super().send_account_already_exists_mail(email)
