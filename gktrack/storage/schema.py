"""JSON Schema for plan files and units.yaml, generated from the schema in ``gktrack.domain.model``.

Each field's kind gives its JSON type and its label and description the text editors show. The
generated files are shipped as ``gktrack/data/*.schema.json``; ``gktrack init`` copies them into
the repository so a clone validates in VS Code without gktrack installed.
"""

from __future__ import annotations

import json
from pathlib import Path

from gktrack.domain.model import (
    PLAN_ID_PATTERN, RECORDS, SCHEMA_VERSION, STATE_LABELS, STATES, YEARS, Plan, Registry, fields_of,
)
from gktrack.storage.files import refuse_link

KINDS = ("plan", "units")
FILES = {"plan": "plan.schema.json", "units": "units.schema.json"}
# What each kind describes: the record at the top of the file, and the schema's title.
_DOCUMENTS = {"plan": (Plan, "gktrack 计划文件(plans/<编号>.yaml)"),
              "units": (Registry, "gktrack 单位名册(units.yaml)")}
DRAFT = "http://json-schema.org/draft-07/schema#"  # the draft the YAML language server knows best
SCHEMA_BASE = "https://gktrack.invalid/schema"

_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}
_TYPES = {
    "int": {"type": "integer"},
    "year": {"type": "integer", "minimum": YEARS.start, "maximum": YEARS.stop - 1},
    "text": {"type": "string"},
    "texts": {"anyOf": [{"type": "string"}, _NAMES]},
    "names": {"anyOf": [{"type": "string"}, _NAMES]},
    "date": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
    "state": {"enum": list(STATES)},
    "plan_id": {"type": "string", "pattern": PLAN_ID_PATTERN},
    "members": {"anyOf": [{"const": "all"}, _NAMES]},
    "role": {"enum": ["office", "unit"]},
}
# Records a person may extend by hand (gktrack keeps what it does not know); the others are ours.
_OPEN = {"Plan", "Task"}


def _description(spec) -> str:
    if spec.kind == "state":
        return "状态:" + "、".join(f"{s} {STATE_LABELS[s]}" for s in STATES)
    if spec.kind == "date" and not spec.doc:
        return f"{spec.label},如 2024-06-30"
    return spec.doc or spec.label


def _object(cls: type, definitions: dict) -> dict:
    properties = {}
    for name, spec in fields_of(cls):
        if spec.kind == "records":
            item = spec.record.lower()
            if item not in definitions:
                definitions[item] = {}
                definitions[item] = _object(RECORDS[spec.record], definitions)
            value = {"type": "array", "items": {"$ref": f"#/definitions/{item}"}}
            if spec.record == "Unit":  # "- 司法所": a unit by its name alone
                value["items"] = {"anyOf": [{"type": "string", "minLength": 1}, {"$ref": f"#/definitions/{item}"}]}
        else:
            value = dict(_TYPES[spec.kind])
            if spec.required and spec.kind == "text":
                value["minLength"] = 1
        if name == "schema":
            value.update(minimum=1, maximum=SCHEMA_VERSION)
        if name == "id" and cls.__name__ == "Task":
            value["minimum"] = 1
        properties[name] = {**value, "description": _description(spec)}
    required = [name for name, spec in fields_of(cls) if spec.required]
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": cls.__name__ in _OPEN}


def generate(kind: str) -> dict:
    cls, title = _DOCUMENTS[kind]
    definitions: dict = {}
    body = _object(cls, definitions)
    return {"$schema": DRAFT, "$id": f"{SCHEMA_BASE}/{FILES[kind]}", "title": title, **body,
            "definitions": definitions}


def schema_text(kind: str) -> str:
    return json.dumps(generate(kind), ensure_ascii=False, indent=2) + "\n"


def shipped_text(kind: str) -> str:
    """The copy shipped in the package (what ``gktrack schema`` prints)."""
    from importlib import resources

    try:
        return (resources.files("gktrack") / "data" / FILES[kind]).read_text(encoding="utf-8")
    except (FileNotFoundError, KeyError):
        return schema_text(kind)


# --- the repository's copy, for editors ------------------------------------------------------

REPO_DIR = ".gktrack"
VSCODE_SETTINGS = ".vscode/settings.json"


def editor_files() -> dict[str, str]:
    """Files ``gktrack init`` writes so editors validate plans without gktrack installed: the
    schemas, and VS Code's YAML extension pointed at them by glob, which covers every plan file
    (imported or written by hand) without a comment line in each, also in a fresh clone."""
    settings = {
        "yaml.schemas": {
            f"./{REPO_DIR}/{FILES['plan']}": ["plans/*.yaml"],
            f"./{REPO_DIR}/{FILES['units']}": ["units.yaml"],
        },
        "files.encoding": "utf8",
    }
    files = {f"{REPO_DIR}/{FILES[kind]}": shipped_text(kind) for kind in KINDS}
    files[VSCODE_SETTINGS] = json.dumps(settings, ensure_ascii=False, indent=2) + "\n"
    return files


def write_editor_files(root, *, write: bool = True) -> list[str]:
    """Write the missing ones of ``editor_files`` under ``root`` (``write`` False: only name
    them); an existing file is left alone."""
    created = []
    for rel, text in editor_files().items():
        path = Path(root) / rel
        refuse_link(Path(root), rel)
        if path.exists():
            continue
        if write:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        created.append(rel)
    return created
