import pytest
from django.core import mail

from accounts.models import Organisation
from directory.models import Group, Report
from directory.public.reports import REPORT_LIMIT
from tests.factories import GroupFactory, MembershipFactory, ModeratorFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    group = GroupFactory(name="Elgin Natter", slug="elgin-natter")
    MembershipFactory(organisation=group.organisation, user__email="admin@natter.example")
    return group


URL = "/groups/elgin-natter/report/"


def send(client, ip="203.0.113.9", **data):
    data = {"kind": Report.Kind.WRONG_TIME, "details": "It's Thursdays now", **data}
    return client.post(URL, data, REMOTE_ADDR=ip)


def test_the_group_page_links_to_the_form_and_sets_no_cookie(client, group):
    response = client.get(group.get_absolute_url())
    assert response.status_code == 200
    assert f'href="{URL}"' in response.text
    assert response.cookies == {}


def test_the_form_page_sets_no_cookie_at_all(client, group):
    response = client.get(URL)
    assert response.status_code == 200
    assert "What&#x27;s wrong?" in response.text
    assert "csrfmiddlewaretoken" not in response.text
    assert response.cookies == {}


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_SEC_FETCH_SITE": "cross-site"},
        {"HTTP_SEC_FETCH_SITE": "same-site"},
        {"HTTP_ORIGIN": "https://attacker.example"},
    ],
)
def test_the_form_is_protected_against_cross_site_posts(group, headers):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"kind": "closed"}, **headers)
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_browser_sends_it_from_our_own_page_without_any_cookie(group):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    response = browser.post(
        URL,
        {"kind": "closed"},
        HTTP_SEC_FETCH_SITE="same-origin",
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert "csrftoken" not in browser.cookies


def test_a_report_is_saved_and_thanked_for_without_any_session(client, group):
    response = send(client, email="parent@example.com")
    assert response.status_code == 302
    assert response["Location"] == "/groups/elgin-natter/report/thanks/"
    assert "sessionid" not in response.cookies
    report = Report.objects.get()
    assert report.group == group
    assert report.kind == Report.Kind.WRONG_TIME
    assert report.details == "It's Thursdays now"
    assert report.email == "parent@example.com"
    assert report.is_open
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    assert "Thank you" in thanks.text
    assert thanks.cookies == {}


def test_the_members_and_moderators_are_each_emailed(client, group):
    ModeratorFactory(email="mod@example.org")
    ModeratorFactory(email="gone@example.org", is_active=False)
    UserFactory(email="bystander@example.org")
    send(client, email="parent@example.com")
    assert sorted(m.to[0] for m in mail.outbox) == ["admin@natter.example", "mod@example.org"]
    message = mail.outbox[0]
    assert "Elgin Natter" in message.subject
    assert "It's Thursdays now" in message.body
    assert "The day or time is wrong" in message.body
    assert message.reply_to == ["parent@example.com"]


def test_organisers_are_linked_to_their_own_listing_and_moderators_to_moderation(client, group):
    ModeratorFactory(email="mod@example.org")
    send(client)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    organiser_link = f"/manage/groups/{group.pk}/#reports"
    assert organiser_link in by_address["admin@natter.example"]
    assert "/moderation/" not in by_address["admin@natter.example"]
    assert "/moderation/#reports" in by_address["mod@example.org"]


def test_without_an_email_there_is_no_reply_to(client, group):
    send(client)
    assert mail.outbox[0].reply_to == []


def test_something_else_needs_a_few_words(client, group):
    response = send(client, kind=Report.Kind.OTHER, details="")
    assert response.status_code == 200
    assert "Tell us in a few words what is wrong" in response.text
    assert not Report.objects.exists()


def test_a_bad_email_is_explained(client, group):
    response = send(client, email="not-an-email")
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Group.Status.DRAFT},
        {"status": Group.Status.PENDING},
        {"organisation__status": Organisation.Status.PENDING},
    ],
)
def test_only_public_listings_can_be_reported(client, hidden):
    GroupFactory(slug="hidden", **hidden)
    assert client.get("/groups/hidden/report/").status_code == 404
    assert client.post("/groups/hidden/report/", {"kind": "closed"}).status_code == 404


