from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from accounts import signup_views
from opendata import views as opendata_views

# Staff sign in through allauth, which asks for their second factor; the admin's own login
# form would not.
admin.site.login = secure_admin_login(admin.site.login)
handler500 = "moray_peer.health.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("join/", signup_views.organisation_signup, name="organisation_signup"),
    path("join/thanks/", signup_views.organisation_signup_done, name="organisation_signup_done"),
    path("moderation/csv/", include("opendata.csv_urls")),
    path("moderation/", include("directory.moderation_urls")),
    path("api/openreferral/", include("opendata.urls")),
    path("open-data/", opendata_views.open_data_page, name="open_data"),
    path("manage/", include("accounts.urls")),
    path("manage/", include("directory.organiser_urls")),
    path("", include("evidence.urls")),
    path("", include("directory.urls")),
    path("", include("directory.reach_urls")),
]
