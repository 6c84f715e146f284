import pytest


@pytest.fixture(autouse=True)
def fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.EVIDENCE_BUFFER_URL = ""
    settings.EVIDENCE_PUSH_SECONDS = 0
    # Every kept page checked against the shared cache (tests/directory/test_page_cache.py
    # covers the pages a worker keeps in its own memory).
    settings.PUBLIC_PAGE_RECHECK_SECONDS = 0
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def fresh_demo_flag():
    from directory.context_processors import forget_demo_flag

    forget_demo_flag()
    yield
    forget_demo_flag()
