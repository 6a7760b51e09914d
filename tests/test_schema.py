"""The JSON Schema of plan files and units.yaml: generated from the code's field lists, shipped in
the package, printed by `gktrack schema`, and validating the bundled plans with jsonschema."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from gktrack.storage import schema
from gktrack.domain.model import ROLES, STATES
from gktrack.domain.model import Plan, Progress, Section, Task, keys_of

PLAN_KEYS, TASK_KEYS, SECTION_KEYS, PROGRESS_KEYS = (keys_of(c) for c in (Plan, Task, Section, Progress))

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "plans").glob("*.yaml"))


def as_json(value):
    """What a YAML editor sees: dates are text (YAML 1.2 core schema has no timestamps)."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str) -> jsonschema.Draft7Validator:
    document = schema.generate(kind)
    jsonschema.Draft7Validator.check_schema(document)
    return jsonschema.Draft7Validator(document)


def load(path: Path):
    return as_json(yaml.safe_load(path.read_text(encoding="utf-8")))


def test_generated_from_the_field_lists():
    plan = schema.generate("plan")
    assert tuple(plan["properties"]) == PLAN_KEYS
    assert tuple(plan["definitions"]["task"]["properties"]) == TASK_KEYS
    assert tuple(plan["definitions"]["section"]["properties"]) == SECTION_KEYS
    assert tuple(plan["definitions"]["progress"]["properties"]) == PROGRESS_KEYS
    assert plan["definitions"]["task"]["properties"]["state"]["enum"] == list(STATES)
    assert all(role in plan["definitions"]["task"]["properties"] for role in ROLES)
    # every property tells the editor what it is, in Chinese
    for props in (plan["properties"], *(d["properties"] for d in plan["definitions"].values())):
        assert all(p["description"] for p in props.values())


def test_shipped_copy_is_current():
    for kind in schema.KINDS:
        shipped = (ROOT / "gktrack" / "data" / schema.FILES[kind]).read_text(encoding="utf-8")
        assert shipped == schema.schema_text(kind), f"regenerate gktrack/data/{schema.FILES[kind]}"


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_plans_validate(path):
    errors = list(validator("plan").iter_errors(load(path)))
    assert errors == []


def test_units_yaml_validates():
    assert list(validator("units").iter_errors(load(ROOT / "units.yaml"))) == []
    from gktrack.storage.registry import INITIAL_TEXT

    assert list(validator("units").iter_errors(as_json(yaml.safe_load(INITIAL_TEXT)))) == []


def test_schema_catches_mistakes():
    data = load(BUNDLED[0])
    check = validator("plan")
    bad = copy.deepcopy(data)
    bad["tasks"][0]["state"] = "finished"
    assert any("finished" in e.message for e in check.iter_errors(bad))
    bad = copy.deepcopy(data)
    bad["tasks"][0]["progress"] = [{"date": "2024-6-1", "note": "x", "who": "张三"}]
    messages = " ".join(e.message for e in check.iter_errors(bad))
    assert "who" in messages and "2024-6-1" in messages
    bad = copy.deepcopy(data)
    del bad["tasks"][0]["text"]
    assert list(check.iter_errors(bad))
    registry = {"units": [{"name": "司法所", "alias": ["x"]}], "people": [{"email": "a@b.cn", "role": "boss"}]}
    assert len(list(validator("units").iter_errors(registry))) == 2


def test_schema_command(plans_repo):
    printed = plans_repo.ok("schema")
    assert json.loads(printed) == schema.generate("plan")
    assert json.loads(plans_repo.ok("schema", "units")) == schema.generate("units")
    assert "plan 或 units" in plans_repo.fail("schema", "tasks")


def test_editor_files_point_at_repo_copies(tmp_path):
    created = schema.write_editor_files(tmp_path)
    assert sorted(created) == [".gktrack/plan.schema.json", ".gktrack/units.schema.json", ".vscode/settings.json"]
    settings = json.loads((tmp_path / ".vscode/settings.json").read_text(encoding="utf-8"))
    mapping = settings["yaml.schemas"]
    for target, globs in mapping.items():
        assert (tmp_path / target).is_file()  # relative to the work tree: works in any clone
        assert json.loads((tmp_path / target).read_text(encoding="utf-8"))["$schema"]
    assert mapping["./.gktrack/plan.schema.json"] == ["plans/*.yaml"]
    # never overwrites what a person has set up
    (tmp_path / ".vscode/settings.json").write_text("{}", encoding="utf-8")
    assert schema.write_editor_files(tmp_path) == []
    assert (tmp_path / ".vscode/settings.json").read_text(encoding="utf-8") == "{}"
