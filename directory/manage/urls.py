"""The organisers' back office, under /manage/, and an organisation's application at /join/."""

from django.urls import include, path

from directory.manage import answers, dates, feeds, groups, join, members, reports, venues
from evidence import views as evidence

timetable_patterns = [
    path("times/new/", dates.schedule_create, name="schedule_create"),
    path("times/<int:schedule_pk>/edit/", dates.schedule_edit, name="schedule_edit"),
    path("times/<int:schedule_pk>/venue/", dates.schedule_venue, name="schedule_venue"),
    path("times/<int:schedule_pk>/delete/", dates.schedule_delete, name="schedule_delete"),
    path("breaks/new/", dates.pause_create, name="pause_create"),
    path("breaks/<int:pause_pk>/edit/", dates.pause_edit, name="pause_edit"),
    path("breaks/<int:pause_pk>/delete/", dates.pause_delete, name="pause_delete"),
    path("dates/<str:day>/cancel/", dates.date_cancel, name="date_cancel"),
    path(
        "cancellations/<int:cancellation_pk>/undo/",
        dates.cancellation_undo,
        name="cancellation_undo",
    ),
    path("extra-dates/new/", dates.extra_create, name="extra_create"),
    path("extra-dates/<int:extra_pk>/edit/", dates.extra_edit, name="extra_edit"),
    path("extra-dates/<int:extra_pk>/delete/", dates.extra_delete, name="extra_delete"),
    path("calendar/", feeds.calendar_feed, name="calendar_feed"),
    path("calendar/stop/", feeds.calendar_feed_stop, name="calendar_feed_stop"),
]

group_patterns = [
    path("", groups.group_manage, name="group_manage"),
    path("edit/", groups.group_edit, name="group_edit"),
    path("confirm/", groups.group_confirm, name="group_confirm"),
    path("still-on/", groups.group_still_on, name="group_still_on"),
    path("publish/", groups.group_publish, name="group_publish"),
    path("pause/", groups.group_pause, name="group_pause"),
    path("delete/", groups.group_delete, name="group_delete"),
    path("history/", groups.group_history, name="group_history"),
    path(
        "history/<slug:kind>/<int:record_pk>/restore/",
        groups.group_restore,
        name="group_restore",
    ),
    path("reports/<int:report_pk>/resolve/", reports.report_resolve, name="group_report_resolve"),
    path("reports/<int:report_pk>/reopen/", reports.report_reopen, name="group_report_reopen"),
    path("evidence/", evidence.group_evidence, name="group_evidence"),
    path("evidence.csv", evidence.group_evidence_csv, name="group_evidence_csv"),
    path("", include(timetable_patterns)),
]

venue_patterns = [
    path("edit/", venues.venue_edit, name="venue_edit"),
    path("delete/", venues.venue_delete, name="venue_delete"),
    path("history/", venues.venue_history, name="venue_history"),
    path("history/<int:record_pk>/restore/", venues.venue_restore, name="venue_restore"),
]

organisation_patterns = [
    path("evidence/", evidence.organisation_evidence, name="organisation_evidence"),
    path("evidence.csv", evidence.organisation_evidence_csv, name="organisation_evidence_csv"),
    path("venues/", venues.venue_list, name="venue_list"),
    path("venues/new/", venues.venue_create, name="venue_create"),
    path("emails/", answers.session_emails, name="session_emails"),
    path("members/", members.member_list, name="member_list"),
    path("members/invite/", members.member_invite, name="member_invite"),
    path("members/<int:membership_pk>/role/", members.member_role, name="member_role"),
    path("members/<int:membership_pk>/remove/", members.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_pk>/withdraw/",
        members.invitation_withdraw,
        name="invitation_withdraw",
    ),
]

urlpatterns = [
    path("", groups.dashboard, name="dashboard"),
    path("schedule-preview/", dates.schedule_preview, name="schedule_preview"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<int:pk>/", include(group_patterns)),
    path("venues/<int:pk>/", include(venue_patterns)),
    path("organisations/<slug:slug>/", include(organisation_patterns)),
    path("still-on/<str:token>/", answers.session_answer, name="session_answer"),
    path("invitations/<str:token>/", members.invitation_accept, name="invitation_accept"),
    path("invitations/<str:token>/sign-up/", members.invitation_signup, name="invitation_signup"),
]

join_patterns = [
    path("", join.organisation_signup, name="organisation_signup"),
    path("thanks/", join.organisation_signup_done, name="organisation_signup_done"),
]
