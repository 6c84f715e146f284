"""Static files as production serves them: collected with hashed names, compressed, cached
for a long time by browsers (a new version gets a new name)."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.WHITENOISE_USE_FINDERS = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path


def test_pages_link_hashed_files_served_compressed_with_far_future_cache_headers(collected, client):
    html = client.get("/").text
    stylesheet = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)
    response = client.get(stylesheet, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]


def test_unhashed_names_are_only_cached_briefly(collected, client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
