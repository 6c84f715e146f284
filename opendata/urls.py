"""The Open Referral UK feed under /api/openreferral/. The standard names its paths without a
trailing slash; each is answered with one as well."""

from django.urls import re_path

from opendata import views

app_name = "openreferral"

ID = r"(?P<{}>[^/]+)"


def endpoint(name, pattern, view):
    return re_path(rf"^{pattern}/?$", view, name=name)


urlpatterns = [
    re_path(r"^$", views.root, name="root"),
    re_path(r"^openapi\.json$", views.openapi, name="openapi"),
    endpoint("services", "services", views.service_list),
    endpoint("service", "services/" + ID.format("service_id"), views.service_detail),
    endpoint("organizations", "organizations", views.organization_list),
    endpoint(
        "organization",
        "organizations/" + ID.format("organization_id"),
        views.organization_detail,
    ),
    endpoint("taxonomies", "taxonomies", views.taxonomy_list),
    endpoint("taxonomy", "taxonomies/" + ID.format("taxonomy_id"), views.taxonomy_detail),
    endpoint("taxonomy_terms", "taxonomy_terms", views.taxonomy_term_list),
    endpoint("taxonomy_term", "taxonomy_terms/" + ID.format("term_id"), views.taxonomy_term_detail),
    endpoint("service_at_locations", "service_at_locations", views.service_at_location_list),
    endpoint(
        "service_at_location",
        "service_at_locations/" + ID.format("sal_id"),
        views.service_at_location_detail,
    ),
    # Anything else under the feed gets a JSON 404 (with the CORS header), not an HTML page.
    re_path(r"^(?P<rest>.*)$", views.not_found),
]
