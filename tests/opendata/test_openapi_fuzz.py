"""schemathesis, with every check it has, against the feed's own OpenAPI document: bounded
examples of every operation, valid and invalid, each answer matching what the document
declares (status codes, content types, bodies against the standard's schemas)."""

import copy
import json

import pytest
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections

from tests.opendata.conftest import API, SCHEMA_BASE, get_json, standard_folder
from tests.tools import module

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = 12
# `proximity` needs a `postcode` to measure from, and a postcode must be in a district where
# the directory has a venue: rules about the data that an OpenAPI document cannot state. So a
# request the document allows may rightly be refused with a 400 (which the document declares)
# here, and only here; every other check still runs on this operation.
DEPENDENT_PARAMETERS = {"GET /service_at_locations": ["positive_data_acceptance"]}


def bundled(document):
    """The document with the standard's schemas inside it, so nothing is fetched from the
    network: each absolute $ref becomes a reference to components/schemas."""
    folder = standard_folder() / "schema"
    if not folder.is_dir():
        pytest.skip(f"The Open Referral UK 3.0 schemas are not at {folder}")
    document = copy.deepcopy(document)

    def local(node):
        if isinstance(node, dict):
            return {
                key: (
                    "#/components/schemas/" + value.removeprefix(SCHEMA_BASE).removesuffix(".json")
                    if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_BASE)
                    else local(value)
                )
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [local(item) for item in node]
        return node

    schemas = document["components"]["schemas"]
    for path in sorted(folder.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schema.pop("$id", None)
        schemas[path.stem] = local(schema)
    document = local(document)
    # The standard's schemas are JSON Schema 2020-12, which OpenAPI 3.1 speaks.
    document["openapi"] = "3.1.0"
    document["servers"] = [{"url": API}]
    return document


def fuzz(operation, mode, excluded, calls):
    """A Hypothesis test of bounded examples of one operation, every check run on each."""
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings

    @hypothesis_settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        calls[0] += 1
        # The in-process client does not unzip: ask for the body as it is.
        case.call_and_validate(headers={"Accept-Encoding": "identity"}, excluded_checks=excluded)

    return run


@pytest.fixture
def connections_kept_open():
    """Requests go straight to Django's WSGI handler, whose request signals would close the
    test's database connection mid-transaction: held back, as the test client does."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


def test_schemathesis_finds_no_failure_in_any_operation(
    client, directory, settings, capsys, connections_kept_open
):
    from django.db import connection

    if connection.vendor == "postgresql":
        pytest.skip(
            "Driven through Django's WSGI handler, which drops the test transaction's connection "
            "on PostgreSQL; the feed's answers do not depend on the database, and this runs on "
            "SQLite in every make test"
        )
    schemathesis = module("schemathesis", "schemathesis")

    checks = module("schemathesis.specs.openapi.checks", "schemathesis")
    settings.ALLOWED_HOSTS = ["*"]
    schema = schemathesis.openapi.from_dict(bundled(get_json(client, "/openapi.json").data))
    schema.app = WSGIHandler()
    failures, operations, calls = [], 0, [0]
    modes = list(schemathesis.GenerationMode)
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        label = operation.label
        excluded = [getattr(checks, name) for name in DEPENDENT_PARAMETERS.get(label, [])]
        # `GET /` takes no parameters: there is no request to get wrong.
        for mode in modes if label != "GET /" else modes[:1]:
            try:
                fuzz(operation, mode, excluded, calls)()
            except Exception as failure:  # noqa: BLE001 - every kind is reported below
                failures.append(f"{label} ({mode.value}): {failure}"[:3000])
    with capsys.disabled():
        print(
            f"\nschemathesis (all checks, positive and negative examples): {operations} "
            f"operations, {calls[0]} calls, "
            f"{len(failures)} failures"
        )
    assert operations == 11
    assert failures == [], "\n\n".join(failures)
