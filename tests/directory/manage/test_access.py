"""Who may open each organiser page, as a matrix: every view against every kind of visitor.

anonymous → sent to sign in; a stranger (who runs another organisation) → 404; the
organisation's editor → allowed, except member management and history (403); its admin and any
moderator → allowed. State changes are POST only: a GET gives 405.
"""

import pytest
from django.urls import URLResolver, reverse

from tests.accounts.organiser_world import make_world

pytestmark = pytest.mark.django_db


def day(world):
    return world.session_dates[0].isoformat()


def first_record(model_history, **lookup):
    return model_history.filter(**lookup).order_by("history_id").first().history_id


def open_report(world):
    from directory.models import Report

    return Report.objects.create(group=world.group, kind=Report.Kind.WRONG_TIME)


# (url name, method, url kwargs from the world, POST data, who-may: "members" or "admins")
VIEWS = [
    ("group_manage", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("group_edit", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("group_edit", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("group_confirm", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("group_still_on", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("group_publish", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("group_pause", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("group_delete", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("group_delete", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("group_history", "get", lambda w: {"pk": w.group.pk}, None, "admins"),
    (
        "group_restore",
        "post",
        lambda w: {
            "pk": w.group.pk,
            "kind": "group",
            "record_pk": first_record(w.group.history),
        },
        {},
        "admins",
    ),
    (
        "group_report_resolve",
        "post",
        lambda w: {"pk": w.group.pk, "report_pk": open_report(w).pk},
        {"note": "Fixed the time"},
        "members",
    ),
    (
        "group_report_reopen",
        "post",
        lambda w: {"pk": w.group.pk, "report_pk": open_report(w).pk},
        {},
        "members",
    ),
    ("group_evidence", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("group_evidence_csv", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("schedule_create", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("schedule_create", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    (
        "schedule_edit",
        "get",
        lambda w: {"pk": w.group.pk, "schedule_pk": w.schedule.pk},
        None,
        "members",
    ),
    (
        "schedule_venue",
        "get",
        lambda w: {"pk": w.group.pk, "schedule_pk": w.schedule.pk},
        None,
        "members",
    ),
    (
        "schedule_delete",
        "get",
        lambda w: {"pk": w.group.pk, "schedule_pk": w.schedule.pk},
        None,
        "members",
    ),
    (
        "schedule_delete",
        "post",
        lambda w: {"pk": w.group.pk, "schedule_pk": w.schedule.pk},
        {},
        "members",
    ),
    ("pause_create", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    (
        "pause_edit",
        "get",
        lambda w: {"pk": w.group.pk, "pause_pk": w.pause.pk},
        None,
        "members",
    ),
    (
        "pause_delete",
        "post",
        lambda w: {"pk": w.group.pk, "pause_pk": w.pause.pk},
        {},
        "members",
    ),
    ("date_cancel", "get", lambda w: {"pk": w.group.pk, "day": day(w)}, None, "members"),
    (
        "date_cancel",
        "post",
        lambda w: {"pk": w.group.pk, "day": day(w)},
        {"note": "Poorly"},
        "members",
    ),
    (
        "cancellation_undo",
        "post",
        lambda w: {"pk": w.group.pk, "cancellation_pk": w.cancellation.pk},
        {},
        "members",
    ),
    ("extra_create", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    (
        "extra_edit",
        "get",
        lambda w: {"pk": w.group.pk, "extra_pk": w.extra.pk},
        None,
        "members",
    ),
    (
        "extra_delete",
        "post",
        lambda w: {"pk": w.group.pk, "extra_pk": w.extra.pk},
        {},
        "members",
    ),
    ("calendar_feed", "get", lambda w: {"pk": w.group.pk}, None, "members"),
    ("calendar_feed", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("calendar_feed_stop", "post", lambda w: {"pk": w.group.pk}, {}, "members"),
    ("venue_list", "get", lambda w: {"slug": w.organisation.slug}, None, "members"),
    ("organisation_evidence", "get", lambda w: {"slug": w.organisation.slug}, None, "members"),
    (
        "organisation_evidence_csv",
        "get",
        lambda w: {"slug": w.organisation.slug},
        None,
        "members",
    ),
    ("venue_create", "get", lambda w: {"slug": w.organisation.slug}, None, "members"),
    ("venue_edit", "get", lambda w: {"pk": w.venue.pk}, None, "members"),
    ("venue_delete", "get", lambda w: {"pk": w.spare_venue.pk}, None, "members"),
    ("venue_delete", "post", lambda w: {"pk": w.spare_venue.pk}, {}, "members"),
    ("venue_history", "get", lambda w: {"pk": w.venue.pk}, None, "admins"),
    (
        "venue_restore",
        "post",
        lambda w: {"pk": w.venue.pk, "record_pk": first_record(w.venue.history)},
        {},
        "admins",
    ),
    ("member_list", "get", lambda w: {"slug": w.organisation.slug}, None, "admins"),
    (
        "member_invite",
        "post",
        lambda w: {"slug": w.organisation.slug},
        {"email": "friend@example.org", "role": "editor"},
        "admins",
    ),
    (
        "member_role",
        "post",
        lambda w: {"slug": w.organisation.slug, "membership_pk": w.editor_membership.pk},
        {"role": "editor"},
        "admins",
    ),
    (
        "member_remove",
        "get",
        lambda w: {"slug": w.organisation.slug, "membership_pk": w.editor_membership.pk},
        None,
        "admins",
    ),
    (
        "member_remove",
        "post",
        lambda w: {"slug": w.organisation.slug, "membership_pk": w.editor_membership.pk},
        {},
        "admins",
    ),
    (
        "invitation_withdraw",
        "post",
        lambda w: {"slug": w.organisation.slug, "invitation_pk": w.invitation.pk},
        {},
        "admins",
    ),
]

CASE_IDS = [f"{name}-{method}" for name, method, *_ in VIEWS]
ROLES = ["anonymous", "stranger", "editor", "admin", "moderator"]


def request(client, world, name, method, kwargs, data):
    url = reverse(name, kwargs=kwargs(world))
    if method == "get":
        return url, client.get(url)
    return url, client.post(url, data)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "kwargs", "data", "who"), VIEWS, ids=CASE_IDS)
def test_access_matrix(client, role, name, method, kwargs, data, who):
    world = make_world()
    user = world.user(role)
    if user is not None:
        client.force_login(user)
    url, response = request(client, world, name, method, kwargs, data)

    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]
    elif role == "stranger":
        assert response.status_code == 404
    elif role == "editor" and who == "admins":
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 302, 400, 409), response.status_code
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("account_login"))


POST_ONLY = sorted(
    {name for name, method, *_ in VIEWS if method == "post"}
    - {name for name, method, *_ in VIEWS if method == "get"}
)


@pytest.mark.parametrize("name", POST_ONLY)
def test_post_only_views_refuse_get(client, name):
    world = make_world()
    client.force_login(world.admin)
    kwargs = next(k for n, m, k, *_ in VIEWS if n == name)
    assert client.get(reverse(name, kwargs=kwargs(world))).status_code == 405


def url_names(patterns):
    """Every URL name in `patterns`, through each include()."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= url_names(pattern.url_patterns)
        else:
            names.add(pattern.name)
    return names


def test_every_organiser_view_is_in_the_matrix():
    from directory.manage import urls as manage_urls

    covered = {name for name, *_ in VIEWS}
    object_free = {
        "dashboard",
        "schedule_preview",
        "group_create",
        "invitation_accept",
        "invitation_signup",
        # A signed link's page, and a member's own email choice (a moderator outside the
        # organisation has none): their own tests walk them (test_session_answers.py), and
        # tests/test_access_matrix.py walks every role.
        "session_answer",
        "session_emails",
    }
    assert url_names(manage_urls.urlpatterns) - object_free == covered


@pytest.mark.parametrize("name", ["dashboard", "schedule_preview", "group_create"])
def test_pages_without_an_object_still_need_signing_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_stranger_cannot_add_a_group_to_someone_elses_organisation(client):
    world = make_world()
    client.force_login(world.stranger)
    response = client.post(
        reverse("group_create"),
        {
            "organisation": world.organisation.pk,
            "name": "Sneaky group",
            "summary": "x",
            "description": "x",
            "in_person": "on",
            "leadership": "peer",
            "focus": "parent",
            "visibility": "publish",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not world.organisation.groups.filter(name="Sneaky group").exists()