def test_each_address_may_send_five_reports_in_ten_minutes(client, group):
    for _ in range(REPORT_LIMIT.per_window):
        assert send(client).status_code == 302
    limited = send(client)
    assert limited.status_code == 429
    assert "try again" in limited.text
    assert limited["Retry-After"] == "600"
    assert Report.objects.count() == REPORT_LIMIT.per_window
    assert client.get(URL, REMOTE_ADDR="203.0.113.9").status_code == 429
    # Someone else is not held up.
    assert send(client, ip="198.51.100.7").status_code == 302


def test_the_limit_ends_with_its_window(client, group, settings):
    from django.core.cache import cache

    for _ in range(REPORT_LIMIT.per_window):
        send(client)
    assert send(client).status_code == 429
    cache.clear()  # what the window's expiry does
    assert send(client).status_code == 302


def test_the_ip_address_is_not_stored_in_clear(client, group):
    from django.core.cache import cache

    send(client, ip="203.0.113.9")
    keys = list(cache._cache.keys())
    assert keys
    assert not any("203.0.113.9" in key for key in keys)
    report = Report.objects.get()
    assert "203.0.113.9" not in str(vars(report))


def test_invalid_forms_do_not_count_towards_the_limit(client, group):
    for _ in range(REPORT_LIMIT.per_window + 2):
        assert send(client, kind="nonsense").status_code == 200
    assert send(client).status_code == 302


def test_the_report_page_is_get_or_post_only(client, group):
    assert client.put(URL).status_code == 405
    assert client.post("/groups/elgin-natter/report/thanks/").status_code == 405


class CacheDown:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("the cache server is down")

        return fail


def test_with_the_cache_down_reports_go_through_and_the_limit_still_holds(
    client, group, monkeypatch
):
    from moray_peer import ratelimit

    monkeypatch.setattr(ratelimit, "cache", CacheDown())
    ratelimit._local.clear()
    for _ in range(REPORT_LIMIT.per_window):
        assert send(client).status_code == 302
    assert send(client).status_code == 429
    assert Report.objects.count() == REPORT_LIMIT.per_window


# Errors in the GOV.UK pattern


def test_a_report_without_a_choice_says_what_to_do_in_a_linked_summary(client, group):
    response = client.post(URL, {"details": ""}, REMOTE_ADDR="203.0.113.20")
    text = response.text
    assert response.status_code == 200
    assert "<title>Error: Report a problem with Elgin Natter" in text
    assert "There is a problem" in text
    summary = text[
        text.index("data-error-summary") : text.index("</ul>", text.index("data-error-summary"))
    ]
    assert '<a href="#id_kind">Tell us what is wrong with this listing</a>' in summary
    # The link leads to the radio group's fieldset, which its error message describes.
    assert '<fieldset class="field field-error" id="id_kind" tabindex="-1"' in text
    assert 'aria-describedby="id_kind-error"' in text
    assert (
        '<p class="error-message" id="id_kind-error"><span class="visually-hidden">Error:</span>'
        " Tell us what is wrong with this listing</p>"
    ) in text
    assert (
        "<form" in text
        and "novalidate" in text[text.index("<form") : text.index(">", text.index("<form"))]
    )


def test_each_field_error_is_linked_and_read_with_its_input(client, group):
    response = client.post(
        URL,
        {"kind": Report.Kind.OTHER, "details": "", "email": "not an email"},
        REMOTE_ADDR="203.0.113.21",
    )
    text = response.text
    assert (
        '<a href="#id_details">Tell us in a few words what is wrong with this listing</a>' in text
    )
    assert (
        '<a href="#id_email">Enter an email address in the right format, like name@example.com</a>'
        in text
    )
    assert 'aria-describedby="id_email_helptext id_email-error"' in text
    assert 'aria-invalid="true"' in text
    assert not Report.objects.exists()


def test_a_fresh_form_has_no_error_summary_and_no_error_title(client, group):
    text = client.get(URL).text
    assert "There is a problem" not in text
    assert "<title>Error:" not in text


def test_a_report_sent_as_the_last_of_the_allowance_went_elsewhere_is_refused(
    client, group, monkeypatch
):
    # Reports sent at once all pass the first check; each must take its share before it is
    # saved or emailed, and the one that finds none left is refused.
    monkeypatch.setattr(REPORT_LIMIT, "take", lambda request: False)
    response = send(client)
    assert response.status_code == 429
    assert not Report.objects.exists()
    assert mail.outbox == []
