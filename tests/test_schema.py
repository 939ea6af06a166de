"""The committed JSON Schema is generated from the model and accepts every content file."""

from __future__ import annotations

import json

import jsonschema
import pytest
import yaml
from conftest import AGENCY_YML, REPO

from gkml_ssg.content.schema import schema_texts


def test_committed_schema_matches_the_model():
    for name, text in schema_texts().items():
        committed = (REPO / "schema" / name).read_text(encoding="utf-8")
        assert committed == text, f"schema/{name} is out of date: run `gkml schema`"


@pytest.fixture(scope="module")
def agency_validator():
    schema = json.loads((REPO / "schema/agency.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_content_file_is_valid(agency_validator):
    files = sorted((REPO / "content").rglob("*.yml"))
    assert len(files) == 6
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if path.name == "site.yml":
            site_schema = json.loads((REPO / "schema/site.schema.json").read_text(encoding="utf-8"))
            jsonschema.validate(data, site_schema)
        else:
            assert list(agency_validator.iter_errors(data)) == [], path


def test_schema_explains_each_key_in_chinese_and_rejects_what_the_loader_rejects(agency_validator):
    schema = json.loads((REPO / "schema/agency.schema.json").read_text(encoding="utf-8"))
    item = schema["$defs"]["Item"]["properties"]
    assert item["公开依据"]["description"].startswith("公开依据")
    assert item["公开方式"]["enum"] == ["主动", "依申请"]
    data = yaml.safe_load(AGENCY_YML)
    assert list(agency_validator.iter_errors(data)) == []
    data["目录"][0]["事项"][0]["公开方式"] = "主动公开"
    data["目录"][0]["事项"][0]["basiss"] = "x"
    assert len(list(agency_validator.iter_errors(data))) == 2
