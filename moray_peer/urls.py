"""The site's four doors: parents (`directory.public`), organisers (`directory.manage`),
moderators (`directory.moderation`) and other systems (`opendata`)."""

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from directory.manage.urls import join_patterns
from opendata import views as opendata_views

# Staff sign in through allauth, which asks for their second factor; the admin's own login
# form would not.
admin.site.login = secure_admin_login(admin.site.login)
handler400 = "moray_peer.health.bad_request"
handler500 = "moray_peer.health.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("join/", include(join_patterns)),
    path("manage/", include("directory.manage.urls")),
    path("moderation/", include("directory.moderation.urls")),
    path("api/openreferral/", include("opendata.urls")),
    path("open-data/", opendata_views.open_data_page, name="open_data"),
    path("", include("directory.public.urls")),
]
