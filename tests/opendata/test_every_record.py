"""The whole demo directory through the official Open Referral UK validator's algorithm: read
the version from `GET /`, take each endpoint and its response schema from the standard's own
openapi.json, fetch every page of each list (the validator samples the first, middle and last)
and every id of each detail endpoint (it samples ten), and validate each against the shared
ORUK 3.0 schemas. Level 1 is the endpoints the standard requires (`/`, `/services`,
`/services/{id}`); Level 2 the optional ones this feed also serves."""

import json
import math

import pytest

from directory.demo.loader import load_demo
from directory.models import Group
from tests.opendata.conftest import SCHEMA_BASE, get_json, standard_folder

pytestmark = pytest.mark.django_db

LEVEL_1 = {"/", "/services", "/services/{id}"}
PER_PAGE = 7


def standard_paths():
    """Each GET path of the standard's openapi.json with the schema its 200 answer names."""
    path = standard_folder() / "openapi.json"
    if not path.exists():
        pytest.skip(f"The standard's openapi.json is not at {path}")
    document = json.loads(path.read_text(encoding="utf-8"))
    paths = {}
    for name, operations in document["paths"].items():
        answer = operations["get"]["responses"]["200"]["content"]["application/json"]
        paths[name] = answer["schema"]["$ref"].removeprefix(SCHEMA_BASE)
    return paths


def test_every_record_of_every_endpoint_passes_the_validators_checks(client, schema_errors, capsys):
    load_demo()
    paths = standard_paths()
    assert get_json(client, "/").data["version"] == "HSDS-UK-3.0"
    problems = []
    checked = {}

    def check(path, data, schema):
        errors = schema_errors(data, schema)
        problems.extend(f"{path}: {error}" for error in errors)
        level = 1 if path.split("?")[0] in LEVEL_1 or path == "/" else 2
        checked.setdefault(level, 0)
        checked[level] += 1

    check("/", get_json(client, "/").data, paths["/"])
    for list_path, schema in sorted(paths.items()):
        if list_path == "/" or "{id}" in list_path:
            continue
        first = get_json(client, list_path, per_page=PER_PAGE)
        assert first.status_code == 200, list_path
        total_items, total_pages = first.data["total_items"], first.data["total_pages"]
        assert total_pages == max(1, math.ceil(total_items / PER_PAGE)), list_path
        ids = []
        for number in range(1, total_pages + 1):
            page = get_json(client, list_path, per_page=PER_PAGE, page=number)
            assert page.status_code == 200, (list_path, number)
            check(f"{list_path}?page={number}", page.data, schema)
            assert page.data["page_number"] == number
            assert page.data["first_page"] == (number == 1)
            assert page.data["last_page"] == (number == total_pages)
            assert page.data["size"] == len(page.data["contents"])
            ids += [record["id"] for record in page.data["contents"]]
        assert len(ids) == total_items == len(set(ids)), list_path
        detail_path = f"{list_path}/{{id}}"
        if detail_path in paths:
            for record_id in ids:
                detail = get_json(client, f"{list_path}/{record_id}")
                assert detail.status_code == 200, (list_path, record_id)
                assert detail.data["id"] == record_id
                check(detail_path, detail.data, paths[detail_path])

    assert problems == []
    assert checked[1] > 40 and checked[2] > 40
    with capsys.disabled():
        print(
            f"\nOpen Referral UK validator algorithm: Level 1 {checked[1]} responses, "
            f"Level 2 {checked[2]} responses, every page and every id, 0 schema errors"
        )


def test_every_demo_service_gives_its_number_its_age_limit_and_who_it_is_for(client, schema_errors):
    load_demo()
    groups = Group.objects.published().select_related("organisation").prefetch_related("audiences")
    young = 0
    for group in groups:
        service = get_json(client, f"/services/{group.uuid}").data
        audiences = {audience.slug for audience in group.audiences.all()}
        numbers = [phone["number"] for phone in service.get("phones", [])]
        assert numbers == ([group.contact_number] if group.contact_number else []), group.name
        for phone in service.get("phones", []):
            assert schema_errors(phone, "phone.json") == [], group.name
        for_young_parents = "young-parents" in audiences and "any-parent" not in audiences
        assert service.get("maximum_age") == (25 if for_young_parents else None), group.name
        young += for_young_parents
        assert "minimum_age" not in service
        if audiences:
            assert service["eligibility_description"].startswith("For: "), group.name
        assert "languages" not in service
    assert young >= 5
