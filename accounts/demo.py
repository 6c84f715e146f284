"""Sign-in accounts for the demo data, created only by `manage.py load_demo`.

Each demo organisation gets an admin and an editor, and there is one moderator. They share
one published password, so they must never exist outside a demo: every address is under
example.org (reserved for examples, so no real person has it), and `remove_demo_accounts`
finds them again by that address alone.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.db.models import Q

from accounts.models import Membership, User

DEMO_PASSWORD = "peer-support-demo"
MODERATOR_EMAIL = "moderator@example.org"
DEMO_DOMAIN = ".example.org"
ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR)


def organisation_account_email(organisation, role):
    return f"{role}@{organisation.slug}{DEMO_DOMAIN}"


def _save_user(email, first_name, is_staff=False):
    user, _ = User.objects.get_or_create(email=email)
    user.first_name = first_name
    user.is_staff = is_staff
    user.is_superuser = False
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    # Verified, so the account can sign in at once without a confirmation email.
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def load_demo_accounts(organisations):
    """Create or refresh the demo accounts; only demo organisations get any.

    Returns the accounts as (email, description) pairs, moderator first.
    """
    accounts = []
    with transaction.atomic():
        _save_user(MODERATOR_EMAIL, "Demo moderator", is_staff=True)
        accounts.append((MODERATOR_EMAIL, "moderator"))
        for organisation in organisations:
            if not organisation.is_demo:
                continue
            for role in ROLES:
                email = organisation_account_email(organisation, role)
                user = _save_user(email, f"Demo {role}")
                Membership.objects.update_or_create(
                    user=user, organisation=organisation, defaults={"role": role}
                )
                accounts.append((email, f"{role} of {organisation.name}"))
    return accounts


def demo_accounts():
    """Every account `load_demo_accounts` may have made."""
    organisation_accounts = Q(email__endswith=DEMO_DOMAIN) & (
        Q(email__startswith=f"{Membership.Role.ADMIN}@")
        | Q(email__startswith=f"{Membership.Role.EDITOR}@")
    )
    return User.objects.filter(Q(email=MODERATOR_EMAIL) | organisation_accounts)


def remove_demo_accounts():
    """Delete every demo account; returns how many there were."""
    accounts = demo_accounts()
    count = accounts.count()
    accounts.delete()
    return count
