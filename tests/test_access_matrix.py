"""Who may do what: every organiser and moderator URL, walked from the URLconf, for anonymous
visitors, another organisation's admin, an editor, an admin and a moderator, by GET and POST.

A new view under /manage/ or /moderation/ is in this matrix as soon as it is routed. If the
expected answer for it cannot be worked out (an URL argument with no object to fill it, or a
view that does not declare its HTTP methods), its test fails and says what is missing.
"""

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.urlwalk import ADMIN_ONLY, SIGNED_LINK, Underivable, World, allowed_methods, routes

pytestmark = pytest.mark.django_db

ORGANISER_ROUTES = routes(("manage/",))
MODERATOR_ROUTES = routes(("moderation/",))

# Pages whose link is the key: anyone may open it, only the invited person may use it.
INVITATION = {"invitation_accept"}
# Its "Create an account" button: a signed-out visitor goes on to sign up, anyone signed in
# back to the invitation.
INVITATION_SIGN_UP = {"invitation_signup"}
# A member's own choices: a moderator outside the organisation has none to make there.
MEMBERS_OWN = {"session_emails"}

ANONYMOUS, STRANGER, EDITOR, ADMIN, MODERATOR = (
    "anonymous",
    "other organisation's admin",
    "editor",
    "admin",
    "moderator",
)
ROLES = [ANONYMOUS, STRANGER, EDITOR, ADMIN, MODERATOR]


def expected_access(route, role):
    """What `role` gets from `route` by a method the view accepts."""
    if route.route.startswith("moderation/"):
        return {ANONYMOUS: "login", MODERATOR: "ok"}.get(role, "403")
    if route.name in INVITATION:
        return "200" if role == ANONYMOUS else "403"  # none of them is the invited person
    if route.name in INVITATION_SIGN_UP:
        return f"302 to {reverse('account_signup')}" if role == ANONYMOUS else "ok"
    if route.name in SIGNED_LINK:
        return "ok"
    if role == ANONYMOUS:
        return "login"
    if not route.arguments():  # about no organisation in particular: any organiser
        return "ok"
    if role == STRANGER:
        return "404"
    if role == EDITOR and route.name in ADMIN_ONLY:
        return "403"
    if role == MODERATOR and route.name in MEMBERS_OWN:
        return "404"
    return "ok"


def expected(route, role, method):
    """The acceptable outcomes of one cell of the matrix."""
    access = expected_access(route, role)
    if method in allowed_methods(route.view):
        return {access}
    # A method the view refuses: 405, unless the access check answers first.
    return {"405"} if access == "ok" else {"405", access}


# Answers that show the view did its work (an empty form is refused with 400, a venue still
# in use with 409), as opposed to the access checks' login redirect, 403, 404 and 405.
WORKED = {200, 400, 409}


def outcome(response):
    """A response, named as the matrix names it."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("account_login")):
            return "login"
        if location.startswith("/accounts/"):
            return f"302 to {location}"
        return "ok"
    if response.status_code in WORKED:
        return "ok"
    return str(response.status_code)


def run_cell(world, route, role, method):
    """One request, in a transaction rolled back afterwards (so a delete spares the next)."""
    client = Client()
    person = world.people()[role]
    if person is not None:
        client.force_login(person)
    with transaction.atomic():
        path = world.path(route)
        response = client.get(path) if method == "GET" else client.post(path, {})
        transaction.set_rollback(True)
    result = outcome(response)
    # An allowed "ok" answer to the invitation page is a 200, not a redirect elsewhere.
    if result == "ok" and route.name in INVITATION:
        result = str(response.status_code)
    return result


@pytest.mark.parametrize("route", ORGANISER_ROUTES + MODERATOR_ROUTES, ids=lambda r: r.label)
def test_access_matrix(route):
    world = World()
    try:
        cells = [
            (role, method, expected(route, role, method))
            for role in ROLES
            for method in ("GET", "POST")
        ]
        world.path(route)
    except Underivable as exc:
        pytest.fail(f"Cannot work out who may use {route.label}: {exc}")
    wrong = []
    for role, method, acceptable in cells:
        got = run_cell(world, route, role, method)
        if got not in acceptable:
            wrong.append(
                f"{method} as {role}: got {got}, expected {' or '.join(sorted(acceptable))}"
            )
    assert not wrong, f"{route.label}\n" + "\n".join(wrong)


def test_the_matrix_covers_the_organiser_and_moderator_pages():
    names = {route.name for route in ORGANISER_ROUTES + MODERATOR_ROUTES}
    assert {"dashboard", "group_edit", "date_cancel", "moderation_overview"} <= names
    assert names >= ADMIN_ONLY, f"ADMIN_ONLY names unknown views: {ADMIN_ONLY - names}"
