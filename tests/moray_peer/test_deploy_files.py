"""The deployment files say what the README promises. Docker itself cannot run in CI, so the
compose file is checked by parsing it."""

import ipaddress
import re
import runpy
from pathlib import Path

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((PROJECT / "docker-compose.yml").read_text())


def test_compose_runs_postgres_with_a_named_volume_and_a_healthcheck(compose):
    db = compose["services"]["db"]
    assert db["image"].startswith("postgres:")
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])


def test_compose_migrates_before_the_web_servers_start(compose):
    release = compose["services"]["release"]
    command = " ".join(release["command"])
    assert "manage.py migrate" in command
    assert "createcachetable" in command
    web = compose["services"]["web"]
    assert web["depends_on"]["release"]["condition"] == "service_completed_successfully"
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"


def test_compose_shares_one_database_and_one_cache_between_app_servers(compose):
    environment = compose["services"]["web"]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://")
    assert environment["DATABASE_URL"].endswith("@db:5432/moray")
    assert environment["CACHE_URL"].startswith("redis://redis:")
    assert compose["services"]["release"]["environment"] == environment


def test_compose_waits_longer_than_gunicorns_graceful_timeout_before_killing(compose):
    web = compose["services"]["web"]
    graceful = int(re.search(r":-(\d+)", web["environment"]["GUNICORN_GRACEFUL_TIMEOUT"])[1])
    assert int(web["stop_grace_period"].rstrip("s")) > graceful


def test_the_image_collects_static_files_and_runs_gunicorn_as_pid_1_without_root():
    dockerfile = (PROJECT / "Dockerfile").read_text()
    assert "manage.py collectstatic --noinput" in dockerfile
    assert 'CMD ["gunicorn", "--config", "gunicorn.conf.py", "moray_peer.wsgi"]' in dockerfile
    assert re.search(r"^USER app$", dockerfile, re.M)
    assert "/healthz" in dockerfile
    for copied in re.findall(r"^COPY (\S+)", dockerfile, re.M):
        if copied != "pyproject.toml":
            assert (PROJECT / copied).exists(), copied


def test_the_image_holds_every_app_of_ours(settings):
    copied = set(re.findall(r"^COPY (\S+)", (PROJECT / "Dockerfile").read_text(), re.M))
    ours = {app for app in settings.INSTALLED_APPS if (PROJECT / app / "apps.py").exists()}
    assert ours
    assert not ours - copied, f"Add to Dockerfile: COPY {sorted(ours - copied)}"


def test_gunicorn_takes_workers_and_timeouts_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "7")
    monkeypatch.setenv("GUNICORN_TIMEOUT", "12")
    monkeypatch.setenv("GUNICORN_GRACEFUL_TIMEOUT", "9")
    monkeypatch.setenv("PORT", "9001")
    config = runpy.run_path(str(PROJECT / "gunicorn.conf.py"))
    assert config["workers"] == 7
    assert config["timeout"] == 12
    assert config["graceful_timeout"] == 9
    assert config["bind"] == "0.0.0.0:9001"


def test_gunicorn_refuses_a_malformed_number(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "lots")
    with pytest.raises(SystemExit, match="WEB_CONCURRENCY"):
        runpy.run_path(str(PROJECT / "gunicorn.conf.py"))


def environment_variables():
    """Every variable the settings, gunicorn and compose read."""
    names = set()
    settings = (PROJECT / "moray_peer" / "settings.py").read_text()
    names |= set(re.findall(r'env_(?:str|bool|int|list)\("([A-Z0-9_]+)"', settings))
    gunicorn = (PROJECT / "gunicorn.conf.py").read_text()
    names |= set(re.findall(r'(?:_int|environ\.get)\(\s*"([A-Z0-9_]+)"', gunicorn))
    names |= set(re.findall(r"\$\{([A-Z0-9_]+)", (PROJECT / "docker-compose.yml").read_text()))
    return names


def test_the_readme_lists_every_environment_variable():
    readme = (PROJECT / "README.md").read_text()
    section = readme.split("## Running in production", 1)[1]
    missing = sorted(name for name in environment_variables() if f"`{name}`" not in section)
    assert not missing, f"Add to README's 'Running in production': {missing}"


def test_compose_runs_the_scheduled_jobs(compose):
    script = " ".join(compose["services"]["jobs"]["command"])
    for command in ("flush_counts", "refresh_sessions", "send_review_reminders"):
        assert f"python manage.py {command}" in script


@pytest.fixture(scope="module")
def nginx_template():
    return (PROJECT / "deploy" / "nginx" / "default.conf.template").read_text()


def test_compose_publishes_the_proxy_alone(compose):
    published = {name for name, service in compose["services"].items() if "ports" in service}
    assert published == {"proxy"}
    assert compose["services"]["proxy"]["image"].startswith("nginx:1.")
    assert compose["services"]["web"]["expose"] == ["8000"]


def test_gunicorn_trusts_forwarded_headers_from_the_proxy_address_alone(compose):
    environment = compose["services"]["web"]["environment"]
    proxy_address = compose["services"]["proxy"]["networks"]["default"]["ipv4_address"]
    subnet = compose["networks"]["default"]["ipam"]["config"][0]["subnet"]
    assert environment["FORWARDED_ALLOW_IPS"] == proxy_address
    assert ipaddress.ip_address(proxy_address) in ipaddress.ip_network(subnet)
    # nginx sets X-Forwarded-For to one address: the visitor's, last and only.
    assert environment["TRUSTED_PROXY_COUNT"] == "1"
    assert environment["BEHIND_PROXY"] == "true"


def test_the_proxy_overwrites_the_forwarded_headers_a_visitor_sends(nginx_template):
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in nginx_template
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx_template
    assert "$proxy_add_x_forwarded_for" not in nginx_template
    assert "$http_x_forwarded" not in nginx_template


def test_the_proxy_buffers_and_times_out_slow_visitors(nginx_template):
    for directive in (
        "proxy_request_buffering on;",
        "proxy_buffering on;",
        "client_header_timeout 10s;",
        "client_body_timeout 10s;",
        "access_log off;",
    ):
        assert directive in nginx_template


def test_the_proxy_lets_through_every_body_the_app_accepts(nginx_template, settings):
    from opendata.csv_io import MAX_BYTES

    megabytes = int(re.search(r"client_max_body_size (\d+)m;", nginx_template)[1])
    assert megabytes * 1024 * 1024 >= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert megabytes * 1024 * 1024 >= MAX_BYTES


def test_compose_fills_in_every_value_of_the_proxy_template(compose, nginx_template):
    proxy = compose["services"]["proxy"]
    wanted = set(re.findall(r"\$\{(MORAY_[A-Z_]+)\}", nginx_template))
    assert wanted
    assert wanted <= set(proxy["environment"])
    assert proxy["environment"]["MORAY_UPSTREAM"] == "web:8000"
    assert proxy["environment"]["MORAY_HTTPS_REDIRECT"] == "on"
    mounted = {volume.split(":")[1]: volume.split(":")[0] for volume in proxy["volumes"]}
    template = mounted["/etc/nginx/templates/default.conf.template"]
    assert (PROJECT / template).resolve() == PROJECT / "deploy" / "nginx" / "default.conf.template"
